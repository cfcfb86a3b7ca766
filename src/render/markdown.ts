import type { LayerReport, ModelReport, Report, ThreatReport } from '../report/schema.js';
import { formatFactorSum } from '../compare/diff.js';
import type { Formula } from '../score/aivss.js';
import { LAYER_NAMES, type LayerId } from '../spec/layers.js';
import { decimal, html, join, link, markup, md, type Markdown } from './escape.js';
import { commitUrl, fileUrl, runUrl, type LinkContext } from './links.js';
import { taxonomyOf } from './taxonomy.js';
import { bandLabel, factorSumDelta, failOnLabel, formatScore, orderModels, outcomeIcon, plural, verdictHeadline } from './words.js';

/**
 * The body of the pull-request comment and the job summary: the verdict and the worst score on the first line,
 * on a pull request what it changed, a table of models, the open critical and high threats of every model, then
 * one collapsible section per model with its factors, layers and threats. It is built of Markdown only (see
 * escape.ts): the report's strings pass md() or html(), layer names come from our table, and links from links.ts.
 */
export interface MarkdownOptions {
  /** The head commit the report describes. */
  commit?: string | null;
  /** The longest body allowed, as `measure` counts; sections are collapsed, then dropped whole, to fit. */
  maxLength?: number;
  /** How the length is counted: UTF-16 code units by default (GitHub's comment limit), bytes for the job summary. */
  measure?: (text: string) => number;
  /** Where a reader finds what was left out to fit maxLength. */
  fullReportHint?: Markdown;
  /** Where files, the commit and the run are on GitHub; without it nothing but tags is linked. */
  links?: LinkContext | null;
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
const LIKELIHOOD_ORDER: Readonly<Record<ThreatReport['likelihood'], number>> = { high: 0, medium: 1, low: 2 };

const BLANK = markup``;
const NEWLINE = markup`\n`;
const DOT = markup` · `;
const COMMA = markup`, `;

/** A layer is named by aivss-gate's table, whatever name a saved report gives it. */
const layerName = (id: LayerId) => markup`${md(id)} ${md(LAYER_NAMES[id])}`;

type Detail = 'full' | 'compact';
const TOP_THREATS = 8;
const LISTED = 20;

const LEGEND = markup`<sub>🔴 fails · 🟡 warns or waived · 🟢 passes · 🟥 🟧 🟨 🟦 threat severity, critical to low · AIVSS = (CVSS base + agentic uplift) × MF, where the uplift is what the ten agentic factors add, scaled by ThM, the threat multiplier (exploit maturity), and MF is the mitigation factor; ThM and MF are self-assessed in the threat model</sub>`;

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): Markdown {
  if (report.couldNotRun !== undefined) return couldNotRun(report, report.couldNotRun, options.commit ?? null);
  const links = options.links ?? null;
  const models = orderModels(report.models);
  const compared = report.comparison !== null;
  const head = [
    headline(report),
    BLANK,
    policyLine(report, options.commit ?? null, links),
    ...runReasons(report),
    ...changeList(report, models, links),
  ];
  const tableHead = [BLANK, markup`| | Model | AIVSS | Band | Δ base | Status | File |`, markup`|:-:|---|--:|---|--:|---|---|`];
  const rows = models.map((m) => modelRow(m, compared, links));
  const middle = [...topThreats(models, links), ...reportNotes(report), BLANK];
  const footer = [LEGEND, BLANK, footerLine(report)];
  const hint = options.fullReportHint ?? DEFAULT_HINT;
  const compose = (keptRows: number, details: readonly Markdown[], note: Markdown | null) =>
    markup`${join(
      [...head, ...tableHead, ...rows.slice(0, keptRows), ...middle, ...details, ...(note ? [note, BLANK] : []), ...footer],
      NEWLINE,
    )}\n`;

  const limit = options.maxLength ?? Infinity;
  const measure = options.measure ?? ((text: string) => text.length);
  // Each part is measured once (a section at most twice: full, then compact), with the newline that follows it;
  // sections are made only while they can fit, and the body is joined once, when all is decided.
  const size = (parts: readonly Markdown[]) => parts.reduce((sum, part) => sum + measure(part) + 1, 0);
  const rowSizes = rows.map((r) => measure(r) + 1);
  const table = size(head) + size(tableHead) + size(middle) + size(footer) + rowSizes.reduce((a, b) => a + b, 0);
  const full: Markdown[] = [];
  let total = table;
  for (let i = 0; i < models.length && total <= limit; i++) {
    full.push(modelSection(models[i]!, 'full', links));
    total += measure(full[i]!) + 1;
  }
  if (total <= limit) return compose(rows.length, full, null);

  // Too long: the most important models (they come first) keep their full section while it fits, the next ones
  // a compact one, the rest none; then the least important table rows go. The note that says so is reserved.
  const budget = limit - size([cutNote(models.length, models.length, hint), BLANK]);
  const details: Markdown[] = [];
  total = table;
  let detail: Detail = 'full';
  for (let i = 0; i < models.length; i++) {
    let section = detail === 'full' && i < full.length ? full[i]! : modelSection(models[i]!, detail, links);
    if (detail === 'full' && total + measure(section) + 1 > budget) {
      detail = 'compact';
      section = modelSection(models[i]!, detail, links);
    }
    if (total + measure(section) + 1 > budget) break;
    total += measure(section) + 1;
    details.push(section);
  }
  let keptRows = rows.length;
  while (keptRows > 0 && total > budget) total -= rowSizes[--keptRows]!;
  const note = cutNote(models.length - details.length, models.length - keptRows, hint);
  if (total <= budget) return compose(keptRows, details, note);
  return markup`${headline(report)}\n\n${cutNote(models.length, models.length, hint)}\n`;
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
    footerLine(report),
  ];
  return markup`${join(lines, NEWLINE)}\n`;
}

