// Checks a personal access token: GET /api/v4/users/me answers 200 with the token's user, or
// 401 when the token is bad, revoked, its user deactivated, or PATs are disabled.
import { z } from 'zod';
import { callMattermostApi } from './rest-request';
import type { MattermostCallOptions, MattermostUser } from './types';

const ZMe = z.object({ id: z.string().min(1), username: z.string(), is_bot: z.boolean().optional() });

export async function verifyToken(baseUrl: string, token: string, opts: MattermostCallOptions): Promise<MattermostUser> {
  const me = await callMattermostApi({ baseUrl, token, method: 'GET', path: '/users/me', operation: 'read' }, ZMe, opts);
  return { id: me.id, username: me.username, isBot: me.is_bot ?? false };
}
