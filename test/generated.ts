import path from 'node:path';
import { gate } from '../src/engine.js';
import { JSON_SCHEMAS, schemaFile, type SchemaName } from '../src/render/json-schema.js';
import { renderMarkdown } from '../src/render/markdown.js';

/** Every committed generated file and the content it must have. */
export async function GENERATED(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(JSON_SCHEMAS) as SchemaName[]) {
    files[schemaFile(name)] = `${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`;
  }
  const root = path.resolve('.');
  const report = await gate({ root, overrides: {}, paths: ['examples'], pathsName: 'paths' });
  files['docs/example-comment.md'] = renderMarkdown(report, { commit: '0123456789abcdef0123456789abcdef01234567' });
  return files;
}
