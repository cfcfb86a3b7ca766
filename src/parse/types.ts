export type Format = 'native' | 'listing';

/** A problem found in a file, with the 1-based line (and column, for syntax) it is on when it has one. */
export interface Problem {
  line: number | null;
  column?: number;
  message: string;
}

/** Where a problem is, as it follows a file name: ":12:5", ":12" or nothing. */
export function place(problem: Problem): string {
  if (problem.line === null) return '';
  return problem.column === undefined ? `:${problem.line}` : `:${problem.line}:${problem.column}`;
}

export type PathSegment = string | number;

/** A file read into plain data, before validation, with the line each value came from. */
export interface Parsed {
  format: Format;
  data: unknown;
  lineOf(path: readonly PathSegment[]): number | null;
  /**
   * Problems the reader found and read on past (an agent listing reports them all at once): the file is invalid,
   * and validation adds its own problems about the rest.
   */
  problems?: readonly Problem[];
  /** Parts left out or held by a placeholder because of one of those problems: validation says nothing about them. */
  unread?: readonly (readonly PathSegment[])[];
}

export type ParseResult = { ok: true; parsed: Parsed } | { ok: false; format: Format | null; problems: Problem[] };