const footerLine = (report: Report) =>
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

function policyLine(report: Report, commit: string | null, links: LinkContext | null): Markdown {
  const { summary, policy } = report;
  const parts = [
    markup`fail-on **${failOnLabel(policy.failOn)}**`,
    markup`${plural(summary.models, 'model')}: ${summary.scored} scored, ${summary.unscored} unscored, ${summary.invalid} invalid`,
  ];
  if (policy.warnOnly) parts.push(markup`warn-only: the check does not fail`);
  if (report.comparison) parts.push(markup`compared with the base, ${md(report.comparison.base, 60)}`);
  const sha = links?.sha ?? commit;
  if (sha) parts.push(markup`commit ${link(md(sha.slice(0, 7)), commitUrl(links))}`);
  const run = runUrl(links);
  if (run) parts.push(link(markup`workflow run`, run));
  return join(parts, DOT);
}

/** Reasons that belong to no model, such as patterns that matched nothing; each model's own are in the table. */
function runReasons(report: Report): Markdown[] {
  return report.models.length > 0 ? [] : [BLANK, ...report.reasons.map((r) => markup`- ${md(r, 400)}`)];
}

/** Remarks about the run that do not change the verdict, such as a waiver that names no model. */
function reportNotes(report: Report): Markdown[] {
  if (report.notes.length === 0) return [];
  const shown = report.notes.slice(0, LISTED).map((n) => markup`- ℹ️ ${md(n, 400)}`);
  const more = report.notes.length - shown.length;
  return [BLANK, markup`**Notes**`, BLANK, ...shown, ...(more > 0 ? [markup`- …and ${more} more in the JSON report`] : [])];
}

/** A model named by its name (or file), linked to its file at the head commit. */
const modelLink = (model: ModelReport, links: LinkContext | null, max = 80) =>
  link(md(model.name ?? model.file, max), fileUrl(links, model.file, model.line));

/** The waivers the policy found in force for a model (src/policy/waivers.ts decides; this only reads). */
const activeWaivers = (model: ModelReport) => model.gate.waivers.filter((w) => w.applies);

/** Who accepted a risk, and until when. */
type Waived = { owner: string; expires: string };

/** The waiver the policy found for this threat, if any: the threat is shown as waived. */
const threatWaiver = (model: ModelReport, layer: LayerReport, threat: ThreatReport): Waived | undefined =>
  model.gate.waivedThreats.find((w) => w.layer === layer.id && w.threat === threat.id);

/** The waiver that turned a model's failure into a warning, if that is why it warns. */
const modelWaiver = (model: ModelReport) =>
  model.gate.outcome === 'warn' ? activeWaivers(model).find((w) => w.threat === undefined) : undefined;

const waivedBy = (waiver: Waived) => markup`waived by ${md(waiver.owner, 60)} until ${md(waiver.expires, 10)}`;

interface ChangeItem {
  /** 0 is the worst: what takes a model, a layer or a rule away. */
  rank: number;
  text: Markdown;
}

