import { ZDigestConfigPatch } from '../../../lib/packages/digest-config';

export const ZConfigBody = ZDigestConfigPatch.omit({ mattermost_credential_id: true }).strict();
