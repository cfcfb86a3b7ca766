import type { LayerId } from '../spec/layers.js';

/** What changed in one model between the base and the head of a pull request. */
export const CHANGE_KINDS = [
  'renamed',
  'status',
  'score',
  'factor-sum',
  'factor',
  'cvss',
  'threat-multiplier',
  'mitigation-factor',
  'layer-status',
  'layer-emptied',
  'threat-added',
  'threat-removed',
  'threat-status',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  kind: ChangeKind;
  message: string;
  layer: LayerId | null;
  threat: string | null;
  /** Which way a number moved: the score or one of its inputs. */
  direction?: Direction;
}

export type Direction = 'raised' | 'lowered';

/** The part of a model's report that a comparison reads. */
export interface Comparable {
  file: string;
  status: string;
  score: number | null;
  factorSum: number | null;
  cvss: { score: number; vector: string | null } | null;
  factors: readonly { id: string; name: string; value: number }[];
  threatMultiplier: { value: number } | null;
  mitigationFactor: { value: number } | null;
  layers: readonly {
    id: LayerId;
    status: string;
    summary: string;
    threats: readonly { id: string; title: string; status: string }[];
  }[];
}

const two = (n: number) => n.toFixed(2);
const one = (n: number | null) => (n === null ? 'none' : n.toFixed(1));
/** A factor sum as exact as its factors: 4.4, or 3.45 when a factor has hundredths. */
export const formatFactorSum = (n: number) => (Math.round(n * 100) % 10 === 0 ? n.toFixed(1) : n.toFixed(2));

export function diffModels(base: Comparable, head: Comparable): Change[] {
  const changes: Change[] = [];
  const add = (kind: ChangeKind, message: string, layer: LayerId | null = null, threat: string | null = null) =>
    changes.push({ kind, message, layer, threat });
  const moved = (kind: ChangeKind, message: string, before: number | null | undefined, after: number | null | undefined) =>
    changes.push({ kind, message, layer: null, threat: null, ...direction(before, after) });

  if (base.file !== head.file) add('renamed', `renamed from ${base.file}`);
  if (base.status !== head.status) add('status', `${base.status} → ${head.status}`);
  if (base.score !== head.score) moved('score', `AIVSS ${one(base.score)} → ${one(head.score)}`, base.score, head.score);
  // An unscored model has no score delta: its factor sum, the agentic risk, is what moves.
  const unscored = base.score === null || head.score === null;
  if (unscored && base.factorSum !== null && head.factorSum !== null && base.factorSum !== head.factorSum) {
    moved(
      'factor-sum',
      `factor sum ${formatFactorSum(base.factorSum)} → ${formatFactorSum(head.factorSum)}`,
      base.factorSum,
      head.factorSum,
    );
  }
  if (base.cvss?.score !== head.cvss?.score || base.cvss?.vector !== head.cvss?.vector) {
    const message = `CVSS base ${base.cvss ? one(base.cvss.score) : 'none'} → ${head.cvss ? one(head.cvss.score) : 'none'}`;
    moved('cvss', message, base.cvss?.score, head.cvss?.score);
  }
  const baseFactors = new Map(base.factors.map((f) => [f.id, f]));
  for (const factor of head.factors) {
    const before = baseFactors.get(factor.id);
    if (before && before.value !== factor.value)
      moved('factor', `${factor.name} ${two(before.value)} → ${two(factor.value)}`, before.value, factor.value);
  }
  if (base.threatMultiplier && head.threatMultiplier && base.threatMultiplier.value !== head.threatMultiplier.value) {
    const [before, after] = [base.threatMultiplier.value, head.threatMultiplier.value];
    moved('threat-multiplier', `threat multiplier ${two(before)} → ${two(after)}`, before, after);
  }
  if (base.mitigationFactor && head.mitigationFactor && base.mitigationFactor.value !== head.mitigationFactor.value) {
    const [before, after] = [base.mitigationFactor.value, head.mitigationFactor.value];
    moved('mitigation-factor', `mitigation factor ${two(before)} → ${two(after)}`, before, after);
  }

  const headLayers = new Map(head.layers.map((l) => [l.id, l]));
  for (const before of base.layers) {
    const after = headLayers.get(before.id);
    const hasSummary = (layer: typeof after) => layer !== undefined && layer.status !== 'not-applicable' && layer.summary !== '';
    const summaryGone = hasSummary(before) && !hasSummary(after);
    // A layer left with no threat is emptied even if its summary stays: a summary is no threat.
    if ((after?.threats.length ?? 0) === 0 && (before.threats.length > 0 || summaryGone)) {
      const count = before.threats.length;
      const gone = `${count} threat${count === 1 ? '' : 's'}${summaryGone ? ' and its summary are' : count === 1 ? ' is' : ' are'} gone`;
      add('layer-emptied', `${before.id} emptied: ${gone}`, before.id);
      continue;
    }
    if (!after) continue;
    if (before.status !== after.status) add('layer-status', `${before.id} ${before.status} → ${after.status}`, before.id);
    const afterThreats = new Map(after.threats.map((t) => [t.id, t]));
    const beforeIds = new Set(before.threats.map((t) => t.id));
    for (const threat of before.threats) {
      const now = afterThreats.get(threat.id);
      if (!now) add('threat-removed', `${before.id} threat ${threat.id} removed: ${threat.title}`, before.id, threat.id);
      else if (now.status !== threat.status)
        add('threat-status', `${before.id} threat ${threat.id} ${threat.status} → ${now.status}: ${now.title}`, before.id, threat.id);
    }
    for (const threat of after.threats) {
      if (!beforeIds.has(threat.id)) add('threat-added', `${after.id} threat ${threat.id} added: ${threat.title}`, after.id, threat.id);
    }
  }
  const baseLayerIds = new Set(base.layers.map((l) => l.id));
  for (const layer of head.layers.filter((l) => !baseLayerIds.has(l.id))) {
    for (const threat of layer.threats) add('threat-added', `${layer.id} threat ${threat.id} added: ${threat.title}`, layer.id, threat.id);
  }
  return changes;
}

function direction(before: number | null | undefined, after: number | null | undefined): { direction?: Direction } {
  if (typeof before !== 'number' || typeof after !== 'number' || before === after) return {};
  return { direction: after > before ? 'raised' : 'lowered' };
}

/** Head score minus base score, in tenths so that 9.2 - 8.1 is 1.1 and not 1.0999999999999996. */
export function scoreDelta(base: number | null, head: number | null): number | null {
  return base === null || head === null ? null : Math.round((head - base) * 10) / 10;
}
