import type { LayerReport, ModelReport, Report, ThreatReport } from '../report/schema.js';
import type { Band } from '../score/bands.js';
import { html, md } from './escape.js';
import { formatFactorSum } from '../compare/diff.js';
import { bandLabel, factorSumDelta, failOnLabel, formatScore, orderModels, outcomeIcon, verdictHeadline } from './words.js';

/**
 * The body of the pull-request comment and the job summary: the verdict and the worst score on the first line,
 * a table of models, then one collapsible section per model with its factors, layers and threats.
 */
export interface MarkdownOptions {
  /** The head commit the report describes. */
  commit?: string | null;
  /** The longest body allowed; sections are collapsed, then dropped whole, to fit. */
  maxLength?: number;
  /** Where a reader finds what was left out to fit maxLength. */
  fullReportHint?: string;
}

const DEFAULT_HINT = 'The job summary and the JSON report (the `report-json` output) have it all.';

const SEVERITY_ICON: Readonly<Record<ThreatReport['severity'], string>> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
};
const LAYER_STATUS: Readonly<Record<LayerReport['status'], string>> = {
  mapped: 'mapped',
  uncertain: '⚠️ **uncertain**',
  'not-applicable': 'not applicable',
};
const THREAT_STATUS_ORDER: Readonly<Record<ThreatReport['status'], number>> = { open: 0, accepted: 1, mitigated: 2 };
const SEVERITY_ORDER: Readonly<Record<ThreatReport['severity'], number>> = { critical: 0, high: 1, medium: 2, low: 3 };

type Detail = 'full' | 'compact';
const TOP_THREATS = 5;

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const models = orderModels(report.models);
  const head = [headline(report), '', policyLine(report, options.commit ?? null), ...runReasons(report), ...comparison(report)];
  const compared = report.comparison !== null;
  const table = [...modelsTable(models, compared), ...topThreats(models)];
  const footer = `<sub>aivss-gate ${report.tool.version} · OWASP AIVSS ${report.policy.formula} · MAESTRO layers L1–L7</sub>`;
  const compose = (rows: string[], details: string[], note: string | null) =>
    [...head, '', ...rows, '', ...details, ...(note ? [note, ''] : []), footer].join('\n') + '\n';

  const limit = options.maxLength ?? Infinity;
  const hint = options.fullReportHint ?? DEFAULT_HINT;
  const details = models.map((m) => modelSection(m, 'full'));
  let body = compose(table, details, null);
  // Too long: collapse the least important models first (they come last), then drop their sections whole.
  for (let i = details.length - 1; i >= 0 && body.length > limit; i--) {
    details[i] = modelSection(models[i]!, 'compact');
    body = compose(table, details, cutNote(0, 0, hint));
  }
  while (details.length > 0 && body.length > limit) {
    details.pop();
    body = compose(table, details, cutNote(models.length - details.length, 0, hint));
  }
  const rows = modelsTable(models, compared);
  while (rows.length > 2 && body.length > limit) {
    rows.pop();
    body = compose(rows, [], cutNote(models.length, models.length - (rows.length - 2), hint));
  }
  return body.length <= limit ? body : `${headline(report)}\n\n${cutNote(models.length, models.length, hint)}\n`;
}

function cutNote(droppedDetails: number, droppedRows: number, hint: string): string {
  const left = [
    droppedRows > 0 ? plural(droppedRows, 'table row') : null,
    droppedDetails > 0 ? `the details of ${plural(droppedDetails, 'model')}` : null,
  ].filter(Boolean);
  const what = left.length > 0 ? `leaves out ${left.join(' and ')}` : 'lists fewer threats';
  return `> [!NOTE]\n> This report is too long to show whole, so it ${what}. ${hint}`;
}

function headline(report: Report): string {
  return `### ${verdictHeadline(report)}`;
}

function policyLine(report: Report, commit: string | null): string {
  const { summary, policy } = report;
  const parts = [
    `fail-on **${failOnLabel(policy.failOn)}**`,
    `${summary.models} model${summary.models === 1 ? '' : 's'}: ${summary.scored} scored, ${summary.unscored} unscored, ${summary.invalid} invalid`,
  ];
  if (policy.warnOnly) parts.push('warn-only: the check does not fail');
  if (report.comparison) parts.push(`compared with the base, ${md(report.comparison.base, 60)}`);
  if (commit) parts.push(`commit ${commit.slice(0, 7)}`);
  return parts.join(' · ');
}

