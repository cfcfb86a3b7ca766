import { z } from 'zod';
import { FORMULAS } from '../score/aivss.js';
import { BANDS } from '../score/bands.js';
import { LAYER_IDS, LAYER_NAMES } from '../spec/layers.js';
import { CHANGE_KINDS } from '../compare/diff.js';
import { Waiver } from '../policy/config.js';
import { GateOutcome } from '../policy/gate.js';
import { LAYER_STATUSES, Mitigation, MITIGATION_LEVELS, THREAT_MULTIPLIERS, Threat } from '../validate/schema.js';

/**
 * The JSON report: what `aivss-gate check --format json` prints and what every renderer reads. It is a stable,
 * documented contract (schema/report.schema.json); a saved report is validated against it before it is rendered.
 */
export const REPORT_SCHEMA_VERSION = 1;

/** A semantic version, as package.json has it: no room for markup in a saved report's tool version. */
const VERSION_PATTERN = /^\d{1,9}\.\d{1,9}\.\d{1,9}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

const ProblemSchema = z.strictObject({
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().optional().meta({ description: 'For a syntax error: the column on the line, from 1.' }),
  message: z.string(),
});

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
  line: z.number().int().positive().optional().meta({ description: 'Where the threat starts in its file.' }),
});

export const LayerReport = z.strictObject({
  id: z.enum(LAYER_IDS),
  name: z.enum(Object.values(LAYER_NAMES)).meta({ description: "The layer's name in the MAESTRO table; renderers take it from the id." }),
  status: z.enum(LAYER_STATUSES),
  summary: z.string(),
  threats: z.array(ThreatReport),
});

const Gate = z.strictObject({
  outcome: GateOutcome,
  reasons: z.array(z.string()),
  waivers: z
    .array(
      Waiver.extend({
        expired: z.boolean(),
        // Reports saved by earlier versions lack it: they are shown claiming no waiver.
        applies: z.boolean().default(false).meta({
          description: 'Whether it covers this model: not expired, granted for this model, and within its score (the reasons say why not).',
        }),
      }),
    )
    .meta({ description: 'The waivers that name this model.' }),
  waivedThreats: z
    .array(z.strictObject({ layer: z.enum(LAYER_IDS), threat: z.string(), owner: z.string(), expires: z.string() }))
    .default([])
    .meta({ description: 'The threats a waiver of one threat accepts: shown as waived, left out of the top threats.' }),
});

const Change = z.strictObject({
  kind: z.enum(CHANGE_KINDS),
  message: z.string(),
  layer: z.enum(LAYER_IDS).nullable(),
  threat: z.string().nullable(),
  direction: z.enum(['raised', 'lowered']).optional().meta({ description: 'Which way a number moved: the score or one of its inputs.' }),
});

const BaseModel = z
  .strictObject({
    file: z.string(),
    status: z.enum(['scored', 'unscored', 'invalid']),
    score: z.number().nullable(),
    severity: z.enum(BANDS).nullable(),
    factorSum: z
      .number()
      .nullable()
      .default(null)
      .meta({ description: 'The factor sum on the base branch: what an unscored model is compared by.' }),
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

const ReportFields = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('aivss-gate'), version: z.string().max(64).regex(VERSION_PATTERN, 'not a semantic version') }),
  verdict: z.enum(['pass', 'fail']),
  reasons: z.array(z.string()).meta({ description: 'Why the verdict failed, one sentence each; empty on pass.' }),
  couldNotRun: z.string().optional().meta({
    description:
      'Present only when the gate could not run (an invalid input or config, an unreadable base or head): why. The verdict is then fail and there are no models; policy, discovery and summary are the defaults and zeros, not a judgement.',
  }),
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

const couldNotRunRule = [
  (report: { couldNotRun?: string; verdict: string; models: unknown[] }) =>
    report.couldNotRun === undefined || (report.verdict === 'fail' && report.models.length === 0),
  'a report of a gate that could not run has the verdict fail and no models',
] as const;

export const Report = ReportFields.refine(...couldNotRunRule);

/**
 * A report whose models are left unchecked, for a reader that checks them one at a time with ModelReport (see
 * readSavedReport): the same rules as Report otherwise.
 */
export const ReportOutline = ReportFields.extend({ models: z.array(z.unknown()) }).refine(...couldNotRunRule);

export type Report = z.infer<typeof Report>;
export type ModelReport = z.infer<typeof ModelReport>;
export type LayerReport = z.infer<typeof LayerReport>;
export type ThreatReport = z.infer<typeof ThreatReport>;
export type RemovedModel = z.infer<typeof RemovedModel>;
export type Comparison = z.infer<typeof Comparison>;
