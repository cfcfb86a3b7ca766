import type { LayerReport, ModelReport, Report, ThreatReport } from '../report/schema.js';
import type { Band } from '../score/bands.js';
import { html, md } from './escape.js';
import { bandLabel, failOnLabel, formatScore, orderModels, outcomeIcon, verdictHeadline } from './words.js';

/**
 * The body of the pull-request comment and the job summary: the verdict and the worst score on the first line,
 * a table of models, then one collapsible section per model with its factors, layers and threats.
 */
export interface MarkdownOptions {
  /** The head commit the report describes. */
  commit?: string | null;
  /** The longest body allowed; sections are collapsed, then dropped whole, to fit. */
  maxLength?: number;
}

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

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const models = orderModels(report.models);
  const head = [headline(report), '', policyLine(report, options.commit ?? null), ...reasons(report)];
  const table = modelsTable(models);
  const footer = `<sub>aivss-gate ${report.tool.version} · OWASP AIVSS ${report.policy.formula} · MAESTRO layers L1–L7</sub>`;
  const compose = (details: string[], note: string | null) =>
    [...head, '', ...table, '', ...details, ...(note ? [note, ''] : []), footer].join('\n') + '\n';

  const full = models.map((m) => modelSection(m, 'full'));
  const limit = options.maxLength ?? Infinity;
  let body = compose(full, null);
  if (body.length <= limit) return body;

  // Collapse the least important models first (they are ordered most important first), then drop sections.
  const details = [...full];
  for (let i = details.length - 1; i >= 0 && body.length > limit; i--) {
    details[i] = modelSection(models[i]!, 'compact');
    body = compose(details, cutNote(0));
  }
  while (details.length > 0 && body.length > limit) {
    details.pop();
    body = compose(details, cutNote(models.length - details.length));
  }
  if (body.length <= limit) return body;
  const rows = [...table];
  while (rows.length > 2 && body.length > limit) {
    rows.pop();
    body = [...head, '', ...rows, '', cutNote(models.length, models.length - (rows.length - 2)), '', footer].join('\n') + '\n';
  }
  return body.length <= limit ? body : `${headline(report)}\n\n${cutNote(models.length, models.length)}\n`;
}

function cutNote(droppedDetails: number, droppedRows = 0): string {
  const parts = [];
  if (droppedRows > 0) parts.push(`${droppedRows} row${droppedRows === 1 ? '' : 's'} of the table`);
  if (droppedDetails > 0) parts.push(`the details of ${droppedDetails} model${droppedDetails === 1 ? '' : 's'}`);
  const what = parts.length > 0 ? `${parts.join(' and ')} ${parts.length > 1 || droppedRows + droppedDetails > 1 ? 'are' : 'is'} left out and some sections are shortened` : 'some sections are shortened';
  return `> [!NOTE]\n> This report is too long for one comment: ${what}. The job summary and the JSON report (\`report-json\` output) have everything.`;
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
  if (commit) parts.push(`commit ${commit.slice(0, 7)}`);
  return parts.join(' · ');
}

function reasons(report: Report): string[] {
  if (report.reasons.length === 0) return [];
  const shown = report.reasons.slice(0, 10).map((r) => `- ${md(r, 400)}`);
  const more = report.reasons.length - shown.length;
  return ['', ...shown, ...(more > 0 ? [`- …and ${more} more`] : [])];
}

function modelsTable(models: readonly ModelReport[]): string[] {
  return [
    '| | Model | AIVSS | Band | Δ base | Status | File |',
    '|:-:|---|--:|---|--:|---|---|',
    ...models.map(
      (m) =>
        `| ${outcomeIcon(m.gate.outcome)} | ${md(m.name ?? '(unreadable)', 80)} | ${m.score === null ? '—' : `**${formatScore(m.score)}**`} | ${m.severity ? bandLabel(m.severity) : '—'} | — | ${statusCell(m)} | ${md(m.file, 120)} |`,
    ),
  ];
}

function statusCell(model: ModelReport): string {
  if (model.status === 'invalid') return `invalid (${model.errors.length} error${model.errors.length === 1 ? '' : 's'})`;
  if (model.status === 'unscored') return `unscored: agentic risk ${formatScore(model.factorSum ?? 0)}/10, no CVSS base`;
  const uncertain = model.layers.filter((l) => l.status === 'uncertain').length;
  const open = model.layers.flatMap((l) => l.threats).filter((t) => t.status === 'open').length;
  return [`${open} open threat${open === 1 ? '' : 's'}`, ...(uncertain > 0 ? [`${uncertain} uncertain layer${uncertain === 1 ? '' : 's'}`] : [])].join(', ');
}

function modelSection(model: ModelReport, detail: Detail): string {
  const title = model.score === null ? (model.status === 'invalid' ? 'invalid' : 'unscored') : `${formatScore(model.score)} ${bandLabel(model.severity as Band)}`;
  const summary = `${outcomeIcon(model.gate.outcome)} <b>${title}</b> · ${html(model.name ?? model.file, 80)} · ${html(model.file, 120)}`;
  const open = model.gate.outcome === 'fail' && detail === 'full' ? ' open' : '';
  const body = model.status === 'invalid' ? problems(model) : [...scoring(model), ...notes(model), ...layers(model, detail)];
  return [`<details${open}><summary>${summary}</summary>`, '', ...body, '', '</details>', ''].join('\n');
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
    ...model.layers.map((l) => `| ${l.id} ${l.name} | ${LAYER_STATUS[l.status]} | ${l.threats.length} | ${l.threats.filter((t) => t.status === 'open').length} |`),
  ];
  if (detail === 'compact') return ['', ...table];
  return ['', ...table, ...model.layers.flatMap(layerSection)];
}

function layerSection(layer: LayerReport): string[] {
  if (layer.summary === '' && layer.threats.length === 0) return [];
  const mark = layer.status === 'uncertain' ? ' ⚠️ uncertain' : layer.status === 'not-applicable' ? ' (not applicable)' : '';
  const lines = ['', `**${layer.id} ${layer.name}**${mark}`];
  if (layer.summary !== '') lines.push('', `${layer.status === 'uncertain' ? '_Not certain:_ ' : ''}${md(layer.summary, 1000)}`);
  const threats = [...layer.threats].sort(
    (a, b) => THREAT_STATUS_ORDER[a.status] - THREAT_STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  if (threats.length > 0) lines.push('', ...threats.map(threatLine));
  return lines;
}

function threatLine(threat: ThreatReport): string {
  const implemented = threat.mitigations.filter((m) => m.status === 'implemented').length;
  const parts = [
    `${SEVERITY_ICON[threat.severity]} **${md(threat.title, 160)}**`,
    `${threat.severity}, ${threat.likelihood} likelihood, ${threat.status === 'open' ? '**open**' : threat.status}`,
  ];
  if (threat.mitigations.length > 0) parts.push(`mitigations ${implemented}/${threat.mitigations.length} implemented`);
  if (threat.tags.length > 0) parts.push(threat.tags.map((t) => md(t, 20)).join(' '));
  const description = threat.description ? `<br><sub>${md(threat.description, 400)}</sub>` : '';
  return `- ${md(threat.id, 64)}: ${parts.join(' · ')}${description}`;
}
