import { looksLikeListing, parseListing } from './listing/index.js';
import { isJsonFile } from './strict-json.js';
import { parseYaml } from './yaml.js';
import type { ParseResult } from './types.js';

/** Reads a file by its content: a listing is recognised by its headings whatever its extension; a .json file is strict JSON. */
export function parseThreatModel(text: string, file = ''): ParseResult {
  return detached(looksLikeListing(text) ? parseListing(text) : parseYaml(text, { json: isJsonFile(file) }));
}

/**
 * A parsed string can be a slice of the text, and a slice keeps the whole text alive: copied, the report of a
 * large repository holds the values it shows, not every file it read.
 */
function detached(result: ParseResult): ParseResult {
  return result.ok ? { ok: true, parsed: { ...result.parsed, data: structuredClone(result.parsed.data) } } : result;
}

export type { Format, ParseResult, Parsed } from './types.js';
