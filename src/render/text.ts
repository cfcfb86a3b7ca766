import { styleText } from 'node:util';
import type { ModelReport, Report } from '../report/schema.js';
import { place } from '../spec/problem.js';
import { plainText } from './escape.js';
import { formatFactorSum } from '../compare/diff.js';
import { bandLabel, factorSumDelta, failOnLabel, formatScore, orderModels } from './words.js';

type Paint = (format: Parameters<typeof styleText>[0], text: string) => string;

const painter =
  (color: boolean): Paint =>
  (format, text) =>
    color ? styleText(format, text) : text;

/** The verdict on one line: PASS or FAIL, the worst score and the count of failing models. */
export function verdictLine(report: Report, options: { color: boolean }): string {
  const paint = painter(options.color);
  const { summary } = report;
  const verdict = report.verdict === 'fail' ? paint(['bold', 'red'], 'FAIL') : paint(['bold', 'green'], 'PASS');
  if (report.couldNotRun !== undefined) return `aivss-gate ${verdict}  the gate could not run: ${plainText(report.couldNotRun, 1000)}`;
  const worst = summary.worst ? `worst ${formatScore(summary.worst.score)} ${summary.worst.severity}` : 'no scored model';
  return `aivss-gate ${verdict}  ${worst}  (${summary.models} model${summary.models === 1 ? '' : 's'}, ${summary.failed} failing; fail-on ${failOnLabel(report.policy.failOn)})`;
}

/** The terminal report: one line per model, its reasons and problems under it; colour only when asked. */
export function renderText(report: Report, options: { color: boolean }): string {
  const paint = painter(options.color);
  if (report.couldNotRun !== undefined) return `${verdictLine(report, options)}\n`;
  const lines = [verdictLine(report, options), ''];
  for (const removed of report.comparison?.removed ?? []) {
    const mark = { fail: paint('red', '✖'), warn: paint('yellow', '!'), pass: paint('green', '✔') }[removed.gate.outcome];
    lines.push(`  ${mark} ${'removed'.padEnd(16)} ${plainText(removed.name ?? '', 40).padEnd(40)} ${plainText(removed.file, 200)}`);
    for (const reason of removed.gate.reasons) lines.push(paint('dim', `      ${plainText(reason, 300)}`));
  }
  for (const change of report.comparison?.policyChanges ?? []) {
    lines.push(
      `  policy: ${plainText(change.message, 200)} (${change.effect === 'loosened' ? 'takes effect after the merge' : 'applies now'})`,
    );
  }
  for (const model of orderModels(report.models)) {
    const mark = { fail: paint('red', '✖'), warn: paint('yellow', '!'), pass: paint('green', '✔') }[model.gate.outcome];
    lines.push(
      `  ${mark} ${scoreColumn(model).padEnd(16)} ${plainText(model.name ?? '(unreadable)', 40).padEnd(40)} ${plainText(model.file, 200)}`,
    );
    for (const reason of model.gate.reasons) lines.push(paint('dim', `      ${plainText(reason, 300)}`));
    for (const change of model.changes) lines.push(`      changed: ${plainText(change.message, 300)}`);
    for (const problem of [...model.errors, ...model.warnings]) {
      // No line starts with file text, which a runner could take for a workflow command (::error::...).
      lines.push(`      ↳ ${plainText(model.file, 200)}${place(problem)}: ${plainText(problem.message, 400)}`);
    }
    const uncertain = model.layers.filter((l) => l.status === 'uncertain').map((l) => l.id);
    if (uncertain.length > 0) lines.push(paint('dim', `      uncertain layers: ${uncertain.join(', ')}`));
  }
  if (report.models.length === 0) lines.push(`  ${report.reasons.map((r) => plainText(r, 400)).join('\n  ')}`);
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `  note: ${plainText(n, 400)}`));
  if (report.policy.warnOnly && report.verdict === 'fail') lines.push('', 'warn-only: the verdict is reported, the exit status is 0');
  return lines.join('\n') + '\n';
}

function scoreColumn(model: ModelReport): string {
  if (model.status === 'invalid') return 'invalid';
  const arrow = (delta: number | null, format: (n: number) => string) =>
    delta === null || delta === 0 ? '' : ` ${delta > 0 ? '▲' : '▼'}${format(Math.abs(delta))}`;
  if (model.score === null) return `unscored ${formatFactorSum(model.factorSum ?? 0)}/10${arrow(factorSumDelta(model), formatFactorSum)}`;
  return `${formatScore(model.score)} ${bandLabel(model.severity!)}${arrow(model.delta, formatScore)}`;
}
