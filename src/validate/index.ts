import type { z } from 'zod';
import type { Parsed, PathSegment, Problem } from '../parse/types.js';
import { ThreatModel } from './schema.js';

/** On failure, the agent's name too when the file gives one, so that an invalid model is still named. */
export type Validated = { ok: true; model: ThreatModel } | { ok: false; problems: Problem[]; name: string | null };

/** Turns zod issues into problems that name the line and the field. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], lineOf: (path: readonly PathSegment[]) => number | null): Problem[] {
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = keys.length > 0 ? [...path, keys[0]!] : path;
    const field = at.length > 0 ? `${at.join('.')}: ` : '';
    return { line: lineOf(at), message: `${field}${issue.message}` };
  });
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
  const result = ThreatModel.safeParse(data, { reportInput: false });
  const read = parsed.problems ?? [];
  if (result.success && read.length === 0) return { ok: true, model: result.data };
  const unread = parsed.unread ?? [];
  const issues = result.success ? [] : result.error.issues.filter((issue) => !unread.some((part) => startsWith(issue.path, part)));
  const problems = issuesToProblems(issues, parsed.lineOf);
  return { ok: false, problems: read.length === 0 ? problems : byLine([...read, ...problems]), name: nameOf(data) };
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PathSegment[]) => prefix.every((segment, i) => path[i] === segment);

/** Problems in file order; those without a line (about the whole file) first. */
const byLine = (problems: Problem[]) => problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

function nameOf(data: object): string | null {
  const agent = (data as { agent?: unknown }).agent;
  const name = typeof agent === 'object' && agent !== null ? (agent as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}
