import type { Waiver } from './config.js';
import type { Gate } from './gate.js';
import { strayWaivers } from './waivers.js';

export interface Judged {
  file: string;
  agentId: string | null;
  gate: Gate;
}

export interface Run {
  models: readonly Judged[];
  /** Models of the base that a pull request removed. */
  removed?: readonly Judged[];
  /** Include patterns that matched no file. */
  unmatched: readonly string[];
  /** Failures of the run that belong to no model, such as files past the max-files limit. */
  problems?: readonly string[];
  waivers?: readonly Waiver[];
  /** YYYY-MM-DD (UTC): waivers are judged against it. */
  today: string;
}

export interface Verdict {
  verdict: 'pass' | 'fail';
  reasons: string[];
  /** Remarks that do not change the verdict. */
  notes: string[];
}

/**
 * The run fails when any model, present or removed, fails its gate, when a problem of its own or an expired
 * waiver that names no model fails it, or when no file was found. Warn-only changes the exit status, not this.
 */
export function decideVerdict(run: Run): Verdict {
  const removed = run.removed ?? [];
  const strays = strayWaivers(run.waivers ?? [], [...removed, ...run.models], run.today);
  const failing = (models: readonly Judged[]) =>
    models.filter((m) => m.gate.outcome === 'fail').map((m) => `${m.file}: ${m.gate.reasons.join('; ')}`);
  const reasons = [...(run.problems ?? []), ...failing(removed), ...strays.reasons];
  if (run.models.length === 0) {
    reasons.push(`no threat-model files found: ${run.unmatched.map((p) => `"${p}"`).join(', ')} matched nothing`);
  }
  reasons.push(...failing(run.models));
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons, notes: strays.notes };
}
