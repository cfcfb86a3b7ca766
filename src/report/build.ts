import { diffModels, scoreDelta } from '../compare/diff.js';
import { matchModels } from '../compare/match.js';
import type { Problem } from '../spec/problem.js';
import { resolveConfig, threshold, type Config } from '../policy/config.js';
import { gateModel } from '../policy/gate.js';
import type { EffectivePolicy } from '../policy/strictest.js';
import { decideVerdict } from '../policy/verdict.js';
import type { ScoredModel } from '../score/model.js';
import { BANDS, type Band } from '../score/bands.js';
import { LAYER_IDS, LAYER_NAMES, type LayerId } from '../spec/layers.js';
import { LAYER_STATUSES, Mitigation, Threat, type ThreatModel } from '../validate/schema.js';
import { VERSION } from '../version.js';
import { REPORT_SCHEMA_VERSION, type ModelReport, type RemovedModel, type Report, type ThreatReport } from './schema.js';

export interface Evaluated {
  file: string;
  format: ModelReport['format'];
  model: ThreatModel | null;
  scored: ScoredModel | null;
  warnings: Problem[];
  errors: Problem[];
  /** The agent's name of a model that did not validate, when the file gives one. */
  name?: string | null;
  /** The line where a layer's threat (by its index) starts, when the parser knows it. */
  threatLine?: (layer: LayerId, index: number) => number | null;
}

/** A model's entry before it is compared with the base and judged by the policy. */
export type Evaluation = Omit<ModelReport, 'base' | 'delta' | 'changes' | 'gate'>;

/** A junk file can yield tens of thousands of problems; the first ones tell what is wrong. */
const MAX_PROBLEMS = 50;

function capped(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), { line: null, message: `and ${problems.length - MAX_PROBLEMS} more problems` }];
}

export function evaluation(evaluated: Evaluated): Evaluation {
  const { file, format, model, scored } = evaluated;
  const warnings = capped(evaluated.warnings);
  const errors = capped(evaluated.errors);
  const status = model === null || scored === null ? 'invalid' : scored.score === null ? 'unscored' : 'scored';
  const layers = model
    ? LAYER_IDS.filter((id) => model.layers[id] !== undefined).map((id) => {
        const layer = model.layers[id]!;
        const threats = layer.threats.map((threat, index) => threatReport(threat, evaluated.threatLine?.(id, index) ?? null));
        return { id, name: LAYER_NAMES[id], status: word(layer.status), summary: layer.summary, threats };
      })
    : [];
  return {
    file,
    line: errors.find((e) => e.line !== null)?.line ?? 1,
    format,
    status,
    agentId: model?.agent.id ?? null,
    name: model?.agent.name ?? evaluated.name ?? null,
    description: model?.agent.description ?? null,
    score: status === 'scored' ? scored!.score : null,
    severity: status === 'scored' ? scored!.severity : null,
    cvss: scored?.cvss ?? null,
    uplift: scored?.uplift ?? null,
    factorSum: scored?.factorSum ?? null,
    factors: scored?.factors ?? [],
    threatMultiplier: scored?.threatMultiplier ?? null,
    mitigationFactor: scored?.mitigationFactor ?? null,
    declaredScore: model?.aivss.declaredScore ?? null,
    layers,
    warnings,
    errors,
  };
}

/**
 * The one copy of a word of a closed list (a severity, a likelihood, a status) for the parser's copy of each:
 * 10,000 models hold about 700,000 of them.
 */
const WORDS = new Map<string, string>(
  [Threat.shape.severity, Threat.shape.likelihood, Threat.shape.status, Mitigation.shape.status, { options: LAYER_STATUSES }]
    .flatMap((list): readonly string[] => list.options)
    .map((w) => [w, w]),
);
function word<T extends string>(value: T): T {
  return (WORDS.get(value) as T | undefined) ?? value;
}

/**
 * A threat's entry, built key by key in the schema's order, each key in the literal. Spreading the validated
 * threat gave every threat a hidden class of its own (and a line added later, a property array): at 10,000 models,
 * tens of megabytes of heap.
 */
function threatReport(threat: Threat, line: number | null): ThreatReport {
  const { id, title, description, tags } = threat;
  const [severity, likelihood, status] = [word(threat.severity), word(threat.likelihood), word(threat.status)];
  const mitigations = threat.mitigations.map((m) => ({ title: m.title, status: word(m.status) }));
  if (description === undefined) {
    return line === null
      ? { id, title, severity, likelihood, status, tags, mitigations }
      : { id, title, severity, likelihood, status, tags, mitigations, line };
  }
  return line === null
    ? { id, title, description, severity, likelihood, status, tags, mitigations }
    : { id, title, description, severity, likelihood, status, tags, mitigations, line };
}

