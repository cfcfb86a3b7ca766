import { z } from 'zod';
import { plainText } from '../render/escape.js';
import { CVSS4_PATTERN, vectorProblems } from '../score/cvss.js';
import { FACTORS, FACTOR_SLOTS, FACTOR_SPELLINGS, findFactor, normalizeName } from '../spec/factors.js';
import { FORMAT_VERSION } from '../spec/format.js';
import { LAYER_IDS, LAYER_NAMES, REQUIRED_LAYERS, findLayer, layerSpellings, type LayerId } from '../spec/layers.js';
import { MAX_NAMED, MISSING, andMore, found, numberInQuotes } from './messages.js';
import { closest, didYouMean } from './suggest.js';

/**
 * The native threat-model format, defined once. The TypeScript types and schema/threat-model.schema.json
 * both come from here.
 */

export const TAG_PATTERN = /^(T([1-9]|1[0-7])|ASI(0[1-9]|10)|AML\.T\d{4}(\.\d{3})?)$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_RULE = '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';

const text = (max: number) => z.string().trim().min(1).max(max);

interface Range {
  /** The value is greater than this, or at least this when `inclusive`. */
  min: number;
  inclusive: boolean;
  max?: number;
}

const rangeText = ({ min, inclusive, max }: Range) =>
  inclusive && max !== undefined ? `from ${min} to ${max}` : `greater than ${min}${max === undefined ? '' : ` and at most ${max}`}`;

/**
 * A finite number in a range, refused in words that quote the value and state the range; not negative zero
 * (YAML `-0` and `-0.0` would otherwise compare equal to 0).
 */
function numberIn(what: string, range: Range) {
  const tooSmall = (issue: { input?: unknown }) =>
    `${found(issue.input)} is too small: ${what} is ${range.inclusive ? 'at least' : 'greater than'} ${range.min}`;
  const tooLarge = (issue: { input?: unknown }) => `${found(issue.input)} is too large: ${what} is at most ${range.max}`;
  const base = z.number({
    error: (issue) => numberInQuotes(issue.input) ?? `${what} is a number ${rangeText(range)}; found ${found(issue.input)}`,
  });
  const bounded = range.inclusive ? base.min(range.min, { error: tooSmall }) : base.gt(range.min, { error: tooSmall });
  return (range.max === undefined ? bounded : bounded.max(range.max, { error: tooLarge })).refine((n) => !Object.is(n, -0), {
    message: '-0 (negative zero) is not a valid value: write 0',
  });
}

const SCORE: Range = { min: 0, inclusive: true, max: 10 };

export const THREAT_MULTIPLIERS = ['attacked', 'poc', 'unreported'] as const;
export const MITIGATION_LEVELS = ['none', 'partial', 'strong'] as const;

/** The spec's own words for table entries: "proof-of-concept" (ThM 0.97) and "weak" (MF 1.00). */
const SYNONYMS: Readonly<Record<string, ThreatMultiplierLabel | MitigationLevel>> = { 'proof-of-concept': 'poc', weak: 'none' };

/**
 * A table label, a synonym or a number. A refusal quotes the value, suggests the closest label and lists them
 * all: `table` gives each label's value, as the spec prints them.
 */
function labelOrNumber<L extends string>(what: string, labels: readonly [L, ...L[]], table: string, range: Range) {
  const spellings = [...labels, ...Object.keys(SYNONYMS).filter((s) => labels.includes(SYNONYMS[s] as L))] as [string, ...string[]];
  const label = z.enum(spellings).transform((given) => (SYNONYMS[given] ?? given) as L);
  return z.union([label, numberIn(what, range)], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? (numberInQuotes(issue.input) ??
          `${found(issue.input)} is not ${what}${typeof issue.input === 'string' ? didYouMean(issue.input, spellings) : ''}: use ${table}, or a number ${rangeText(range)}`)
        : undefined,
  });
}

const cvssVector = z
  .string()
  .superRefine((vector, ctx) => {
    for (const message of vectorProblems(vector)) ctx.addIssue({ code: 'custom', message });
  })
  .meta({ pattern: CVSS4_PATTERN.source });

const factorValue = numberIn('a factor', { min: 0, inclusive: true, max: 1 });

/** The factors of one slot, by a field such as their id or name: slot 2 has two. */
const inSlot = (slot: number, field: 'id' | 'name') =>
  FACTORS.filter((f) => f.slot === slot)
    .map((f) => f[field])
    .join(' or ');

/** The ten short keys. */
const FACTOR_IDS = Array.from({ length: FACTOR_SLOTS }, (_, i) => inSlot(i + 1, 'id')).join(', ');

/** The names an editor accepts as factor keys: every spelling, and the names in lower case with hyphens. */
const FACTOR_KEYS = [...new Set(FACTOR_SPELLINGS.flatMap((s) => [s, s.toLowerCase().replace(/ & /g, '-and-').replace(/\s+/g, '-')]))];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Key checks run whenever there is a map, even if its values failed, so that one run reports every problem of a file.
const onAnyMap = { when: (payload: { value: unknown }) => isRecord(payload.value) };

