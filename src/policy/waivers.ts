import type { Identified } from '../compare/match.js';
import type { LayerId } from '../spec/layers.js';
import { isScore, type Waiver } from './config.js';

/**
 * Every rule about waivers. A waiver names a model by its file or its agent id and, until it expires, turns the
 * model's failures of its scope into warnings. On a pull request it covers only the model it was granted for:
 * the one it names in the base, in the same file or moved (as the comparison pairs them), never a model that
 * takes that name in the pull request; and never at a score above the one it was granted for, the base score
 * unless the waiver sets a max-score.
 */

/** A model of the base commit, as waivers were granted for it. */
export interface BaseModel extends Identified {
  status: string;
  score: number | null;
}

/** What waivers read of a model. */
export interface WaiverSubject extends Identified {
  score: number | null;
  /** On a pull request: the base model the comparison paired this one with (null for a new model), and all of them. */
  base?: { paired: BaseModel | null; models: readonly BaseModel[] };
}

/** A waiver that names a model: whether it has expired and, when it is live but does not cover the model, why. */
export interface NamedWaiver {
  waiver: Waiver;
  expired: boolean;
  refusal: string | null;
}

export interface WaivedThreat {
  layer: LayerId;
  threat: string;
  owner: string;
  expires: string;
}

/** A waiver applies through the whole of its expiry day (UTC). */
export const isExpired = (waiver: Waiver, today: string) => waiver.expires < today;

const names = (waiver: Waiver, model: Identified) =>
  waiver.model === model.file || (model.agentId !== null && waiver.model === model.agentId);

export function describeWaiver(waiver: Waiver): string {
  const scope = [waiver.model, waiver.layer, waiver.threat].filter(Boolean).join(' ');
  const limit = waiver['max-score'] === undefined ? '' : ` up to ${waiver['max-score'].toFixed(1)}`;
  return `waiver for ${scope}${limit} by ${waiver.owner}, until ${waiver.expires}`;
}

/** The waivers that name this model, each judged: expired, covering it, or refused with the reason. */
export function namedWaivers(waivers: readonly Waiver[], model: WaiverSubject, today: string): NamedWaiver[] {
  return waivers
    .filter((w) => names(w, model))
    .map((waiver) => {
      const expired = isExpired(waiver, today);
      return { waiver, expired, refusal: expired ? null : refusal(waiver, model) };
    });
}

export const applies = (named: NamedWaiver) => !named.expired && named.refusal === null;

/** A failure is accepted by a waiver of the whole model or of the failure's layer; one of a single threat accepts none. */
export const coversFailure = (waiver: Waiver, layer: LayerId | null) =>
  waiver.threat === undefined && (waiver.layer === undefined || waiver.layer === layer);

/** Why a live waiver that names the model does not cover it, or null when it does. */
function refusal(waiver: Waiver, model: WaiverSubject): string | null {
  const description = describeWaiver(waiver);
  const maxScore = waiver['max-score'];
  if (!model.base) return maxScore === undefined ? null : scoreRefusal(description, maxScore, model.score);
  const { paired, models } = model.base;
  if (paired === null || !names(waiver, paired)) {
    const granted = models.filter((m) => names(waiver, m)).map((m) => m.file);
    const grant = granted.length === 0 ? 'names no model of the base' : `was granted for the model at ${granted.join(', ')} in the base`;
    return `the ${description} ${grant}; ${paired === null ? 'this is a new model' : `this is the model at ${paired.file} in the base`}`;
  }
  return scoreRefusal(description, maxScore ?? paired.score, model.score);
}

/** A waiver never covers a score above the one it was granted for, nor a model that no longer has one. */
function scoreRefusal(description: string, granted: number | null, score: number | null): string | null {
  if (granted === null) {
    return isScore(score)
      ? `score ${score.toFixed(1)} is above what the ${description} was granted for: the model had no score in the base`
      : null;
  }
  if (!isScore(score)) return `the ${description} was granted for a score of at most ${granted.toFixed(1)}, and the model has none now`;
  return score <= granted ? null : `score ${score.toFixed(1)} is above the ${granted.toFixed(1)} the ${description} was granted for`;
}

/** The threats that a live waiver of one threat accepts: shown as waived, and left out of the top threats. */
export function waivedThreats(
  named: readonly NamedWaiver[],
  layers: readonly { id: LayerId; threats: readonly { id: string }[] }[],
): WaivedThreat[] {
  const live = named.filter(applies).map((n) => n.waiver);
  return layers.flatMap((layer) =>
    layer.threats.flatMap((threat) => {
      const waiver = live.find((w) => w.threat === threat.id && (w.layer === undefined || w.layer === layer.id));
      return waiver ? [{ layer: layer.id, threat: threat.id, owner: waiver.owner, expires: waiver.expires }] : [];
    }),
  );
}

/** Waivers that name no model of the run: an expired one fails it, a live one is noted. */
export function strayWaivers(waivers: readonly Waiver[], models: readonly Identified[], today: string) {
  const strays = waivers.filter((w) => !models.some((m) => names(w, m)));
  return {
    reasons: strays.filter((w) => isExpired(w, today)).map((w) => `the ${describeWaiver(w)} has expired and names no model: remove it`),
    notes: strays.filter((w) => !isExpired(w, today)).map((w) => `the ${describeWaiver(w)} names no model`),
  };
}

/** Today's date in UTC, as waivers write it. */
export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10);
