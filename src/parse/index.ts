import { looksLikeListing, parseListing } from './listing.js';
import { parseYaml } from './yaml.js';
import type { ParseResult } from './types.js';

/** Reads a file by its content: a listing is recognised by its headings whatever its extension. */
export function parseThreatModel(text: string): ParseResult {
  return looksLikeListing(text) ? parseListing(text) : parseYaml(text);
}

export type { Format, ParseResult, Parsed } from './types.js';