/**
 * A map whose values are read only under known keys: an unknown key gets a message of its own (in superRefine),
 * and what it holds is not read, as zod reads no unknown key of an object. A junk file can hold tens of thousands.
 */
const knownKeys = <V extends z.ZodType>(isKnown: (key: string) => boolean, value: V) => z.looseRecord(z.string().refine(isKnown), value);

const factors = knownKeys((name) => findFactor(name) !== undefined, factorValue)
  .superRefine((record, ctx) => {
    const slots = new Map<number, string>();
    // Slots that a misspelled factor name meant to fill: its message already says so.
    const suggested = new Set<number>();
    let unknown = 0;
    for (const name of Object.keys(record)) {
      const factor = findFactor(name);
      if (!factor && ++unknown > MAX_NAMED) continue;
      if (!factor) {
        const meant = closest(name, FACTOR_SPELLINGS, normalizeName);
        if (meant !== null) suggested.add(findFactor(meant)!.slot);
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `unknown factor "${plainText(name, 60)}"${meant === null ? '' : ` (did you mean "${meant}"?)`}; the factors are ${FACTOR_IDS}, or their names such as "${FACTORS[0]!.name}"`,
        });
        continue;
      }
      const previous = slots.get(factor.slot);
      if (previous !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `factor "${plainText(name, 60)}" repeats "${plainText(previous, 60)}" (both fill slot ${factor.slot}: ${inSlot(factor.slot, 'name')}); keep one`,
        });
      }
      slots.set(factor.slot, name);
    }
    for (const message of andMore(unknown, 'unknown factors')) ctx.addIssue({ code: 'custom', message });
    const missing = FACTORS.filter((f) => f.id !== 'natural-language' && !slots.has(f.slot) && !suggested.has(f.slot));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `a model has exactly ${FACTOR_SLOTS} factors; missing: ${missing.map((f) => `${f.name} (${f.id})`).join(', ')}`,
      });
    }
  }, onAnyMap)
  .transform((record) => {
    const byId: Record<string, number> = {};
    for (const [name, value] of Object.entries(record)) byId[findFactor(name)!.id] = value;
    return byId;
  })
  .meta({
    description: `The ten agentic risk factors, each in [0, 1]. Keys: ${FACTOR_SPELLINGS.join(', ')}. aivss-gate ignores case and punctuation in them; this schema knows these spellings and their lower-case, hyphenated forms.`,
    propertyNames: { enum: FACTOR_KEYS },
  });

export const Mitigation = z.strictObject({
  title: text(300),
  status: z.enum(['planned', 'in-progress', 'implemented']),
});

/** An id: refused with the value and the rule. */
const id = (what: string) =>
  z.string().regex(ID_PATTERN, { error: (issue) => `${found(issue.input)} is not a valid ${what}: use ${ID_RULE}` });

const TAG_RULE =
  'a tag is an OWASP ASI threat id (T1-T17), an ASI Top-10 id (ASI01-ASI10) or a MITRE ATLAS id (AML.T0051 or AML.T0051.000)';

/** "asi1" or "t6" written for ASI01 or T6. */
function tagHint(given: string): string {
  const fixed = given
    .trim()
    .toUpperCase()
    .replace(/^ASI(\d)$/, 'ASI0$1');
  return TAG_PATTERN.test(fixed) ? ` (did you mean "${fixed}"?)` : '';
}

export const Threat = z.strictObject({
  id: id('threat id'),
  title: text(300),
  description: text(4000).optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  likelihood: z.enum(['high', 'medium', 'low']),
  status: z.enum(['open', 'mitigated', 'accepted']),
  tags: z
    .array(
      z.string().regex(TAG_PATTERN, {
        error: (issue) => `${found(issue.input)} is not a known tag${tagHint(String(issue.input))}: ${TAG_RULE}`,
      }),
    )
    .max(50)
    .default([]),
  mitigations: z.array(Mitigation).max(100).default([]),
});

export const LAYER_STATUSES = ['mapped', 'uncertain', 'not-applicable'] as const;

export const Layer = z.strictObject(
  {
    status: z.enum(LAYER_STATUSES),
    summary: z.string().trim().max(8000).default(''),
    threats: z.array(Threat).max(500).default([]),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input !== undefined
        ? `a layer is a map with a status, such as { status: not-applicable }; found ${found(issue.input)}`
        : undefined,
  },
);

/** Every spelling of every layer, for suggestions and for editors. */
const LAYER_KEYS = [...new Set(LAYER_IDS.flatMap((l) => layerSpellings(l)))];