type Change = ModelReport['changes'][number];
const INPUT_KINDS = new Set<Change['kind']>(['cvss', 'threat-multiplier', 'mitigation-factor', 'factor']);
const SELF_ASSESSED = new Set<Change['kind']>(['cvss', 'threat-multiplier', 'mitigation-factor']);

/** On a pull request, what it changed, worst first: a reviewer reads this before anything else. */
function changeList(report: Report, models: readonly ModelReport[], links: LinkContext | null): Markdown[] {
  const c = report.comparison;
  if (!c) return [];
  const items: ChangeItem[] = [];
  const add = (rank: number, text: Markdown) => items.push({ rank, text });
  for (const m of c.removed) {
    const last = m.score === null ? md(m.severity ?? 'unscored') : markup`last scored ${formatScore(m.score)}`;
    add(0, markup`**Removed** ${md(m.name ?? m.file, 80)} (${md(m.file, 120)}), ${last}: ${gateWords(m.gate)}`);
  }
  for (const m of models) for (const item of modelChanges(m, links)) items.push(item);
  for (const p of c.policyChanges) {
    add(
      p.effect === 'loosened' ? 0 : 3,
      p.effect === 'loosened'
        ? markup`**Policy loosened** ${md(p.message, 200)}: takes effect after the merge; this run uses the base policy`
        : markup`**Policy tightened** ${md(p.message, 200)}: applies now`,
    );
  }
  for (const w of c.pendingWaivers) {
    const scope = md([w.model, w.layer, w.threat].filter(Boolean).join(' '), 120);
    add(
      1,
      markup`**New waiver** for ${scope}${w['max-score'] === undefined ? BLANK : markup` up to ${formatScore(w['max-score'])}`} by ${md(w.owner, 80)} until ${md(w.expires, 10)}: ${md(w.reason, 200)} (applies after the merge)`,
    );
  }
  const title = markup`**What this pull request changes**`;
  if (items.length === 0) return [BLANK, markup`${title}: nothing in the threat models or the policy.`];
  const sorted = items.map((item, i) => ({ ...item, i })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  const shown = sorted.slice(0, LISTED).map((item) => markup`- ${item.text}`);
  const more = sorted.length - shown.length;
  return [BLANK, title, BLANK, ...shown, ...(more > 0 ? [markup`- …and ${more} more, listed in each model's details`] : [])];
}

function modelChanges(model: ModelReport, links: LinkContext | null): ChangeItem[] {
  const name = modelLink(model, links);
  const items: ChangeItem[] = [];
  const add = (rank: number, text: Markdown) => items.push({ rank, text });
  if (model.base === null) {
    const score =
      model.score === null ? md(model.status) : markup`${formatScore(model.score)} ${model.severity ? bandLabel(model.severity) : BLANK}`;
    add(3, markup`**Added** ${name}, ${score}`);
  }
  const inputs = model.changes.filter((ch) => INPUT_KINDS.has(ch.kind));
  if (model.delta !== null && model.delta !== 0 && model.base?.score != null && model.score !== null) {
    const lowered = model.delta < 0;
    const selfAssessed = lowered && inputs.some((ch) => SELF_ASSESSED.has(ch.kind) && ch.direction === 'lowered');
    const label = selfAssessed ? markup`**Self-assessed reduction**` : lowered ? markup`**Score lowered**` : markup`**Score raised**`;
    const arrow = lowered ? markup`▼` : markup`▲`;
    const by = inputs.length > 0 ? markup` by ${inputList(inputs)}` : BLANK;
    add(
      selfAssessed || !lowered ? 1 : 2,
      markup`${label} ${name} ${formatScore(model.base.score)} → ${formatScore(model.score)} ${arrow}${formatScore(Math.abs(model.delta))}${by}`,
    );
  } else if (inputs.length > 0 && model.status !== 'invalid') {
    add(2, markup`**Inputs changed** ${name}, same score: ${inputList(inputs)}`);
  }
  const emptied = model.changes.filter((ch) => ch.kind === 'layer-emptied' && ch.layer !== null).map((ch) => md(ch.layer!));
  if (emptied.length > 0)
    add(0, markup`**${emptied.length === 1 ? markup`Layer` : markup`Layers`} emptied** ${name}: ${join(emptied, COMMA)}`);
  for (const ch of model.changes) {
    const threat = ch.threat === null ? BLANK : markup` ${md(ch.threat, 64)}`;
    const title = md(ch.message.slice(ch.message.indexOf(': ') + 2), 160);
    switch (ch.kind) {
      case 'threat-removed':
        add(1, markup`**Threat removed** ${name} · ${md(ch.layer ?? '')}${threat}: ${title}`);
        break;
      case 'threat-status': {
        const reopened = /→ open:/.test(ch.message);
        const closed = !reopened && / open →/.test(ch.message);
        const label = reopened ? markup`**Threat reopened**` : closed ? markup`**Threat closed**` : markup`**Threat status**`;
        add(reopened ? 1 : closed ? 2 : 3, markup`${label} ${name} · ${md(ch.message, 200)}`);
        break;
      }
      case 'threat-added':
        add(3, markup`**Threat added** ${name} · ${md(ch.layer ?? '')}${threat}: ${title}`);
        break;
      case 'status':
        add(1, markup`**Status** ${name}: ${md(ch.message, 100)}`);
        break;
      case 'renamed':
        add(3, markup`**Renamed** ${name}, ${md(ch.message, 200)}`);
        break;
      case 'layer-status':
        add(3, markup`**Layer status** ${name}: ${md(ch.message, 100)}`);
        break;
    }
  }
  return items;
}

/** The inputs that moved a score; a lowered CVSS base, ThM or MF is the author's own claim, and says so. */
function inputList(inputs: readonly Change[]): Markdown {
  const shown = inputs
    .slice(0, 4)
    .map((ch) =>
      SELF_ASSESSED.has(ch.kind) && ch.direction === 'lowered' ? markup`${md(ch.message, 120)} (self-assessed)` : md(ch.message, 120),
    );
  const more = inputs.length - shown.length;
  return join([...shown, ...(more > 0 ? [markup`${plural(more, 'more input')}`] : [])], COMMA);
}

const GATE_WORD: Readonly<Record<ModelReport['gate']['outcome'], Markdown>> = {
  fail: markup`**fails**`,
  warn: markup`warns`,
  pass: markup`passes`,
};

function gateWords(gate: ModelReport['gate']): Markdown {
  return gate.outcome === 'pass' ? GATE_WORD.pass : markup`${GATE_WORD[gate.outcome]}: ${md(gate.reasons.join('; '), 300)}`;
}

/** How the model stands: a model whose failure a waiver accepts is waived, not failing and not merely warned. */
function standing(model: ModelReport): Markdown {
  const waiver = modelWaiver(model);
  return waiver ? waivedBy(waiver) : GATE_WORD[model.gate.outcome];
}

/** The open critical and high threats of every model, passing or not: most severe, then most likely, first. */
function topThreats(models: readonly ModelReport[], links: LinkContext | null): Markdown[] {
  const threats = models
    .flatMap((m) =>
      m.layers.flatMap((l) =>
        l.threats
          .filter((t) => t.status === 'open' && SEVERITY_ORDER[t.severity] <= 1)
          .map((t) => ({ m, l, t, waiver: threatWaiver(m, l, t) })),
      ),
    )
    .map((entry, i) => ({ ...entry, i }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.t.severity] - SEVERITY_ORDER[b.t.severity] ||
        LIKELIHOOD_ORDER[a.t.likelihood] - LIKELIHOOD_ORDER[b.t.likelihood] ||
        Number(a.waiver !== undefined) - Number(b.waiver !== undefined) ||
        a.i - b.i,
    );
  if (threats.length === 0) return [];
  const shown = threats.slice(0, TOP_THREATS);
  const more = threats.length - shown.length;
  return [
    BLANK,
    markup`**Open critical and high threats**`,
    BLANK,
    ...shown.map(
      ({ m, l, t, waiver }) =>
        markup`- ${SEVERITY_ICON[t.severity]} ${threatLink(m, t, links)}: ${md(t.title, 160)} · ${md(t.likelihood)} likelihood · ${md(m.name ?? m.file, 60)} ${md(l.id)}${waiver ? markup` · _${waivedBy(waiver)}_` : BLANK}`,
    ),
    ...(more > 0 ? [markup`- …and ${more} more in the details below`] : []),
  ];
}

const threatLink = (model: ModelReport, threat: ThreatReport, links: LinkContext | null) =>
  link(md(threat.id, 64), threat.line === undefined ? null : fileUrl(links, model.file, threat.line));

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

function modelRow(m: ModelReport, compared: boolean, links: LinkContext | null): Markdown {
  const name = m.name === null ? markup`(unreadable)` : md(m.name, 80);
  return markup`| ${outcomeIcon(m.gate.outcome)} | ${link(name, fileUrl(links, m.file, m.line))} | ${m.score === null ? markup`—` : markup`**${formatScore(m.score)}**`} | ${m.severity ? bandLabel(m.severity) : markup`—`} | ${deltaCell(m, compared)} | ${statusCell(m)} | ${md(m.file, 120)} |`;
}

function statusCell(model: ModelReport): Markdown {
  const gate = standing(model);
  if (model.status === 'invalid') return markup`${gate}: invalid, ${plural(model.errors.length, 'error')}`;
  if (model.status === 'unscored') return markup`${gate}: unscored (no CVSS base), agentic risk ${formatScore(model.factorSum ?? 0)}/10`;
  const uncertain = model.layers.filter((l) => l.status === 'uncertain').length;
  const open = model.layers.flatMap((l) => l.threats.filter((t) => t.status === 'open').map((t) => threatWaiver(model, l, t)));
  const waived = open.filter((w) => w !== undefined).length;
  return join(
    [
      gate,
      markup`${plural(open.length, 'open threat')}${waived > 0 ? markup` (${waived} waived)` : BLANK}`,
      ...(uncertain > 0 ? [plural(uncertain, 'uncertain layer')] : []),
    ],
    COMMA,
  );
}

function modelSection(model: ModelReport, detail: Detail, links: LinkContext | null): Markdown {
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
    ...(model.status === 'invalid' ? problems(model) : [...scoring(model), ...notes(model), ...layers(model, detail, links)]),
  ];
  return join([markup`<details><summary>${summary}</summary>`, BLANK, ...body, BLANK, markup`</details>`, BLANK], NEWLINE);
}

