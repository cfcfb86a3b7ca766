import type { GateOutcome } from '../report/schema.js';
import type { Band } from '../score/bands.js';
import type { LayerId } from '../spec/layers.js';
import { threshold, type Config, type Waiver } from './config.js';
import { describeWaiver, isExpired, waiversFor } from './waivers.js';

export interface GateInput {
  file: string;
  agentId: string | null;
  status: 'scored' | 'unscored' | 'invalid' | 'removed';
  score: number | null;
  severity: Band | null;
  /** Layers this pull request emptied of threats. */
  emptiedLayers?: readonly LayerId[];
}

export interface Gate {
  outcome: GateOutcome;
  reasons: string[];
  /** The waivers that name this model, active or expired. */
  waivers: (Waiver & { expired: boolean })[];
}

interface Failure {
  outcome: GateOutcome;
  reason: string;
  layer: LayerId | null;
}

/**
 * Every comparison is written so that a missing or NaN score fails: a model passes only when its score is
 * provably below the threshold. A failure turns into a warning only under an active waiver of its scope; an
 * expired waiver is a failure of its own.
 */
export function gateModel(model: GateInput, config: Config, today: string): Gate {
  const failures = findFailures(model, config);
  const named = waiversFor(config.waivers, model).map((w) => ({ ...w, expired: isExpired(w, today) }));
  const active = named.filter((w) => !w.expired);
  const reasons: string[] = [];
  const outcomes: GateOutcome[] = [];
  for (const failure of failures) {
    const waiver =
      failure.outcome === 'fail'
        ? active.find((w) => w.threat === undefined && (w.layer === undefined || w.layer === failure.layer))
        : undefined;
    outcomes.push(waiver ? 'warn' : failure.outcome);
    reasons.push(waiver ? `${failure.reason}, accepted by the ${describeWaiver(waiver)}: ${waiver.reason}` : failure.reason);
  }
  for (const waiver of named.filter((w) => w.expired)) {
    outcomes.push('fail');
    reasons.push(`the ${describeWaiver(waiver)} has expired: renew it or fix the risk`);
  }
  const outcome = outcomes.includes('fail') ? 'fail' : outcomes.includes('warn') ? 'warn' : 'pass';
  return { outcome, reasons, waivers: named };
}

/** What the scorer can give: a number from 0 to 10. A negative zero is none, as the schema refuses it in inputs. */
const isScore = (score: unknown): score is number => typeof score === 'number' && score >= 0 && score <= 10 && !Object.is(score, -0);

function findFailures(model: GateInput, config: Config): Failure[] {
  const failures: Failure[] = [];
  const fail = (outcome: GateOutcome, reason: string, layer: LayerId | null = null) => failures.push({ outcome, reason, layer });
  if (model.status === 'removed') fail(config['on-removed'], 'the threat model was removed in this pull request');
  else if (model.status === 'invalid') fail(config['on-invalid'], 'the file could not be read as a valid threat model');
  else if (model.status === 'unscored') fail(config['on-unscored'], 'no CVSS base is given, so there is no AIVSS score');
  else {
    const limit = threshold(config['fail-on']);
    const score = model.score;
    if (!(isScore(score) && score < limit)) {
      fail(
        'fail',
        isScore(score)
          ? `score ${score.toFixed(1)} is at or above fail-on ${describeFailOn(config)}`
          : 'the score is missing or not a number from 0 to 10',
      );
    }
  }
  for (const layer of model.emptiedLayers ?? []) fail(config['on-removed'], `layer ${layer} was emptied in this pull request`, layer);
  return failures;
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
export function decideVerdict(
  models: readonly { file: string; gate: Gate }[],
  unmatched: readonly string[],
  runReasons: readonly string[] = [],
): Verdict {
  const reasons: string[] = [...runReasons];
  if (models.length === 0) {
    reasons.push(`no threat-model files found: ${unmatched.map((p) => `"${p}"`).join(', ')} matched nothing`);
  }
  for (const model of models.filter((m) => m.gate.outcome === 'fail')) reasons.push(`${model.file}: ${model.gate.reasons.join('; ')}`);
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons };
}
