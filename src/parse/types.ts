export type Format = 'native' | 'listing';

/** A problem found in a file, with the 1-based line it is on when it has one. */
export interface Problem {
  line: number | null;
  message: string;
}

export type PathSegment = string | number;

/** A file read into plain data, before validation, with the line each value came from. */
export interface Parsed {
  format: Format;
  data: unknown;
  lineOf(path: readonly PathSegment[]): number | null;
}

export type ParseResult = { ok: true; parsed: Parsed } | { ok: false; format: Format | null; problems: Problem[] };
