import type { LayerReport, ModelReport, Report, ThreatReport } from '../report/schema.js';
import { formatFactorSum } from '../compare/diff.js';
import type { Formula } from '../score/aivss.js';
import { LAYER_NAMES, type LayerId } from '../spec/layers.js';
import { decimal, html, join, markup, md, type Markdown } from './escape.js';
import { bandLabel, factorSumDelta, failOnLabel, formatScore, orderModels, outcomeIcon, plural, verdictHeadline } from './words.js';

/**
 * The body of the pull-request comment and the job summary: the verdict and the worst score on the first line,
 * a table of models, then one collapsible section per model with its factors, layers and threats. It is built of
 * Markdown only (see escape.ts): the report's strings pass md() or html(), and layer names come from our table.
 */
export interface MarkdownOptions {
  /** The head commit the report describes. */
  commit?: string | null;
  /** The longest body allowed; sections are collapsed, then dropped whole, to fit. */
  maxLength?: number;
  /** Where a reader finds what was left out to fit maxLength. */
  fullReportHint?: Markdown;
}

const DEFAULT_HINT = markup`The job summary and the JSON report (the \`report-json\` output) have it all.`;

const SEVERITY_ICON: Readonly<Record<ThreatReport['severity'], Markdown>> = {
  critical: markup`🟥`,
  high: markup`🟧`,
  medium: markup`🟨`,
  low: markup`🟦`,
};
const LAYER_STATUS: Readonly<Record<LayerReport['status'], Markdown>> = {
  mapped: markup`mapped`,
  uncertain: markup`⚠️ **uncertain**`,
  'not-applicable': markup`not applicable`,
};
const FORMULA: Readonly<Record<Formula, Markdown>> = { 'v0.8': markup`v0.8`, 'v0.5': markup`v0.5` };
const THREAT_STATUS_ORDER: Readonly<Record<ThreatReport['status'], number>> = { open: 0, accepted: 1, mitigated: 2 };
const SEVERITY_ORDER: Readonly<Record<ThreatReport['severity'], number>> = { critical: 0, high: 1, medium: 2, low: 3 };

const BLANK = markup``;
const NEWLINE = markup`\n`;
const DOT = markup` · `;
const COMMA = markup`, `;

/** A layer is named by aivss-gate's table, whatever name a saved report gives it. */
const layerName = (id: LayerId) => markup`${md(id)} ${md(LAYER_NAMES[id])}`;

type Detail = 'full' | 'compact';
const TOP_THREATS = 5;

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): Markdown {
  if (report.couldNotRun !== undefined) return couldNotRun(report, report.couldNotRun, options.commit ?? null);
  const models = orderModels(report.models);
  const head = [headline(report), BLANK, policyLine(report, options.commit ?? null), ...runReasons(report), ...comparison(report)];
  const compared = report.comparison !== null;
  const table = [...modelsTable(models, compared), ...topThreats(models)];
  const compose = (rows: Markdown[], details: Markdown[], note: Markdown | null) =>
    markup`${join([...head, BLANK, ...rows, BLANK, ...details, ...(note ? [note, BLANK] : []), footer(report)], NEWLINE)}\n`;

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
  return body.length <= limit ? body : markup`${headline(report)}\n\n${cutNote(models.length, models.length, hint)}\n`;
}

/** A run that judged nothing: why, and no table, since no model was read or no policy applied. */
function couldNotRun(report: Report, reason: string, commit: string | null): Markdown {
  const lines = [
    headline(report),
    BLANK,
    markup`The gate could not run: ${md(reason, 1000)}`,
    BLANK,
    markup`No model was judged, so the verdict is **fail**${commit ? markup` for commit ${md(commit.slice(0, 7))}` : BLANK}.`,
    BLANK,
    footer(report),
  ];
  return markup`${join(lines, NEWLINE)}\n`;
}

