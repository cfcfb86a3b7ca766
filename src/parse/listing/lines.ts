/**
 * Line tools shared by every part of the listing reader. Every pattern here is anchored and has no two
 * quantifiers that can match the same characters in a row, so each line is read in time linear in its length.
 */

import type { PathSegment, Problem } from '../../spec/problem.js';

export interface Line {
  /** The 1-based line number in the file. */
  number: number;
  /** The line without Markdown heading marks, surrounding emphasis or surrounding spaces. */
  text: string;
}

/** The non-blank lines of a file, each with its number, whatever the line ends (LF, CRLF, CR). */
export function linesOf(text: string): Line[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, index) => ({ number: index + 1, text: plain(raw) }))
    .filter((line) => line.text !== '');
}

/** Strips Markdown heading marks and emphasis around a line, so `## OWASP AIVSS score rationale` still matches. */
export function plain(text: string): string {
  return text
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^(\*\*|__)(.*)\1$/, '$2')
    .trim();
}

/** A line without any bold marks, for the lines whose parts saved Markdown emboldens (`**6.2**AIVSS 6.2`). */
export const unbold = (text: string) => text.replaceAll('**', '').replaceAll('__', '').trim();

export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

const TITLE_SUFFIX = /agentic threat model$/i;
const DASHES = '—–-';

/**
 * The agent name of a title line "<Agent name> — agentic threat model" (empty when it has none), or null. Read without a regex such as
 * /^(.*?)\s*[—–-]+\s*agentic.../: backtracking makes that quadratic on a long line of dashes or spaces.
 */
export function titleName(line: string): string | null {
  const text = line.trimEnd();
  if (!TITLE_SUFFIX.test(text)) return null;
  const head = text.slice(0, text.length - 'agentic threat model'.length).trimEnd();
  let end = head.length;
  while (end > 0 && DASHES.includes(head[end - 1]!)) end--;
  const name = head.slice(0, end).trim();
  // The regex's `.` never matched a line or paragraph separator.
  return end < head.length && !/[\u2028\u2029]/.test(name) ? name : null;
}

const RATIONALE_WORDS = 'OWASP AIVSS score rationale';
const MAESTRO_WORDS = 'MAESTRO 7-layer threat model';
export const RATIONALE = new RegExp(`^${RATIONALE_WORDS}\\s*$`, 'i');
export const MAESTRO = new RegExp(`^${MAESTRO_WORDS}\\s*$`, 'i');
/** The words of either heading anywhere in a text: a text without them has neither heading. */
export const HEADING_WORDS = new RegExp(`${RATIONALE_WORDS}|${MAESTRO_WORDS}`, 'i');

/**
 * What the reader found while reading one listing: the problems, each with its line; the parts it could not read
 * (validation stays silent about them, since the problems already say why); and the line of each part it read.
 */
export class Reading {
  readonly problems: Problem[] = [];
  readonly unread: PathSegment[][] = [];
  private readonly lines = new Map<string, number>();

  problem(line: number | null, message: string): void {
    this.problems.push({ line, message });
  }

  /** A part left out of the model, or held by a placeholder, because a problem was reported about it. */
  skip(path: readonly PathSegment[]): void {
    this.unread.push([...path]);
  }

  record(path: readonly PathSegment[], line: number): void {
    this.lines.set(JSON.stringify(path), line);
  }

  /** The line of a part, or of the nearest part that holds it; `fallback` for the rest. */
  lineOf(path: readonly PathSegment[], fallback: number | null): number | null {
    for (let n = path.length; n > 0; n--) {
      const line = this.lines.get(JSON.stringify(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return fallback;
  }
}

/** Text from the file quoted in a message, cut short: a problem names what it found, not a whole long line. */
export function quote(text: string, max = 60): string {
  const chars = Array.from(text);
  return `"${chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`}"`;
}
