import { looksLikeListing, parseListing } from './listing/index.js';
import { isJsonFile } from './strict-json.js';
import { parseYaml } from './yaml.js';
import type { ParseResult } from './types.js';

/** Reads a file by its content: a listing is recognised by its headings whatever its extension; a .json file is strict JSON. */
export function parseThreatModel(text: string, file = ''): ParseResult {
  return looksLikeListing(text) ? parseListing(text) : parseYaml(text, { json: isJsonFile(file) });
}

export type { Format, ParseResult, Parsed } from './types.js';
