// Mattermost's AppError JSON (AppError.ToJSON): keys in this order, detailed_error empty unless
// developer mode, the HTTP status equal to status_code, and an X-Request-ID header.
import { jsonResponse, type FakeResponse } from './fake-response';
import { newId } from './ids';

export interface AppErrorSpec {
  id: string;
  message: string;
  status: number;
  /** Shown only in developer mode, as Mattermost does. */
  detailed?: string;
}

export function appErrorResponse(spec: AppErrorSpec, options: { developerMode: boolean; versionId: string }): FakeResponse {
  const requestId = newId();
  const body = {
    id: spec.id,
    message: spec.message,
    detailed_error: options.developerMode ? (spec.detailed ?? '') : '',
    request_id: requestId,
    status_code: spec.status,
  };
  return jsonResponse(spec.status, body, { 'x-request-id': requestId, 'x-version-id': options.versionId });
}
