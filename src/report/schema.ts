import { z } from 'zod';
import { FORMULAS } from '../score/aivss.js';
import { BANDS } from '../score/bands.js';
import { LAYER_IDS } from '../spec/layers.js';
import { CHANGE_KINDS } from '../compare/diff.js';
import { Waiver } from '../policy/config.js';
import { LAYER_STATUSES, Mitigation, MITIGATION_LEVELS, THREAT_MULTIPLIERS, Threat } from '../validate/schema.js';

/**
 * The JSON report: what `aivss-gate check --format json` prints and what every renderer reads. It is a stable,
 * documented contract (schema/report.schema.json); a saved report is validated against it before it is rendered.
 */
export const REPORT_SCHEMA_VERSION = 1;

const ProblemSchema = z.strictObject({ line: z.number().int().positive().nullable(), message: z.string() });

const multiplier = <T extends readonly [string, ...string[]]>(labels: T) =>
  z.strictObject({
    value: z.number(),
    label: z.enum(labels).nullable().meta({ description: 'The table entry of the spec this value is; null when off the table.' }),
    onTable: z.boolean(),
    source: z.enum(['model', 'cvss-vector', 'default']),
  });

export const ThreatReport = Threat.extend({
  tags: z.array(z.string()),
  mitigations: z.array(Mitigation),
});

export const LayerReport = z.strictObject({
  id: z.enum(LAYER_IDS),
  name: z.string(),
  status: z.enum(LAYER_STATUSES),
  summary: z.string(),
  threats: z.array(ThreatReport),
});

export const GATE_OUTCOMES = ['pass', 'warn', 'fail'] as const;

const Gate = z.strictObject({
  outcome: z.enum(GATE_OUTCOMES),
  reasons: z.array(z.string()),
  waivers: z.array(Waiver.extend({ expired: z.boolean() })).meta({ description: 'The waivers that name this model.' }),
});

const Change = z.strictObject({
  kind: z.enum(CHANGE_KINDS),
  message: z.string(),
  layer: z.enum(LAYER_IDS).nullable(),
  threat: z.string().nullable(),
});

const BaseModel = z
  .strictObject({
    file: z.string(),
    status: z.enum(['scored', 'unscored', 'invalid']),
    score: z.number().nullable(),
    severity: z.enum(BANDS).nullable(),
  })
  .meta({ description: 'The same model on the base branch.' });

export const ModelReport = z.strictObject({
  file: z.string(),
  line: z.number().int().positive().meta({ description: 'Where annotations about the whole model point.' }),
  format: z.enum(['native', 'listing']).nullable(),
  status: z.enum(['scored', 'unscored', 'invalid']),
  agentId: z.string().nullable(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  score: z.number().min(0).max(10).nullable(),
  severity: z.enum(BANDS).nullable(),
  cvss: z.strictObject({ score: z.number().min(0).max(10), vector: z.string().nullable() }).nullable(),
  uplift: z.number().nullable().meta({ description: 'AARS, the agentic uplift the factors add to the CVSS base (v0.8).' }),
  factorSum: z.number().min(0).max(10).nullable().meta({ description: 'Sum of the ten factors: the agentic risk (AARS of v0.5), 0-10.' }),
  factors: z.array(z.strictObject({ id: z.string(), name: z.string(), value: z.number().min(0).max(1) })),
  threatMultiplier: multiplier(THREAT_MULTIPLIERS).nullable(),
  mitigationFactor: multiplier(MITIGATION_LEVELS).nullable(),
  declaredScore: z.number().nullable(),
  layers: z.array(LayerReport),
  warnings: z.array(ProblemSchema),
  errors: z.array(ProblemSchema),
  base: BaseModel.nullable().meta({ description: 'The model on the base branch; null when it is new or nothing was compared.' }),
  delta: z.number().nullable().meta({ description: 'Score minus the base score.' }),
  changes: z.array(Change),
  gate: Gate,
});

const RemovedModel = z.strictObject({
  file: z.string(),
  agentId: z.string().nullable(),
  name: z.string().nullable(),
  score: z.number().nullable(),
  severity: z.enum(BANDS).nullable(),
  gate: Gate,
});

const Comparison = z.strictObject({
  base: z.string().meta({ description: 'What was compared against, such as the base commit.' }),
  removed: z.array(RemovedModel).meta({ description: 'Models of the base that the head no longer has.' }),
  policyChanges: z
    .array(z.strictObject({ key: z.string(), message: z.string(), effect: z.enum(['tightened', 'loosened']) }))
    .meta({ description: 'How the pull request changes the policy: tightenings apply now, loosenings after the merge.' }),
  pendingWaivers: z.array(Waiver).meta({ description: 'Waivers the pull request adds; they apply after the merge.' }),
});

export const Report = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('aivss-gate'), version: z.string() }),
  verdict: z.enum(['pass', 'fail']),
  reasons: z.array(z.string()).meta({ description: 'Why the verdict failed, one sentence each; empty on pass.' }),
  policy: z.strictObject({
    formula: z.enum(FORMULAS),
    failOn: z.strictObject({ band: z.enum(BANDS).nullable(), threshold: z.number() }),
    onUnscored: z.enum(['fail', 'warn']),
    onInvalid: z.enum(['fail', 'warn']),
    warnOnly: z.boolean(),
  }),
  discovery: z.strictObject({
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    unmatched: z.array(z.string()).meta({ description: 'Include patterns that matched no file.' }),
  }),
  comparison: Comparison.nullable(),
  notes: z.array(z.string()).meta({ description: 'Remarks about the run that do not change the verdict.' }),
  summary: z.strictObject({
    models: z.number().int(),
    scored: z.number().int(),
    unscored: z.number().int(),
    invalid: z.number().int(),
    failed: z.number().int(),
    warned: z.number().int(),
    worst: z.strictObject({ file: z.string(), name: z.string().nullable(), score: z.number(), severity: z.enum(BANDS) }).nullable(),
    bands: z.strictObject({
      critical: z.number().int(),
      high: z.number().int(),
      medium: z.number().int(),
      low: z.number().int(),
      none: z.number().int(),
    }),
    uncertainLayers: z.array(z.strictObject({ file: z.string(), layer: z.enum(LAYER_IDS) })),
    emptyLayers: z.array(z.strictObject({ file: z.string(), layer: z.enum(LAYER_IDS) })),
  }),
  models: z.array(ModelReport),
});

export type Report = z.infer<typeof Report>;
export type ModelReport = z.infer<typeof ModelReport>;
export type LayerReport = z.infer<typeof LayerReport>;
export type ThreatReport = z.infer<typeof ThreatReport>;
export type GateOutcome = (typeof GATE_OUTCOMES)[number];
export type RemovedModel = z.infer<typeof RemovedModel>;
export type Comparison = z.infer<typeof Comparison>;
