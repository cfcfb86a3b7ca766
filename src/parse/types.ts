import type { PathSegment, Problem } from '../spec/problem.js';

export type Format = 'native' | 'listing';

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
