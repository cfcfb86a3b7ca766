import type { GateOutcome } from '../report/schema.js';
import type { Band } from '../score/bands.js';
import { threshold, type Config } from './config.js';

export interface GateInput {
  status: 'scored' | 'unscored' | 'invalid';
  score: number | null;
  severity: Band | null;
}

export interface Gate {
  outcome: GateOutcome;
  reasons: string[];
}

/**
 * Every comparison is written so that a missing or NaN score fails: a model passes only when its score is
 * provably below the threshold.
 */
export function gateModel(model: GateInput, config: Config): Gate {
  if (model.status === 'invalid') {
    return { outcome: config['on-invalid'], reasons: ['the file could not be read as a valid threat model'] };
  }
  if (model.status === 'unscored') {
    return { outcome: config['on-unscored'], reasons: ['no CVSS base is given, so there is no AIVSS score'] };
  }
  const limit = threshold(config['fail-on']);
  const score = model.score;
  if (typeof score === 'number' && score < limit) return { outcome: 'pass', reasons: [] };
  return {
    outcome: 'fail',
    reasons: [
      typeof score === 'number' && !Number.isNaN(score)
        ? `score ${score.toFixed(1)} is at or above fail-on ${describeFailOn(config)}`
        : 'the score is missing or not a number',
    ],
  };
}

export function describeFailOn(config: Config): string {
  const failOn = config['fail-on'];
  return typeof failOn === 'number' ? failOn.toFixed(1) : `${failOn} (${threshold(failOn).toFixed(1)})`;
}

export interface Verdict {
  verdict: 'pass' | 'fail';
  reasons: string[];
}

/** The run fails when any model fails its gate or no file was found. Warn-only changes the exit status, not this. */
export function decideVerdict(models: readonly { file: string; gate: Gate }[], unmatched: readonly string[]): Verdict {
  const reasons: string[] = [];
  if (models.length === 0) {
    reasons.push(`no threat-model files found: ${unmatched.map((p) => `"${p}"`).join(', ')} matched nothing`);
  }
  for (const model of models.filter((m) => m.gate.outcome === 'fail')) reasons.push(`${model.file}: ${model.gate.reasons.join('; ')}`);
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons };
}
