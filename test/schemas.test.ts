import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS, schemaFile, type SchemaName } from '../src/render/json-schema.js';

describe('committed JSON Schemas', () => {
  it.each(Object.keys(JSON_SCHEMAS) as SchemaName[])('%s matches the zod schema (run npm run schema)', (name) => {
    expect(JSON.parse(readFileSync(schemaFile(name), 'utf8'))).toEqual(JSON_SCHEMAS[name]());
  });
});
