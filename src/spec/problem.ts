/** A problem found in a file, with the 1-based line it is on when it has one. */
export interface Problem {
  line: number | null;
  message: string;
}

/** Where a value sits in a file's data: the keys and indexes that lead to it. */
export type PathSegment = string | number;