/** A model's entry, key by key for the same reason as threatReport: a spread gave each model a hidden class of its own. */
function modelReport(head: Evaluation, judged: Pick<ModelReport, 'base' | 'delta' | 'changes' | 'gate'>): ModelReport {
  const { file, line, format, status, agentId, name, description, score, severity, cvss, uplift, factorSum } = head;
  const { factors, threatMultiplier, mitigationFactor, declaredScore, layers, warnings, errors } = head;
  const { base, delta, changes, gate } = judged;
  return {
    file,
    line,
    format,
    status,
    agentId,
    name,
    description,
    score,
    severity,
    cvss,
    uplift,
    factorSum,
    factors,
    threatMultiplier,
    mitigationFactor,
    declaredScore,
    layers,
    warnings,
    errors,
    base,
    delta,
    changes,
    gate,
  };
}

export interface BuildInput {
  models: Evaluation[];
  unmatched: string[];
  /** Failures of the run that belong to no model, such as files past the max-files limit. */
  problems?: string[];
  config: Config;
  /** YYYY-MM-DD (UTC): waivers are judged against it. */
  today: string;
  /** The base branch's models and the policy merged from both sides, on a pull request. */
  base?: { label: string; models: Evaluation[]; policy: EffectivePolicy };
}

/** Compares with the base when there is one, judges every model under the policy and sums up the run. */
export function buildReport(input: BuildInput): Report {
  const { config, today } = input;
  const baseModels = input.base?.models;
  const pairs = baseModels ? matchModels(baseModels, input.models) : input.models.map((head) => ({ base: null, head }));
  const inBase = (paired: Evaluation | null) => baseModels && { paired, models: baseModels };
  const models: ModelReport[] = [];
  const removed: RemovedModel[] = [];
  for (const { base, head } of pairs) {
    if (head === null) {
      const { file, agentId, name, score, severity } = base!;
      const gate = gateModel({ file, agentId, status: 'removed', score: null, severity: null, base: inBase(base) }, config, today);
      removed.push({ file, agentId, name, score, severity, gate });
      continue;
    }
    const changes = base ? diffModels(base, head) : [];
    const emptiedLayers = changes.filter((c) => c.kind === 'layer-emptied').map((c) => c.layer!);
    models.push(
      modelReport(head, {
        base: base ? { file: base.file, status: base.status, score: base.score, severity: base.severity, factorSum: base.factorSum } : null,
        delta: base ? scoreDelta(base.score, head.score) : null,
        changes,
        gate: gateModel({ ...head, emptiedLayers, base: inBase(base) }, config, today),
      }),
    );
  }

  const { verdict, reasons, notes } = decideVerdict({
    models,
    removed,
    unmatched: input.unmatched,
    problems: input.problems,
    waivers: config.waivers,
    today,
  });
  const failOn = config['fail-on'];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'aivss-gate', version: VERSION },
    verdict,
    reasons,
    policy: {
      formula: config.formula,
      failOn: { band: typeof failOn === 'string' ? failOn : null, threshold: threshold(failOn) },
      onUnscored: config['on-unscored'],
      onInvalid: config['on-invalid'],
      warnOnly: config['warn-only'],
    },
    discovery: { include: config.include, exclude: config.exclude, unmatched: input.unmatched },
    comparison: input.base
      ? { base: input.base.label, removed, policyChanges: input.base.policy.changes, pendingWaivers: input.base.policy.pendingWaivers }
      : null,
    notes,
    summary: summarize(models, removed),
    models,
  };
}

function summarize(models: readonly ModelReport[], removed: readonly RemovedModel[]): Report['summary'] {
  const bands = Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>;
  let worst: Report['summary']['worst'] = null;
  for (const m of models) {
    if (m.score === null || m.severity === null) continue;
    bands[m.severity]++;
    if (worst === null || m.score > worst.score) worst = { file: m.file, name: m.name, score: m.score, severity: m.severity };
  }
  const layersWhere = (test: (l: ModelReport['layers'][number]) => boolean) =>
    models.flatMap((m) => m.layers.filter(test).map((l) => ({ file: m.file, layer: l.id })));
  return {
    models: models.length,
    scored: models.filter((m) => m.status === 'scored').length,
    unscored: models.filter((m) => m.status === 'unscored').length,
    invalid: models.filter((m) => m.status === 'invalid').length,
    failed: [...models, ...removed].filter((m) => m.gate.outcome === 'fail').length,
    warned: [...models, ...removed].filter((m) => m.gate.outcome === 'warn').length,
    worst,
    bands,
    uncertainLayers: layersWhere((l) => l.status === 'uncertain'),
    emptyLayers: layersWhere((l) => l.status !== 'not-applicable' && l.threats.length === 0 && l.summary === ''),
  };
}

/** The report of a run that judged nothing, since it could not run: the verdict fails, and says why. */
export function couldNotRunReport(reason: string, today: string): Report {
  const empty = buildReport({ models: [], unmatched: [], config: resolveConfig(null), today });
  return { ...empty, verdict: 'fail', reasons: [`the gate could not run: ${reason}`], couldNotRun: reason };
}