const footer = (report: Report) =>
  markup`<sub>aivss-gate ${md(report.tool.version, 64)} · OWASP AIVSS ${FORMULA[report.policy.formula]} · MAESTRO layers L1–L7</sub>`;

function cutNote(droppedDetails: number, droppedRows: number, hint: Markdown): Markdown {
  const left = [
    droppedRows > 0 ? plural(droppedRows, 'table row') : null,
    droppedDetails > 0 ? markup`the details of ${plural(droppedDetails, 'model')}` : null,
  ].filter((part) => part !== null);
  const what = left.length > 0 ? markup`leaves out ${join(left, markup` and `)}` : markup`lists fewer threats`;
  return markup`> [!NOTE]\n> This report is too long to show whole, so it ${what}. ${hint}`;
}

function headline(report: Report): Markdown {
  return markup`### ${verdictHeadline(report)}`;
}

function policyLine(report: Report, commit: string | null): Markdown {
  const { summary, policy } = report;
  const parts = [
    markup`fail-on **${failOnLabel(policy.failOn)}**`,
    markup`${plural(summary.models, 'model')}: ${summary.scored} scored, ${summary.unscored} unscored, ${summary.invalid} invalid`,
  ];
  if (policy.warnOnly) parts.push(markup`warn-only: the check does not fail`);
  if (report.comparison) parts.push(markup`compared with the base, ${md(report.comparison.base, 60)}`);
  if (commit) parts.push(markup`commit ${md(commit.slice(0, 7))}`);
  return join(parts, DOT);
}

/** Reasons that belong to no model, such as patterns that matched nothing; each model's own are in the table. */
function runReasons(report: Report): Markdown[] {
  return report.models.length > 0 ? [] : [BLANK, ...report.reasons.map((r) => markup`- ${md(r, 400)}`)];
}

const LISTED = 20;

/** What the pull request takes away or loosens, first, since that is what a reviewer must not miss. */
function comparison(report: Report): Markdown[] {
  const c = report.comparison;
  if (!c) return [];
  const emptied = report.models.flatMap((m) => m.changes.filter((ch) => ch.kind === 'layer-emptied').map((ch) => ({ m, ch })));
  const lines: Markdown[] = [];
  const section = (title: Markdown, items: Markdown[]) => {
    if (items.length === 0) return;
    lines.push(
      BLANK,
      markup`**${title}**`,
      BLANK,
      ...items.slice(0, LISTED).map((i) => markup`- ${i}`),
      ...(items.length > LISTED ? [markup`- …and ${items.length - LISTED} more`] : []),
    );
  };
  section(
    markup`Removed in this pull request`,
    c.removed.map(
      (m) =>
        markup`${outcomeIcon(m.gate.outcome)} ${md(m.name ?? m.file, 80)} (${md(m.file, 120)}), ${m.score === null ? md(m.severity ?? 'unscored') : markup`last scored ${formatScore(m.score)}`}: ${gateWords(m.gate)}`,
    ),
  );
  section(
    markup`Layers emptied in this pull request`,
    emptied.map(({ m, ch }) => markup`${outcomeIcon(m.gate.outcome)} ${md(m.name ?? m.file, 80)} · ${md(ch.message, 200)}`),
  );
  section(
    markup`Policy changes`,
    c.policyChanges.map(
      (p) =>
        markup`${md(p.message, 200)}: ${p.effect === 'loosened' ? markup`**takes effect after the merge**; this run uses the base policy` : markup`applies now`}`,
    ),
  );
  section(
    markup`New waivers, applied after the merge`,
    c.pendingWaivers.map(
      (w) =>
        markup`${md([w.model, w.layer, w.threat].filter(Boolean).join(' '), 120)}${w['max-score'] === undefined ? BLANK : markup` up to ${formatScore(w['max-score'])}`} by ${md(w.owner, 80)} until ${md(w.expires, 10)}: ${md(w.reason, 200)}`,
    ),
  );
  return lines;
}

