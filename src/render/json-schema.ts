import { z } from 'zod';
import { Config } from '../policy/config.js';
import { Report } from '../report/schema.js';
import { ThreatModel } from '../validate/schema.js';

/** JSON Schemas generated from the zod schemas, for editors and for consumers of the JSON report. */
export const JSON_SCHEMAS = {
  'threat-model': () => z.toJSONSchema(ThreatModel, { io: 'input' }),
  config: () => z.toJSONSchema(Config, { io: 'input' }),
  report: () => z.toJSONSchema(Report, { io: 'output' }),
} as const;

export type SchemaName = keyof typeof JSON_SCHEMAS;

/** Where each schema is committed, relative to the repository root. */
export const schemaFile = (name: SchemaName) => `schema/${name}.schema.json`;
