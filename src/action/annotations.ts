import * as core from '@actions/core';
import { plainText } from '../render/escape.js';
import { formatScore, orderModels } from '../render/words.js';
import type { ModelReport, Report } from '../report/schema.js';
import { checkoutPath, type Workspace } from './workspace.js';

/** The runner shows at most ten annotations of each level per step and drops the rest silently. */
const RUNNER_LIMIT_PER_LEVEL = 10;
// One slot of each level stays free for the run's own failure message or an API warning.
const MODEL_SLOTS = RUNNER_LIMIT_PER_LEVEL - 1;

type Level = 'error' | 'warning';

/** One annotation per model that fails or warns, at its file and line, most important first. */
export function annotateModels(report: Report, workspace: Workspace): void {
  const flagged = orderModels(report.models).filter((m) => m.gate.outcome !== 'pass');
  const left: Record<Level, number> = { error: 0, warning: 0 };
  const used: Record<Level, number> = { error: 0, warning: 0 };
  for (const model of flagged) {
    const level: Level = model.gate.outcome === 'fail' && !report.policy.warnOnly ? 'error' : 'warning';
    if (used[level] === MODEL_SLOTS) {
      left[level]++;
      continue;
    }
    used[level]++;
    const properties = { title: `aivss-gate: ${title(model)}`, file: checkoutPath(workspace, model.file), startLine: model.line };
    (level === 'error' ? core.error : core.warning)(message(model), properties);
  }
  for (const level of ['error', 'warning'] as const) {
    if (left[level] > 0)
      core.info(
        `aivss-gate: ${left[level]} more ${level} annotations left out (the runner shows ten per level); the job summary lists every model.`,
      );
  }
}

function title(model: ModelReport): string {
  if (model.status === 'invalid') return 'invalid threat model';
  if (model.score === null) return 'unscored threat model';
  return `AIVSS ${formatScore(model.score)} ${model.severity}`;
}

/** Problems quote the file, so they pass through plainText: one printable line, no escape sequences. */
function message(model: ModelReport): string {
  if (model.status === 'invalid') {
    const [first, ...more] = model.errors;
    const extra = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})` : '';
    return `${plainText(first?.message ?? 'the file is not a valid threat model', 400)}${extra}`;
  }
  return plainText(model.gate.reasons.join('; '), 400);
}
