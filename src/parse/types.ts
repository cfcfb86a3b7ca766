import type { PathSegment, Problem } from '../spec/problem.js';

export type Format = 'native' | 'listing';

/** A file read into plain data, before validation, with the line each value came from. */
export interface Parsed {
  format: Format;
  data: unknown;
  lineOf(path: readonly PathSegment[]): number | null;
}

export type ParseResult = { ok: true; parsed: Parsed } | { ok: false; format: Format | null; problems: Problem[] };