const GATE_WORD: Readonly<Record<ModelReport['gate']['outcome'], Markdown>> = {
  fail: markup`**fails**`,
  warn: markup`warns`,
  pass: markup`passes`,
};

function gateWords(gate: ModelReport['gate']): Markdown {
  return gate.outcome === 'pass' ? GATE_WORD.pass : markup`${GATE_WORD[gate.outcome]}: ${md(gate.reasons.join('; '), 300)}`;
}

/** The open critical and high threats of the models that need attention, most important first. */
function topThreats(models: readonly ModelReport[]): Markdown[] {
  const threats = models
    .filter((m) => m.gate.outcome !== 'pass')
    .flatMap((m) =>
      m.layers.flatMap((l) =>
        l.threats
          .filter((t) => t.status === 'open' && SEVERITY_ORDER[t.severity] <= 1 && !threatWaiver(m.gate, l, t))
          .map((t) => ({ m, l, t })),
      ),
    )
    .sort((a, b) => SEVERITY_ORDER[a.t.severity] - SEVERITY_ORDER[b.t.severity]);
  if (threats.length === 0) return [];
  const shown = threats.slice(0, TOP_THREATS);
  const more = threats.length - shown.length;
  return [
    BLANK,
    markup`**Open critical and high threats**`,
    BLANK,
    ...shown.map(
      ({ m, l, t }) =>
        markup`- ${SEVERITY_ICON[t.severity]} ${md(m.name ?? m.file, 60)} · ${md(l.id)} · ${md(t.id, 64)}: ${md(t.title, 160)}`,
    ),
    ...(more > 0 ? [markup`- …and ${more} more in the details below`] : []),
  ];
}

/** `8.1 → 9.2 ▲1.1`; "new" for a model the base does not have; a dash when nothing was compared. */
function deltaCell(model: ModelReport, compared: boolean): Markdown {
  if (!compared) return markup`—`;
  if (model.base === null) return markup`new`;
  const risk = factorSumDelta(model);
  if (risk !== null) return markup`factor sum ${factorSumCell(model.base.factorSum!, model.factorSum!, risk)}`;
  // A saved report may give a delta without both scores: it shows what each side has, not the delta.
  if (model.delta === null || model.base.score === null || model.score === null)
    return markup`${model.base.score === null ? md(model.base.status) : formatScore(model.base.score)} → ${model.score === null ? md(model.status) : formatScore(model.score)}`;
  if (model.delta === 0) return markup`${formatScore(model.base.score)} =`;
  return markup`${formatScore(model.base.score)} → ${formatScore(model.score)} ${model.delta > 0 ? markup`▲` : markup`▼`}${formatScore(Math.abs(model.delta))}`;
}

function factorSumCell(base: number, head: number, delta: number): Markdown {
  if (delta === 0) return markup`${md(formatFactorSum(head))} =`;
  return markup`${md(formatFactorSum(base))} → ${md(formatFactorSum(head))} ${delta > 0 ? markup`▲` : markup`▼`}${md(formatFactorSum(Math.abs(delta)))}`;
}

function modelsTable(models: readonly ModelReport[], compared: boolean): Markdown[] {
  return [
    markup`| | Model | AIVSS | Band | Δ base | Status | File |`,
    markup`|:-:|---|--:|---|--:|---|---|`,
    ...models.map(
      (m) =>
        markup`| ${outcomeIcon(m.gate.outcome)} | ${md(m.name ?? '(unreadable)', 80)} | ${m.score === null ? markup`—` : markup`**${formatScore(m.score)}**`} | ${m.severity ? bandLabel(m.severity) : markup`—`} | ${deltaCell(m, compared)} | ${statusCell(m)} | ${md(m.file, 120)} |`,
    ),
  ];
}

