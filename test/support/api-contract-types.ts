/**
 * Compile-time half of the API contract (checked by `npx tsc --noEmit -p tsconfig.json`, never
 * run): a handler of a route declared with `createRoute` must answer the shape its responses
 * declare (zod-openapi 1.6.3 does not check the status number itself). Each `@ts-expect-error` below fails the build if the wrong answer stops being
 * a type error.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { authResponses, jsonResponse, openApiApp, scoped } from '../../src/server/http/openapi-app.js';
import { RunSchema } from '../../src/server/http/schemas/run.js';

const app = openApiApp({ log: undefined as never }, 'n/a');
const route = createRoute({
  method: 'get', path: '/runs', ...scoped('read'),
  responses: { 200: jsonResponse(z.object({ runs: z.array(RunSchema) }), 'runs'), ...authResponses('read') },
});

// @ts-expect-error a run without its fields is not a Run
app.openapi(route, (c) => c.json({ runs: [{ id: 'run_1' }] }, 200));
// @ts-expect-error a body named differently
app.openapi(route, (c) => c.json({ items: ['run_1'] }, 200));
// The declared answer compiles.
app.openapi(route, (c) => c.json({ runs: [] }, 200));