/** Reasons that belong to no model, such as patterns that matched nothing; each model's own are in the table. */
function runReasons(report: Report): string[] {
  return report.models.length > 0 ? [] : ['', ...report.reasons.map((r) => `- ${md(r, 400)}`)];
}

const LISTED = 20;

/** What the pull request takes away or loosens, first, since that is what a reviewer must not miss. */
function comparison(report: Report): string[] {
  const c = report.comparison;
  if (!c) return [];
  const emptied = report.models.flatMap((m) => m.changes.filter((ch) => ch.kind === 'layer-emptied').map((ch) => ({ m, ch })));
  const lines: string[] = [];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(
      '',
      `**${title}**`,
      '',
      ...items.slice(0, LISTED).map((i) => `- ${i}`),
      ...(items.length > LISTED ? [`- …and ${items.length - LISTED} more`] : []),
    );
  };
  section(
    'Removed in this pull request',
    c.removed.map(
      (m) =>
        `${outcomeIcon(m.gate.outcome)} ${md(m.name ?? m.file, 80)} (${md(m.file, 120)}), ${m.score === null ? (m.severity ?? 'unscored') : `last scored ${formatScore(m.score)}`}: ${gateWords(m.gate)}`,
    ),
  );
  section(
    'Layers emptied in this pull request',
    emptied.map(({ m, ch }) => `${outcomeIcon(m.gate.outcome)} ${md(m.name ?? m.file, 80)} · ${md(ch.message, 200)}`),
  );
  section(
    'Policy changes',
    c.policyChanges.map(
      (p) =>
        `${md(p.message, 200)}: ${p.effect === 'loosened' ? '**takes effect after the merge**; this run uses the base policy' : 'applies now'}`,
    ),
  );
  section(
    'New waivers, applied after the merge',
    c.pendingWaivers.map(
      (w) =>
        `${md([w.model, w.layer, w.threat].filter(Boolean).join(' '), 120)} by ${md(w.owner, 80)} until ${md(w.expires, 10)}: ${md(w.reason, 200)}`,
    ),
  );
  return lines;
}

function gateWords(gate: ModelReport['gate']): string {
  return gate.outcome === 'pass' ? 'passes' : `${gate.outcome === 'fail' ? '**fails**' : 'warns'}: ${md(gate.reasons.join('; '), 300)}`;
}

/** The open critical and high threats of the models that need attention, most important first. */
function topThreats(models: readonly ModelReport[]): string[] {
  const threats = models
    .filter((m) => m.gate.outcome !== 'pass')
    .flatMap((m) =>
      m.layers.flatMap((l) =>
        l.threats
          .filter((t) => t.status === 'open' && SEVERITY_ORDER[t.severity] <= 1 && !threatWaiver(m.gate.waivers, l, t))
          .map((t) => ({ m, l, t })),
      ),
    )
    .sort((a, b) => SEVERITY_ORDER[a.t.severity] - SEVERITY_ORDER[b.t.severity]);
  if (threats.length === 0) return [];
  const shown = threats.slice(0, TOP_THREATS);
  const more = threats.length - shown.length;
  return [
    '',
    '**Open critical and high threats**',
    '',
    ...shown.map(
      ({ m, l, t }) => `- ${SEVERITY_ICON[t.severity]} ${md(m.name ?? m.file, 60)} · ${l.id} · ${md(t.id, 64)}: ${md(t.title, 160)}`,
    ),
    ...(more > 0 ? [`- …and ${more} more in the details below`] : []),
  ];
}

/** `8.1 → 9.2 ▲1.1`; "new" for a model the base does not have; a dash when nothing was compared. */
function deltaCell(model: ModelReport, compared: boolean): string {
  if (!compared) return '—';
  if (model.base === null) return 'new';
  const risk = factorSumDelta(model);
  if (risk !== null) return md(`factor sum ${factorSumCell(model.base.factorSum!, model.factorSum!, risk)}`);
  if (model.delta === null)
    return `${model.base.score === null ? model.base.status : formatScore(model.base.score)} → ${model.score === null ? model.status : formatScore(model.score)}`;
  if (model.delta === 0) return `${formatScore(model.base.score!)} =`;
  return `${formatScore(model.base.score!)} → ${formatScore(model.score!)} ${model.delta > 0 ? '▲' : '▼'}${formatScore(Math.abs(model.delta))}`;
}

