// GET /api/openapi.json: the API's OpenAPI 3.1 document (built once, on first request).
import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

export function openApiRouter(): Router {
  const router = Router();
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= buildOpenApiDocument();
    res.set('Cache-Control', 'no-cache').json(document);
  });
  return router;
}