function statusCell(model: ModelReport): Markdown {
  const waived = model.gate.waivers.filter((w) => w.applies);
  const owners = join(
    waived.map((w) => markup`${md(w.owner, 60)} until ${md(w.expires, 10)}`),
    COMMA,
  );
  const gate = waived.length > 0 ? markup`${GATE_WORD[model.gate.outcome]} (waived by ${owners})` : GATE_WORD[model.gate.outcome];
  if (model.status === 'invalid') return markup`${gate}: invalid, ${plural(model.errors.length, 'error')}`;
  if (model.status === 'unscored') return markup`${gate}: unscored (no CVSS base), agentic risk ${formatScore(model.factorSum ?? 0)}/10`;
  const uncertain = model.layers.filter((l) => l.status === 'uncertain').length;
  const open = model.layers.flatMap((l) => l.threats).filter((t) => t.status === 'open').length;
  return join([gate, plural(open, 'open threat'), ...(uncertain > 0 ? [plural(uncertain, 'uncertain layer')] : [])], COMMA);
}

function modelSection(model: ModelReport, detail: Detail): Markdown {
  const title =
    model.score === null
      ? model.status === 'invalid'
        ? markup`invalid`
        : markup`unscored`
      : markup`${formatScore(model.score)} ${model.severity ? bandLabel(model.severity) : markup`—`}`;
  const summary = markup`${outcomeIcon(model.gate.outcome)} <b>${title}</b> · ${html(model.name ?? model.file, 80)} · ${html(model.file, 120)}`;
  const body = [
    ...gateReasons(model),
    ...changes(model),
    ...(model.status === 'invalid' ? problems(model) : [...scoring(model), ...notes(model), ...layers(model, detail)]),
  ];
  return join([markup`<details><summary>${summary}</summary>`, BLANK, ...body, BLANK, markup`</details>`, BLANK], NEWLINE);
}

function gateReasons(model: ModelReport): Markdown[] {
  return model.gate.outcome === 'pass' ? [] : [markup`${GATE_WORD[model.gate.outcome]}: ${md(model.gate.reasons.join('; '), 600)}`, BLANK];
}

function changes(model: ModelReport): Markdown[] {
  if (model.changes.length === 0) return [];
  return [
    markup`Changes in this pull request:`,
    BLANK,
    ...model.changes.slice(0, LISTED).map((c) => markup`- ${md(c.message, 200)}`),
    ...(model.changes.length > LISTED ? [markup`- …and ${model.changes.length - LISTED} more`] : []),
    BLANK,
  ];
}

const atLine = (p: ModelReport['errors'][number]) =>
  p.line === null ? BLANK : p.column === undefined ? markup`line ${p.line}: ` : markup`line ${p.line}, column ${p.column}: `;

function problems(model: ModelReport): Markdown[] {
  return model.errors.slice(0, 20).map((e) => markup`- ${atLine(e)}${md(e.message, 400)}`);
}

function notes(model: ModelReport): Markdown[] {
  if (model.warnings.length === 0) return [];
  return [BLANK, ...model.warnings.map((w) => markup`- ⚠️ ${atLine(w)}${md(w.message, 400)}`)];
}

type Multiplier = NonNullable<ModelReport['threatMultiplier'] | ModelReport['mitigationFactor']>;
const MULTIPLIER_SOURCE: Readonly<Record<Multiplier['source'], Markdown>> = {
  model: BLANK,
  default: markup`, default`,
  'cvss-vector': markup`, from the vector`,
};

function multiplier(m: Multiplier): Markdown {
  const label = m.label === null ? markup`off the spec table` : md(m.label);
  return markup`${decimal(m.value, 2)} (${label}${MULTIPLIER_SOURCE[m.source]})`;
}

