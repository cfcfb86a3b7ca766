import { z } from 'zod';
import type { Band } from '../score/bands.js';
import type { LayerId } from '../spec/layers.js';
import { isScore, threshold, type Config, type Waiver } from './config.js';
import { applies, coversFailure, describeWaiver, namedWaivers, waivedThreats, type WaivedThreat, type WaiverSubject } from './waivers.js';

export const GateOutcome = z.enum(['pass', 'warn', 'fail']);
export type GateOutcome = z.infer<typeof GateOutcome>;

export interface GateInput extends WaiverSubject {
  status: 'scored' | 'unscored' | 'invalid' | 'removed';
  severity: Band | null;
  /** Layers this pull request emptied of threats. */
  emptiedLayers?: readonly LayerId[];
  /** The model's threats, for waivers of a single threat. */
  layers?: readonly { id: LayerId; threats: readonly { id: string }[] }[];
}

export interface Gate {
  outcome: GateOutcome;
  reasons: string[];
  /** The waivers that name this model, active, expired or not covering it. */
  waivers: (Waiver & { expired: boolean; applies: boolean })[];
  waivedThreats: WaivedThreat[];
}

interface Failure {
  outcome: GateOutcome;
  reason: string;
  layer: LayerId | null;
}

/**
 * Every comparison is written so that a missing or NaN score fails: a model passes only when its score is
 * provably below the threshold. A failure turns into a warning only under a waiver of its scope that covers the
 * model (see waivers.ts); an expired waiver is a failure of its own.
 */
export function gateModel(model: GateInput, config: Config, today: string): Gate {
  const failures = findFailures(model, config);
  const named = namedWaivers(config.waivers, model, today);
  const active = named.filter(applies).map((n) => n.waiver);
  const reasons: string[] = [];
  const outcomes: GateOutcome[] = [];
  const unwaived: Failure[] = [];
  for (const failure of failures) {
    const waiver = failure.outcome === 'fail' ? active.find((w) => coversFailure(w, failure.layer)) : undefined;
    if (failure.outcome === 'fail' && !waiver) unwaived.push(failure);
    outcomes.push(waiver ? 'warn' : failure.outcome);
    reasons.push(waiver ? `${failure.reason}, accepted by the ${describeWaiver(waiver)}: ${waiver.reason}` : failure.reason);
  }
  // Why a waiver that names the model did not turn a failure of its scope into a warning.
  for (const { waiver, refusal } of named) {
    if (refusal !== null && unwaived.some((f) => coversFailure(waiver, f.layer))) reasons.push(refusal);
  }
  for (const { waiver } of named.filter((n) => n.expired)) {
    outcomes.push('fail');
    reasons.push(`the ${describeWaiver(waiver)} has expired: renew it or fix the risk`);
  }
  const outcome = outcomes.includes('fail') ? 'fail' : outcomes.includes('warn') ? 'warn' : 'pass';
  return {
    outcome,
    reasons,
    waivers: named.map((n) => ({ ...n.waiver, expired: n.expired, applies: applies(n) })),
    waivedThreats: waivedThreats(named, model.layers ?? []),
  };
}

function findFailures(model: GateInput, config: Config): Failure[] {
  const failures: Failure[] = [];
  const fail = (outcome: GateOutcome, reason: string, layer: LayerId | null = null) => failures.push({ outcome, reason, layer });
  const before = model.base?.paired;
  if (model.status === 'removed') fail(config['on-removed'], 'the threat model was removed in this pull request');
  else if (before?.status === 'scored' && model.status !== 'scored') {
    // Taking the score away would otherwise trade a failing score for on-unscored or on-invalid.
    const now = model.status === 'invalid' ? 'it is invalid now' : 'it has no CVSS base now';
    fail(config['on-removed'], `the model lost its score in this pull request: ${describeScore(before.score)} in the base, ${now}`);
  } else if (model.status === 'invalid') fail(config['on-invalid'], 'the file could not be read as a valid threat model');
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

const describeScore = (score: number | null) => (isScore(score) ? `scored ${score.toFixed(1)}` : 'scored');

export function describeFailOn(config: Config): string {
  const failOn = config['fail-on'];
  return typeof failOn === 'number' ? failOn.toFixed(1) : `${failOn} (${threshold(failOn).toFixed(1)})`;
}
