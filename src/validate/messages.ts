import type { z } from 'zod';
import { plainText } from '../render/escape.js';
import { didYouMean } from './suggest.js';

/**
 * The words of every refusal: the value found, quoted through the escaper, and what is accepted instead.
 * zod's own messages ("Invalid input") name neither.
 */

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A value from the file as a message shows it: short, on one line, and in YAML's words for what is not text. */
export function found(value: unknown): string {
  if (typeof value === 'string') return `"${plainText(value, 40)}"`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan (not a number)';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

/** The message for a number written in quotes where a number belongs, or null when `value` is no such thing. */
export function numberInQuotes(value: unknown): string | null {
  return typeof value === 'string' && NUMBER_TEXT.test(value.trim())
    ? `${found(value)} is a number in quotes: write ${Number(value)} without them`
    : null;
}

/** "a, b or c". */
export function oneOf(values: readonly unknown[]): string {
  const words = values.map(String);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? '');
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map (key: value lines)',
  array: 'a list (lines starting with "- ")',
  record: 'a map (key: value lines)',
};

export const MISSING = 'missing';

/**
 * How many unknown names of one map get a message of their own. A junk file can hold tens of thousands; the
 * report shows fifty problems a file, and each suggestion costs an edit distance over the known names.
 */
export const MAX_NAMED = 20;

/** The message for the names past MAX_NAMED, if any. */
export function andMore(count: number, what: string): string[] {
  return count > MAX_NAMED ? [`and ${count - MAX_NAMED} more ${what}`] : [];
}

/** The start of the message for an unknown key, which a misspelled required key then also answers. */
export const UNKNOWN_KEY = 'unknown key';

type RawIssue = z.core.$ZodRawIssue;

const shapeKeys = (inst: unknown): string[] =>
  Object.keys((inst as { _zod?: { def?: { shape?: Record<string, unknown> } } })._zod?.def?.shape ?? {});

/**
 * zod's error map for threat models: every refusal zod itself words. Fields with words of their own (numbers,
 * vectors, ids) give them in the schema. An unknown key's issue names all its keys: one line each.
 */
export function authoringError(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return `${MISSING} (required)`;
      return (
        (issue.expected === 'number' ? numberInQuotes(issue.input) : null) ??
        `expected ${EXPECTED[issue.expected] ?? issue.expected}, found ${found(issue.input)}`
      );
    }
    case 'unrecognized_keys': {
      const known = shapeKeys(issue.inst);
      const named = issue.keys
        .slice(0, MAX_NAMED)
        .map((key) => `${UNKNOWN_KEY} "${plainText(key, 40)}"${didYouMean(key, known)}; the keys here are ${oneOf(known)}`);
      return [...named, ...andMore(issue.keys.length, 'unknown keys')].join('\n');
    }
    case 'invalid_value':
      if (issue.input === undefined) return `${MISSING} (required): use ${oneOf(issue.values)}`;
      return `${found(issue.input)} is not accepted${didYouMean(String(issue.input), issue.values.map(String))}; use ${oneOf(issue.values)}`;
    case 'too_big':
    case 'too_small': {
      // Numbers have words of their own in the schema; texts and lists are what is left.
      const length = (issue.input as { length?: number } | undefined)?.length;
      if (issue.code === 'too_small') return issue.origin === 'string' && issue.minimum === 1 ? 'empty: write some text' : undefined;
      if (issue.origin === 'string') return `too long: at most ${issue.maximum} characters (found ${length})`;
      return issue.origin === 'array' ? `too many items: at most ${issue.maximum} (found ${length})` : undefined;
    }
    case 'invalid_format':
      return issue.format === 'url' ? `${found(issue.input)} is not an http or https URL` : undefined;
    default:
      return undefined;
  }
}