function scoring(model: ModelReport): Markdown[] {
  const lines: Markdown[] = [];
  if (model.description) lines.push(markup`> ${md(model.description, 600)}`, BLANK);
  const cvss = model.cvss
    ? markup`CVSS v4.0 base **${formatScore(model.cvss.score)}**${model.cvss.vector ? markup` (${md(model.cvss.vector, 200)})` : BLANK}`
    : markup`CVSS base: **none given, so no AIVSS score**`;
  const parts = [cvss, markup`factor sum **${formatScore(model.factorSum ?? 0)}**/10`];
  if (model.uplift !== null) parts.push(markup`agentic uplift +${decimal(model.uplift, 2)}`);
  if (model.threatMultiplier) parts.push(markup`ThM ${multiplier(model.threatMultiplier)}`);
  if (model.mitigationFactor) parts.push(markup`MF ${multiplier(model.mitigationFactor)}`);
  lines.push(join(parts, DOT), BLANK);
  const factors = model.factors.map((f) => markup`${md(f.name)} ${decimal(f.value, 2)}`);
  lines.push(markup`<sub>Factors: ${join(factors, DOT)}</sub>`);
  return lines;
}

function layers(model: ModelReport, detail: Detail): Markdown[] {
  const table = [
    markup`| Layer | Status | Threats | Open |`,
    markup`|---|---|--:|--:|`,
    ...model.layers.map(
      (l) =>
        markup`| ${layerName(l.id)} | ${LAYER_STATUS[l.status]} | ${l.threats.length} | ${l.threats.filter((t) => t.status === 'open').length} |`,
    ),
  ];
  if (detail === 'compact') return [BLANK, ...table];
  return [BLANK, ...table, ...model.layers.flatMap((l) => layerSection(l, model.gate))];
}

type WaivedThreat = ModelReport['gate']['waivedThreats'][number];

/** The waiver the policy found for this threat, if any: the threat is shown as accepted, and left out of the top list. */
const threatWaiver = (gate: ModelReport['gate'], layer: LayerReport, threat: ThreatReport) =>
  gate.waivedThreats.find((w) => w.layer === layer.id && w.threat === threat.id);

const LAYER_MARK: Readonly<Record<LayerReport['status'], Markdown>> = {
  mapped: BLANK,
  uncertain: markup` ⚠️ uncertain`,
  'not-applicable': markup` (not applicable)`,
};

function layerSection(layer: LayerReport, gate: ModelReport['gate']): Markdown[] {
  if (layer.summary === '' && layer.threats.length === 0) return [];
  const lines = [BLANK, markup`**${layerName(layer.id)}**${LAYER_MARK[layer.status]}`];
  if (layer.summary !== '')
    lines.push(BLANK, markup`${layer.status === 'uncertain' ? markup`_Not certain:_ ` : BLANK}${md(layer.summary, 1000)}`);
  const threats = [...layer.threats].sort(
    (a, b) => THREAT_STATUS_ORDER[a.status] - THREAT_STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  if (threats.length > 0) lines.push(BLANK, ...threats.map((t) => threatLine(t, threatWaiver(gate, layer, t))));
  return lines;
}

function threatLine(threat: ThreatReport, waiver: WaivedThreat | undefined): Markdown {
  const implemented = threat.mitigations.filter((m) => m.status === 'implemented').length;
  const parts = [
    markup`${SEVERITY_ICON[threat.severity]} **${md(threat.title, 160)}**`,
    markup`${md(threat.severity)}, ${md(threat.likelihood)} likelihood, ${threat.status === 'open' ? markup`**open**` : md(threat.status)}`,
  ];
  if (threat.mitigations.length > 0) parts.push(markup`mitigations ${implemented}/${threat.mitigations.length} implemented`);
  if (threat.tags.length > 0)
    parts.push(
      join(
        threat.tags.map((t) => md(t, 20)),
        markup` `,
      ),
    );
  if (waiver) parts.push(markup`waived by ${md(waiver.owner, 60)} until ${md(waiver.expires, 10)}`);
  const description = threat.description ? markup`<br><sub>${md(threat.description, 400)}</sub>` : BLANK;
  return markup`- ${md(threat.id, 64)}: ${join(parts, DOT)}${description}`;
}