const layers = knownKeys((key) => findLayer(key) !== undefined, Layer)
  .superRefine((record, ctx) => {
    const seen = new Map<LayerId, string>();
    const suggested = new Set<LayerId>();
    const threatIds = new Map<string, string>();
    let unknown = 0;
    for (const [key, layer] of Object.entries(record)) {
      const id = findLayer(key);
      if (!id && ++unknown > MAX_NAMED) continue;
      if (!id) {
        const meant = closest(key, LAYER_KEYS, normalizeName);
        if (meant !== null) suggested.add(findLayer(meant)!);
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown layer "${plainText(key, 60)}"${meant === null ? '' : ` (did you mean "${meant}"?)`}; use ${LAYER_IDS.join(', ')} (${REQUIRED_LAYERS.map((l) => LAYER_NAMES[l]).join(', ')}, cross-layer)`,
        });
        continue;
      }
      const previous = seen.get(id);
      if (previous !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `layer "${plainText(key, 60)}" repeats "${plainText(previous, 60)}" (both are ${id}); keep one`,
        });
      }
      seen.set(id, key);
      // The values may have failed validation themselves: read them as plain data.
      const threats = isRecord(layer) && Array.isArray(layer.threats) ? (layer.threats as unknown[]) : [];
      threats.forEach((threat, index) => {
        const threatId = isRecord(threat) ? threat.id : undefined;
        if (typeof threatId !== 'string') return;
        const where = `layers.${key}.threats.${index}`;
        const first = threatIds.get(threatId);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key, 'threats', index, 'id'],
            message: `threat id "${plainText(threatId, 64)}" is already used by ${plainText(first, 80)}; threat ids are unique within a file`,
          });
        } else threatIds.set(threatId, where);
      });
    }
    for (const message of andMore(unknown, 'unknown layers')) ctx.addIssue({ code: 'custom', message });
    const missing = REQUIRED_LAYERS.filter((id) => !seen.has(id) && !suggested.has(id));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `missing layer${missing.length > 1 ? 's' : ''} ${missing.map((l) => `${l} (${LAYER_NAMES[l]})`).join(', ')}: every MAESTRO layer L1-L7 is listed, with status not-applicable where it does not apply`,
      });
    }
  }, onAnyMap)
  .transform((record) => {
    const byId: Partial<Record<LayerId, z.output<typeof Layer>>> = {};
    for (const [key, layer] of Object.entries(record)) byId[findLayer(key)!] = layer;
    return byId;
  })
  .meta({
    description: 'MAESTRO layers keyed L1..L7 (all required) and optionally CL (cross-layer); layer names are accepted as keys too.',
    propertyNames: { enum: LAYER_KEYS },
    // Each required layer under any of its spellings.
    allOf: REQUIRED_LAYERS.map((l) => ({ anyOf: layerSpellings(l).map((key) => ({ required: [key] })) })),
  });

export const ThreatModel = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(FORMAT_VERSION, {
      error: (issue) =>
        numberInQuotes(issue.input) ??
        `${issue.input === undefined ? MISSING : `${found(issue.input)} is not a supported format version`}: write formatVersion: ${FORMAT_VERSION}`,
    }),
    agent: z.strictObject({
      id: id('agent id'),
      name: text(200),
      description: text(8000).optional(),
      links: z
        .array(z.url({ protocol: /^https?$/ }))
        .max(20)
        .optional(),
    }),
    aivss: z.strictObject({
      factors,
      cvss: z
        .union([numberIn('the CVSS base score', SCORE), cvssVector], {
          error: (issue) =>
            issue.code === 'invalid_union'
              ? `the CVSS base is a CVSS v4.0 score from 0 to 10 or a CVSS:4.0/... vector; found ${found(issue.input)}`
              : undefined,
        })
        .optional()
        .meta({ description: 'CVSS v4.0 base score (0-10) or a CVSS:4.0/... vector. Without it the model is unscored.' }),
      threatMultiplier: labelOrNumber(
        'a threat multiplier',
        THREAT_MULTIPLIERS,
        'attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50)',
        { min: 0, inclusive: false },
      )
        .optional()
        .meta({
          description: 'Exploit maturity: attacked (1.00), poc or proof-of-concept (0.97, default), unreported (0.50), or a number > 0.',
        }),
      mitigationFactor: labelOrNumber('a mitigation factor', MITIGATION_LEVELS, 'none or weak (1.00), partial (0.83), strong (0.67)', {
        min: 0,
        inclusive: false,
        max: 1,
      })
        .optional()
        .meta({ description: 'none or weak (1.00, default), partial (0.83), strong (0.67), or a number in (0, 1].' }),
      declaredScore: numberIn('a declared score', SCORE)
        .optional()
        .meta({ description: 'The score this file claims; a mismatch with the computed score is reported.' }),
    }),
    layers,
  })
  .meta({ title: 'aivss-gate threat model', description: 'One AI agent: its OWASP AIVSS inputs and its MAESTRO threats.' });

export type ThreatModelInput = z.input<typeof ThreatModel>;
export type ThreatModel = z.output<typeof ThreatModel>;
export type Threat = z.output<typeof Threat>;
export type Layer = z.output<typeof Layer>;
export type ThreatMultiplierLabel = (typeof THREAT_MULTIPLIERS)[number];
export type MitigationLevel = (typeof MITIGATION_LEVELS)[number];
