import type { GateOutcome, ModelReport, Report } from '../report/schema.js';
import type { Band } from '../score/bands.js';

/** The vocabulary every renderer shares: how a score, a band, a policy and a verdict are written. */

export const formatScore = (score: number) => score.toFixed(1);

/**
 * How the factor sum (the agentic risk) of a model unscored on both sides moved from the base, in hundredths; null
 * when there is no such comparison, since a score delta then tells the change.
 */
export function factorSumDelta(model: ModelReport): number | null {
  const base = model.base;
  if (!base || base.score !== null || model.score !== null || base.factorSum === null || model.factorSum === null) return null;
  return Math.round((model.factorSum - base.factorSum) * 100) / 100;
}

export const bandLabel = (band: Band) => band[0]!.toUpperCase() + band.slice(1);

export function failOnLabel(failOn: Report['policy']['failOn']): string {
  return failOn.band ? `${failOn.band} (≥ ${formatScore(failOn.threshold)})` : `≥ ${formatScore(failOn.threshold)}`;
}

const OUTCOME_ICON: Readonly<Record<GateOutcome, string>> = { fail: '🔴', warn: '🟡', pass: '🟢' };
export const outcomeIcon = (outcome: GateOutcome) => OUTCOME_ICON[outcome];

const OUTCOME_RANK: Readonly<Record<GateOutcome, number>> = { fail: 0, warn: 1, pass: 2 };

/** Most important first: failing, then warned, then passing; within each, the highest score first. */
export function orderModels(models: readonly ModelReport[]): ModelReport[] {
  return [...models].sort(
    (a, b) =>
      OUTCOME_RANK[a.gate.outcome] - OUTCOME_RANK[b.gate.outcome] ||
      (b.score ?? -1) - (a.score ?? -1) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
}

/** One line that tells the verdict and the worst score; it holds no text from threat-model files. */
export function verdictHeadline(report: Report): string {
  const { summary } = report;
  const worst = summary.worst ? `worst AIVSS ${formatScore(summary.worst.score)} ${bandLabel(summary.worst.severity)}` : 'no scored model';
  const total = summary.models + (report.comparison?.removed.length ?? 0);
  const failing = summary.failed > 0 ? `${summary.failed} of ${total} model${total === 1 ? '' : 's'} failing` : null;
  const warned = summary.warned > 0 ? `${summary.warned} warning${summary.warned === 1 ? '' : 's'}` : null;
  const status = report.verdict === 'fail' ? '❌ AIVSS gate failed' : '✅ AIVSS gate passed';
  return [status, worst, failing, warned].filter(Boolean).join(' · ');
}
