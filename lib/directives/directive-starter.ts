// How the platform hands a recorded directive to Temporal. Injected so the API can be tested
// with Temporal unreachable (the directive then waits for the reconciler).
import type { DirectiveStart } from '../../client';

export interface DirectiveStarter {
  start(d: DirectiveStart): Promise<{ started: boolean }>;
}
