// One operation of the OpenAPI document (api/openapi.ts) and the pieces operations share. A
// package documents its own endpoints with these (PackageModule.apiOperations).
import type { z } from 'zod';
import type { ResponseSchemaName } from './response-schemas';

export type Method = 'get' | 'post' | 'put' | 'delete';
export type Access = 'public' | 'signed-in' | 'tenant' | 'tenant-admin';

export interface ApiOperation {
  method: Method;
  /** OpenAPI path template, e.g. /api/tenants/{tenant}/installations/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** status → schema name (or null: no body), or a package's own named schema. */
  responses: Record<number, { description: string; schema: ResponseSchemaName | PackageResponseSchema | null; headers?: Record<string, string> }>;
}

/** A response schema a package defines itself (components/schemas/<name>), so the core names no package's shapes. */
export interface PackageResponseSchema {
  name: string;
  zod: z.ZodType;
}

export const schemaName = (s: ResponseSchemaName | PackageResponseSchema): string => (typeof s === 'string' ? s : s.name);

export const err = (description: string) => ({ description, schema: 'Error' as const });
export const E400 = { 400: err('The input is invalid (VALIDATION_FAILED, with one entry per field in details).') };
export const E401 = { 401: err('Not signed in, and no valid bearer token (UNAUTHENTICATED).') };
export const E403 = { 403: err('The role may not do this (FORBIDDEN), or a cookie request failed the CSRF checks (CSRF_FAILED).') };
export const E404 = { 404: err('No such resource in a tenant you can access (another tenant’s path is 404, never 403).') };
export const E429 = {
  429: {
    ...err('Run now is limited per tenant per hour (RATE_LIMITED); see Retry-After.'),
    headers: { 'Retry-After': 'Seconds until a run is allowed again.' },
  },
};
export const tenantRead = { ...E400, ...E401, ...E404 };
export const tenantWrite = { ...E400, ...E401, ...E403, ...E404 };

export const T = '/api/tenants/{tenant}';
export const INST = `${T}/installations/{id}`;
