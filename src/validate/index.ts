import type { z } from 'zod';
import type { Parsed } from '../parse/types.js';
import type { PathSegment, Problem } from '../spec/problem.js';
import { ThreatModel } from './schema.js';

export type Validated = { ok: true; model: ThreatModel } | { ok: false; problems: Problem[] };

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
    };
  }
  const result = ThreatModel.safeParse(data, { reportInput: false });
  return result.success ? { ok: true, model: result.data } : { ok: false, problems: issuesToProblems(result.error.issues, parsed.lineOf) };
}
