// Writes schema/*.schema.json from the zod schemas; test/schemas.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { JSON_SCHEMAS, schemaFile, type SchemaName } from '../src/render/json-schema.js';

for (const name of Object.keys(JSON_SCHEMAS) as SchemaName[]) {
  writeFileSync(schemaFile(name), `${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`);
  console.log(`wrote ${schemaFile(name)}`);
}