function factorSumCell(base: number, head: number, delta: number): string {
  if (delta === 0) return `${formatFactorSum(head)} =`;
  return `${formatFactorSum(base)} → ${formatFactorSum(head)} ${delta > 0 ? '▲' : '▼'}${formatFactorSum(Math.abs(delta))}`;
}

function modelsTable(models: readonly ModelReport[], compared: boolean): string[] {
  return [
    '| | Model | AIVSS | Band | Δ base | Status | File |',
    '|:-:|---|--:|---|--:|---|---|',
    ...models.map(
      (m) =>
        `| ${outcomeIcon(m.gate.outcome)} | ${md(m.name ?? '(unreadable)', 80)} | ${m.score === null ? '—' : `**${formatScore(m.score)}**`} | ${m.severity ? bandLabel(m.severity) : '—'} | ${deltaCell(m, compared)} | ${statusCell(m)} | ${md(m.file, 120)} |`,
    ),
  ];
}

const GATE_WORD: Readonly<Record<ModelReport['gate']['outcome'], string>> = { fail: '**fails**', warn: 'warns', pass: 'passes' };

function statusCell(model: ModelReport): string {
  const waived = model.gate.waivers.filter((w) => !w.expired);
  const gate =
    GATE_WORD[model.gate.outcome] +
    (waived.length > 0 ? ` (waived by ${waived.map((w) => `${md(w.owner, 60)} until ${md(w.expires, 10)}`).join(', ')})` : '');
  if (model.status === 'invalid') return `${gate}: invalid, ${plural(model.errors.length, 'error')}`;
  if (model.status === 'unscored') return `${gate}: unscored (no CVSS base), agentic risk ${formatScore(model.factorSum ?? 0)}/10`;
  const uncertain = model.layers.filter((l) => l.status === 'uncertain').length;
  const open = model.layers.flatMap((l) => l.threats).filter((t) => t.status === 'open').length;
  return [gate, plural(open, 'open threat'), ...(uncertain > 0 ? [plural(uncertain, 'uncertain layer')] : [])].join(', ');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function modelSection(model: ModelReport, detail: Detail): string {
  const title =
    model.score === null
      ? model.status === 'invalid'
        ? 'invalid'
        : 'unscored'
      : `${formatScore(model.score)} ${bandLabel(model.severity as Band)}`;
  const summary = `${outcomeIcon(model.gate.outcome)} <b>${title}</b> · ${html(model.name ?? model.file, 80)} · ${html(model.file, 120)}`;
  const body = [
    ...gateReasons(model),
    ...changes(model),
    ...(model.status === 'invalid' ? problems(model) : [...scoring(model), ...notes(model), ...layers(model, detail)]),
  ];
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>', ''].join('\n');
}

function gateReasons(model: ModelReport): string[] {
  return model.gate.outcome === 'pass' ? [] : [`${GATE_WORD[model.gate.outcome]}: ${md(model.gate.reasons.join('; '), 600)}`, ''];
}

function changes(model: ModelReport): string[] {
  if (model.changes.length === 0) return [];
  return [
    'Changes in this pull request:',
    '',
    ...model.changes.slice(0, LISTED).map((c) => `- ${md(c.message, 200)}`),
    ...(model.changes.length > LISTED ? [`- …and ${model.changes.length - LISTED} more`] : []),
    '',
  ];
}

function problems(model: ModelReport): string[] {
  return model.errors.slice(0, 20).map((e) => `- ${e.line ? `line ${e.line}: ` : ''}${md(e.message, 400)}`);
}

function notes(model: ModelReport): string[] {
  if (model.warnings.length === 0) return [];
  return ['', ...model.warnings.map((w) => `- ⚠️ ${w.line ? `line ${w.line}: ` : ''}${md(w.message, 400)}`)];
}

function multiplier(m: { value: number; label: string | null; source: string }): string {
  const label = m.label ?? 'off the spec table';
  return `${m.value.toFixed(2)} (${label}${m.source === 'default' ? ', default' : m.source === 'cvss-vector' ? ', from the vector' : ''})`;
}

function scoring(model: ModelReport): string[] {
  const lines: string[] = [];
  if (model.description) lines.push(`> ${md(model.description, 600)}`, '');
  const cvss = model.cvss
    ? `CVSS v4.0 base **${formatScore(model.cvss.score)}**${model.cvss.vector ? ` (${md(model.cvss.vector, 200)})` : ''}`
    : 'CVSS base: **none given, so no AIVSS score**';
  const parts = [cvss, `factor sum **${formatScore(model.factorSum ?? 0)}**/10`];
  if (model.uplift !== null) parts.push(`agentic uplift +${model.uplift.toFixed(2)}`);
  if (model.threatMultiplier) parts.push(`ThM ${multiplier(model.threatMultiplier)}`);
  if (model.mitigationFactor) parts.push(`MF ${multiplier(model.mitigationFactor)}`);
  lines.push(parts.join(' · '), '');
  const factors = model.factors.map((f) => `${md(f.name)} ${f.value.toFixed(2)}`);
  lines.push(`<sub>Factors: ${factors.join(' · ')}</sub>`);
  return lines;
}

function layers(model: ModelReport, detail: Detail): string[] {
  const table = [
    '| Layer | Status | Threats | Open |',
    '|---|---|--:|--:|',
    ...model.layers.map(
      (l) =>
        `| ${l.id} ${l.name} | ${LAYER_STATUS[l.status]} | ${l.threats.length} | ${l.threats.filter((t) => t.status === 'open').length} |`,
    ),
  ];
  if (detail === 'compact') return ['', ...table];
  return ['', ...table, ...model.layers.flatMap((l) => layerSection(l, model.gate.waivers))];
}

type NamedWaiver = ModelReport['gate']['waivers'][number];

/** The active waiver that accepts this threat, if any: the threat is shown as accepted, and left out of the top list. */
const threatWaiver = (waivers: readonly NamedWaiver[], layer: LayerReport, threat: ThreatReport) =>
  waivers.find((w) => !w.expired && w.threat === threat.id && (w.layer === undefined || w.layer === layer.id));

function layerSection(layer: LayerReport, waivers: readonly NamedWaiver[]): string[] {
  if (layer.summary === '' && layer.threats.length === 0) return [];
  const mark = layer.status === 'uncertain' ? ' ⚠️ uncertain' : layer.status === 'not-applicable' ? ' (not applicable)' : '';
  const lines = ['', `**${layer.id} ${layer.name}**${mark}`];
  if (layer.summary !== '') lines.push('', `${layer.status === 'uncertain' ? '_Not certain:_ ' : ''}${md(layer.summary, 1000)}`);
  const threats = [...layer.threats].sort(
    (a, b) => THREAT_STATUS_ORDER[a.status] - THREAT_STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  if (threats.length > 0) lines.push('', ...threats.map((t) => threatLine(t, threatWaiver(waivers, layer, t))));
  return lines;
}

function threatLine(threat: ThreatReport, waiver: NamedWaiver | undefined): string {
  const implemented = threat.mitigations.filter((m) => m.status === 'implemented').length;
  const parts = [
    `${SEVERITY_ICON[threat.severity]} **${md(threat.title, 160)}**`,
    `${threat.severity}, ${threat.likelihood} likelihood, ${threat.status === 'open' ? '**open**' : threat.status}`,
  ];
  if (threat.mitigations.length > 0) parts.push(`mitigations ${implemented}/${threat.mitigations.length} implemented`);
  if (threat.tags.length > 0) parts.push(threat.tags.map((t) => md(t, 20)).join(' '));
  if (waiver) parts.push(`waived by ${md(waiver.owner, 60)} until ${md(waiver.expires, 10)}`);
  const description = threat.description ? `<br><sub>${md(threat.description, 400)}</sub>` : '';
  return `- ${md(threat.id, 64)}: ${parts.join(' · ')}${description}`;
}
