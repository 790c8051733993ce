// What every fake route gets: the world, the live settings, and a way to record a new post.
import type { FakeResponse } from './fake-response';
import type { FakeSettings } from './settings';
import type { FakePost, FakeWorld } from './state';
import { appErrorResponse, type AppErrorSpec } from './app-error';
import { versionId } from './settings';

export interface RouteContext {
  world: FakeWorld;
  settings: FakeSettings;
  savePost(post: FakePost): void;
}

export function errorResponse(ctx: RouteContext, spec: AppErrorSpec): FakeResponse {
  return appErrorResponse(spec, { developerMode: ctx.settings.enableDeveloper, versionId: versionId(ctx.settings) });
}
