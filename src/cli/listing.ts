import { readFile } from 'node:fs/promises';
import { decode } from '../discover/read.js';
import { parseThreatModel } from '../parse/index.js';
import type { Problem } from '../spec/problem.js';
import type { ThreatModel } from '../validate/schema.js';
import { validateThreatModel } from '../validate/index.js';

export type ListingResult = { ok: true; model: ThreatModel } | { ok: false; problems: readonly Problem[] };

/** Reads an agent listing and validates it as a threat model: what `convert` and `init --from-listing` start from. */
export async function readListing(file: string): Promise<ListingResult> {
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, problems: [{ line: null, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }] };
  }
  const read = decode(bytes);
  if (!read.ok) return { ok: false, problems: [{ line: null, message: read.message }] };
  return listingModel(read.text);
}

/** A listing's text as a validated threat model, or its problems; a native threat model is not a listing. */
export function listingModel(text: string): ListingResult {
  const parsed = parseThreatModel(text);
  if (!parsed.ok) return parsed;
  if (parsed.parsed.format !== 'listing') {
    return { ok: false, problems: [{ line: null, message: 'is not an agent listing (it reads as a native threat model already)' }] };
  }
  const validated = validateThreatModel(parsed.parsed);
  return validated.ok ? { ok: true, model: validated.model } : validated;
}
