import { ZDigestConfigPatch } from '../config';

export const ZConfigBody = ZDigestConfigPatch.omit({ mattermost_credential_id: true }).strict();
