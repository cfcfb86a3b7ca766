import type { GateOutcome } from '../policy/gate.js';
import type { ModelReport, Report } from '../report/schema.js';
import type { Band } from '../score/bands.js';
import { decimal, join, markup, md, type Markdown } from './escape.js';

/**
 * The vocabulary every renderer shares: how a score, a band, a policy and a verdict are written. Each word is
 * made of numbers, enums and our own text, as Markdown that reads the same as plain text.
 */

export const formatScore = (score: number) => decimal(score, 1);

/**
 * How the factor sum (the agentic risk) of a model unscored on both sides moved from the base, in hundredths; null
 * when there is no such comparison, since a score delta then tells the change.
 */
export function factorSumDelta(model: ModelReport): number | null {
  const base = model.base;
  if (!base || base.score !== null || model.score !== null || base.factorSum === null || model.factorSum === null) return null;
  return Math.round((model.factorSum - base.factorSum) * 100) / 100;
}

export const bandLabel = (band: Band) => md(band[0]!.toUpperCase() + band.slice(1));

export function failOnLabel(failOn: Report['policy']['failOn']): Markdown {
  const threshold = formatScore(failOn.threshold);
  return failOn.band ? markup`${md(failOn.band)} (≥ ${threshold})` : markup`≥ ${threshold}`;
}

const OUTCOME_ICON: Readonly<Record<GateOutcome, Markdown>> = { fail: markup`🔴`, warn: markup`🟡`, pass: markup`🟢` };
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
export function verdictHeadline(report: Report): Markdown {
  if (report.couldNotRun !== undefined) return markup`❌ AIVSS gate could not run`;
  const { summary } = report;
  const worst = summary.worst
    ? markup`worst AIVSS ${formatScore(summary.worst.score)} ${bandLabel(summary.worst.severity)}`
    : markup`no scored model`;
  const total = summary.models + (report.comparison?.removed.length ?? 0);
  const failing = summary.failed > 0 ? markup`${summary.failed} of ${plural(total, 'model')} failing` : null;
  const warned = summary.warned > 0 ? plural(summary.warned, 'warning') : null;
  const status = report.verdict === 'fail' ? markup`❌ AIVSS gate failed` : markup`✅ AIVSS gate passed`;
  return join(
    [status, worst, failing, warned].filter((part) => part !== null),
    markup` · `,
  );
}

/** `1 model`, `3 models`: a count and a noun of ours. */
export const plural = (count: number, noun: string) => (count === 1 ? markup`${count} ${md(noun)}` : markup`${count} ${md(noun)}s`);
