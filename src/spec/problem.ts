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

/** Where a value sits in a file's data: the keys and indexes that lead to it. */
export type PathSegment = string | number;