function gateReasons(model: ModelReport): Markdown[] {
  return model.gate.outcome === 'pass' ? [] : [markup`${standing(model)}: ${md(model.gate.reasons.join('; '), 600)}`, BLANK];
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

function layers(model: ModelReport, detail: Detail, links: LinkContext | null): Markdown[] {
  const table = [
    markup`| Layer | Status | Threats | Open |`,
    markup`|---|---|--:|--:|`,
    ...model.layers.map(
      (l) =>
        markup`| ${layerName(l.id)} | ${LAYER_STATUS[l.status]} | ${l.threats.length} | ${l.threats.filter((t) => t.status === 'open').length} |`,
    ),
  ];
  if (detail === 'compact') return [BLANK, ...table];
  return [BLANK, ...table, ...model.layers.flatMap((l) => layerSection(model, l, links))];
}

const LAYER_MARK: Readonly<Record<LayerReport['status'], Markdown>> = {
  mapped: BLANK,
  uncertain: markup` ⚠️ uncertain`,
  'not-applicable': markup` (not applicable)`,
};

function layerSection(model: ModelReport, layer: LayerReport, links: LinkContext | null): Markdown[] {
  if (layer.summary === '' && layer.threats.length === 0) return [];
  const lines = [BLANK, markup`**${layerName(layer.id)}**${LAYER_MARK[layer.status]}`];
  if (layer.summary !== '')
    lines.push(BLANK, markup`${layer.status === 'uncertain' ? markup`_Not certain:_ ` : BLANK}${md(layer.summary, 1000)}`);
  const threats = [...layer.threats].sort(
    (a, b) => THREAT_STATUS_ORDER[a.status] - THREAT_STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  if (threats.length > 0) lines.push(BLANK, ...threats.map((t) => threatLine(model, t, threatWaiver(model, layer, t), links)));
  return lines;
}

/** A tag of a known taxonomy links to its definition; any other is shown as text. */
const tagLink = (tag: string) => link(md(tag, 20), taxonomyOf(tag)?.url ?? null);

function threatLine(model: ModelReport, threat: ThreatReport, waiver: Waived | undefined, links: LinkContext | null): Markdown {
  const implemented = threat.mitigations.filter((m) => m.status === 'implemented').length;
  const parts = [
    markup`${SEVERITY_ICON[threat.severity]} **${md(threat.title, 160)}**`,
    markup`${md(threat.severity)}, ${md(threat.likelihood)} likelihood, ${threat.status === 'open' ? markup`**open**` : md(threat.status)}`,
  ];
  if (threat.mitigations.length > 0) parts.push(markup`mitigations ${implemented}/${threat.mitigations.length} implemented`);
  if (threat.tags.length > 0) parts.push(join(threat.tags.map(tagLink), markup` `));
  if (waiver) parts.push(waivedBy(waiver));
  const description = threat.description ? markup`<br><sub>${md(threat.description, 400)}</sub>` : BLANK;
  return markup`- ${threatLink(model, threat, links)}: ${join(parts, DOT)}${description}`;
}
