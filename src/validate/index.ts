import type { z } from 'zod';
import type { Parsed } from '../parse/types.js';
import type { PathSegment, Problem } from '../spec/problem.js';
import { MAX_NAMED, MISSING, UNKNOWN_KEY, authoringError } from './messages.js';
import { ThreatModel } from './schema.js';
import { closest } from './suggest.js';

/** On failure, the agent's name too when the file gives one, so that an invalid model is still named. */
export type Validated = { ok: true; model: ThreatModel } | { ok: false; problems: Problem[]; name: string | null };

type Issue = z.core.$ZodIssue;

const pathOf = (issue: Issue) => issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');

/** Turns zod issues into problems that name the line and the field; an issue about several unknown keys gives one problem each. */
export function issuesToProblems(issues: readonly Issue[], lineOf: (path: readonly PathSegment[]) => number | null): Problem[] {
  const problems: Problem[] = [];
  for (const issue of withoutMisspelledKeys(issues)) {
    const path = pathOf(issue);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const messages = keys.length > 1 ? issue.message.split('\n') : [issue.message];
    for (const [index, message] of messages.entries()) {
      // The message past the named keys counts the rest: it belongs to the map.
      const at = keys.length > 0 && index < MAX_NAMED ? [...path, keys[index] ?? keys[0]!] : path;
      problems.push({ line: lineOf(at), message: `${at.length > 0 ? `${at.join('.')}: ` : ''}${message}` });
    }
  }
  return problems;
}

/**
 * A misspelled key ("severty") is also a required key missing ("severity"): the unknown key's message already
 * suggests it, so the second message would say the same thing twice.
 */
function withoutMisspelledKeys(issues: readonly Issue[]): Issue[] {
  const unknown = issues.filter((i) => i.code === 'unrecognized_keys' && i.message.startsWith(UNKNOWN_KEY));
  if (unknown.length === 0) return [...issues];
  const parentOf = (issue: Issue) => JSON.stringify(pathOf(issue).slice(0, -1));
  return issues.filter((issue) => {
    if (!issue.message.startsWith(MISSING)) return true;
    const key = pathOf(issue).at(-1);
    const parent = parentOf(issue);
    return !unknown.some(
      (u) =>
        u.code === 'unrecognized_keys' && JSON.stringify(pathOf(u)) === parent && u.keys.some((k) => closest(k, [String(key)]) !== null),
    );
  });
}

/** The agent's name, when the file gives one, even if other parts are invalid: the report then names the file's agent. */
function readableAgentName(data: unknown): string | null {
  const agent = typeof data === 'object' && data !== null ? (data as { agent?: unknown }).agent : undefined;
  const name = typeof agent === 'object' && agent !== null ? (agent as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

export function validateThreatModel(parsed: Parsed): Validated {
  const data = parsed.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      problems: [
        {
          line: parsed.lineOf([]),
          message:
            'not a threat model: expected a native threat model (a YAML or JSON map with formatVersion: 1) or an agent listing ("<Agent> — agentic threat model")',
        },
      ],
      name: null,
    };
  }
  const result = ThreatModel.safeParse(data, { reportInput: false, error: authoringError });
  const read = parsed.problems ?? [];
  if (result.success && read.length === 0) return { ok: true, model: result.data };
  const unread = parsed.unread ?? [];
  const issues = result.success ? [] : result.error.issues.filter((issue) => !unread.some((part) => startsWith(issue.path, part)));
  const problems = issuesToProblems(issues, parsed.lineOf);
  return { ok: false, problems: byLine([...read, ...problems]), name: readableAgentName(data) };
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PathSegment[]) => prefix.every((segment, i) => path[i] === segment);

/** Problems in the order of the file, as a person fixes them; those without a line last. */
const byLine = (problems: Problem[]) => problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
