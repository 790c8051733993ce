import { z } from 'zod';
import { ZIdParam } from './installations.schemas';

/** GET …/integrations/mattermost/channels: the tenant's connection, or the one an installation is bound to. */
export const ZChannelsQuery = z.object({ installation_id: ZIdParam.optional() }).strict();
