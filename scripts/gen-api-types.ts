/**
 * Writes `web/src/api/schema.d.ts` (the dashboard client's types) from the OpenAPI document the
 * server generates from its route schemas. `npm run gen:api` after changing a route;
 * `test/api-contract.test.ts` fails when the committed file is not what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiTypesSource } from '../src/server/http/api-types.js';

const out = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));
writeFileSync(out, await apiTypesSource());
process.stdout.write(`wrote ${out}\n`);
