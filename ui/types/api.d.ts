// The JSON the UI scripts read, as types inferred from the API's own zod response schemas
// (api/response-schemas.ts, the same schemas the OpenAPI document is generated from and the
// OpenAPI test checks every response against). No generation step: a schema change shows up
// here at once, and `npm run typecheck` fails where a page uses a field that no longer exists.
import type { z } from 'zod';
import type * as S from '../../api/response-schemas';

export type Installation = z.infer<typeof S.ZInstallation>;
export type InstallationList = z.infer<typeof S.ZInstallationList>;
export type InstallationHealth = z.infer<typeof S.ZInstallationHealth>;
export type Credential = z.infer<typeof S.ZCredential>;
export type CredentialState = z.infer<typeof S.ZCredentialState>;
export type Execution = z.infer<typeof S.ZExecution>;
export type ExecutionList = z.infer<typeof S.ZExecutionList>;
export type Quota = z.infer<typeof S.ZQuota>;
export type NextRun = z.infer<typeof S.ZNextRun>;
export type ExamplePost = z.infer<typeof S.ZExamplePost>;
export type PackageDetail = z.infer<typeof S.ZPackageDetail>;
export type PackageList = z.infer<typeof S.ZPackageList>;
export type Session = z.infer<typeof S.ZSession>;
export type Timeline = z.infer<typeof S.ZTimeline>;
export type TimelineEvent = z.infer<typeof S.ZTimelineEvent>;
export type Signal = z.infer<typeof S.ZSignal>;
export type SignalList = z.infer<typeof S.ZSignalList>;
