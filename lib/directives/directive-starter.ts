// How the platform hands a recorded directive to Temporal (client.ts's startDirectiveWorkflow).
// Injected so the API can be tested with Temporal unreachable (the directive then waits for the
// reconciler).
import type { PackageDirectiveInput } from '../temporal/contract';

export interface DirectiveStart extends PackageDirectiveInput {
  workflowId: string;
  correlationId: string;
  installationId: string;
  directiveType: string;
  packageSlug: string;
  tenantSlug?: string;
}

export interface DirectiveStarter {
  start(d: DirectiveStart): Promise<{ started: boolean }>;
}
