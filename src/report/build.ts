import type { Problem } from '../parse/types.js';
import { decideVerdict, gateModel } from '../policy/gate.js';
import { threshold, type Config } from '../policy/config.js';
import type { ScoredModel } from '../score/model.js';
import { BANDS, type Band } from '../score/bands.js';
import { LAYER_IDS, LAYER_NAMES } from '../validate/layers.js';
import type { ThreatModel } from '../validate/schema.js';
import { REPORT_SCHEMA_VERSION, type ModelReport, type Report } from './schema.js';
import { VERSION } from '../version.js';

export interface Evaluated {
  file: string;
  format: ModelReport['format'];
  model: ThreatModel | null;
  scored: ScoredModel | null;
  warnings: Problem[];
  errors: Problem[];
}

/** One model's entry in the report, its gate decided under the policy. */
export function modelReport(evaluated: Evaluated, config: Config): ModelReport {
  const { file, format, model, scored, warnings, errors } = evaluated;
  const status = model === null || scored === null ? 'invalid' : scored.score === null ? 'unscored' : 'scored';
  const score = status === 'scored' ? scored!.score : null;
  const severity = status === 'scored' ? scored!.severity : null;
  const layers = model
    ? LAYER_IDS.filter((id) => model.layers[id] !== undefined).map((id) => {
        const layer = model.layers[id]!;
        return { id, name: LAYER_NAMES[id], status: layer.status, summary: layer.summary, threats: layer.threats };
      })
    : [];
  return {
    file,
    line: errors.find((e) => e.line !== null)?.line ?? 1,
    format,
    status,
    agentId: model?.agent.id ?? null,
    name: model?.agent.name ?? null,
    description: model?.agent.description ?? null,
    score,
    severity,
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
    gate: gateModel({ status, score, severity }, config),
  };
}

export function buildReport(models: ModelReport[], discovery: { unmatched: string[] }, config: Config): Report {
  const { verdict, reasons } = decideVerdict(models, discovery.unmatched);
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
    discovery: { include: config.include, exclude: config.exclude, unmatched: discovery.unmatched },
    summary: summarize(models),
    models,
  };
}

function summarize(models: readonly ModelReport[]): Report['summary'] {
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
    failed: models.filter((m) => m.gate.outcome === 'fail').length,
    warned: models.filter((m) => m.gate.outcome === 'warn').length,
    worst,
    bands,
    uncertainLayers: layersWhere((l) => l.status === 'uncertain'),
    emptyLayers: layersWhere((l) => l.status !== 'not-applicable' && l.threats.length === 0 && l.summary === ''),
  };
}

