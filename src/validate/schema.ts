import { z } from 'zod';
import { FORMAT_VERSION } from '../spec/format.js';
import { FACTORS, FACTOR_SLOTS, FACTOR_SPELLINGS, findFactor } from '../spec/factors.js';
import { LAYER_IDS, LAYER_NAMES, REQUIRED_LAYERS, findLayer, type LayerId } from '../spec/layers.js';

/**
 * The native threat-model format, defined once. The TypeScript types and schema/threat-model.schema.json
 * both come from here.
 */

// FIRST's cvss-v4.0.json vectorString pattern; ae-cvss-calculator scores malformed vectors instead of refusing them.
export const CVSS4_PATTERN =
  /^CVSS:4[.]0\/AV:[NALP]\/AC:[LH]\/AT:[NP]\/PR:[NLH]\/UI:[NPA]\/VC:[HLN]\/VI:[HLN]\/VA:[HLN]\/SC:[HLN]\/SI:[HLN]\/SA:[HLN](\/E:[XAPU])?(\/CR:[XHML])?(\/IR:[XHML])?(\/AR:[XHML])?(\/MAV:[XNALP])?(\/MAC:[XLH])?(\/MAT:[XNP])?(\/MPR:[XNLH])?(\/MUI:[XNPA])?(\/MVC:[XNLH])?(\/MVI:[XNLH])?(\/MVA:[XNLH])?(\/MSC:[XNLH])?(\/MSI:[XNLHS])?(\/MSA:[XNLHS])?(\/S:[XNP])?(\/AU:[XNY])?(\/R:[XAUI])?(\/V:[XDC])?(\/RE:[XLMH])?(\/U:(X|Clear|Green|Amber|Red))?$/;

export const TAG_PATTERN = /^(T([1-9]|1[0-7])|ASI(0[1-9]|10)|AML\.T\d{4}(\.\d{3})?)$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const text = (max: number) => z.string().trim().min(1).max(max);

/** A finite number that is not negative zero (YAML `-0` and `-0.0` would otherwise compare equal to 0). */
const number = () => z.number().refine((n) => !Object.is(n, -0), { message: 'negative zero is not a valid value' });

export const THREAT_MULTIPLIERS = ['attacked', 'poc', 'unreported'] as const;
export const MITIGATION_LEVELS = ['none', 'partial', 'strong'] as const;

const cvssVector = z.string().superRefine((vector, ctx) => {
  if (/^CVSS:3\.[01]\//.test(vector)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'a CVSS 3.x vector is not accepted: AIVSS v0.8 takes a CVSS v4.0 base score; rescore the vulnerability with a CVSS:4.0/... vector or give the v4.0 base as a number',
    });
  } else if (!CVSS4_PATTERN.test(vector)) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid CVSS v4.0 vector: expected CVSS:4.0/AV:_/AC:_/AT:_/PR:_/UI:_/VC:_/VI:_/VA:_/SC:_/SI:_/SA:_ with the metrics in FIRST's order`,
    });
  }
});

const factorValue = number().min(0, 'a factor is at least 0').max(1, 'a factor is at most 1');

const factors = z
  .record(z.string(), factorValue)
  .superRefine((record, ctx) => {
    const slots = new Map<number, string>();
    for (const name of Object.keys(record)) {
      const factor = findFactor(name);
      if (!factor) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `unknown factor "${name}"; known factors: ${FACTORS.map((f) => f.name).join(', ')}`,
        });
        continue;
      }
      const previous = slots.get(factor.slot);
      if (previous !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `factor "${name}" repeats "${previous}" (both fill slot ${factor.slot}: ${factor.name})`,
        });
      }
      slots.set(factor.slot, name);
    }
    const missing = FACTORS.filter((f) => f.id !== 'natural-language' && !slots.has(f.slot));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `a model has exactly ${FACTOR_SLOTS} factors; missing: ${missing.map((f) => f.name).join(', ')}`,
      });
    }
  })
  .transform((record) => {
    const byId: Record<string, number> = {};
    for (const [name, value] of Object.entries(record)) byId[findFactor(name)!.id] = value;
    return byId;
  })
  .meta({
    description: `The ten agentic risk factors, each in [0, 1]. Keys: ${FACTOR_SPELLINGS.join(', ')} (case and punctuation do not matter).`,
  });

export const Mitigation = z.strictObject({
  title: text(300),
  status: z.enum(['planned', 'in-progress', 'implemented']),
});

export const Threat = z.strictObject({
  id: z.string().regex(ID_PATTERN, 'a threat id is 1-64 letters, digits, ".", "_" or "-"'),
  title: text(300),
  description: text(4000).optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  likelihood: z.enum(['high', 'medium', 'low']),
  status: z.enum(['open', 'mitigated', 'accepted']),
  tags: z
    .array(
      z
        .string()
        .regex(
          TAG_PATTERN,
          'a tag is an OWASP ASI threat id (T1-T17), an ASI Top-10 id (ASI01-ASI10) or a MITRE ATLAS id (AML.T0051 or AML.T0051.000)',
        ),
    )
    .max(50)
    .default([]),
  mitigations: z.array(Mitigation).max(100).default([]),
});

export const LAYER_STATUSES = ['mapped', 'uncertain', 'not-applicable'] as const;

export const Layer = z.strictObject({
  status: z.enum(LAYER_STATUSES),
  summary: z.string().trim().max(8000).default(''),
  threats: z.array(Threat).max(500).default([]),
});

const layers = z
  .record(z.string(), Layer)
  .superRefine((record, ctx) => {
    const seen = new Map<LayerId, string>();
    for (const [key, layer] of Object.entries(record)) {
      const id = findLayer(key);
      if (!id) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown layer "${key}"; use ${LAYER_IDS.join(', ')} (${REQUIRED_LAYERS.map((l) => LAYER_NAMES[l]).join(', ')}, cross-layer)`,
        });
        continue;
      }
      const previous = seen.get(id);
      if (previous !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `layer "${key}" repeats "${previous}" (both are ${id})` });
      }
      seen.set(id, key);
      const ids = new Set<string>();
      layer.threats.forEach((threat, index) => {
        if (ids.has(threat.id)) {
          ctx.addIssue({ code: 'custom', path: [key, 'threats', index, 'id'], message: `threat id "${threat.id}" is used twice in ${id}` });
        }
        ids.add(threat.id);
      });
    }
    const missing = REQUIRED_LAYERS.filter((id) => !seen.has(id));
    if (missing.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `missing layer${missing.length > 1 ? 's' : ''} ${missing.map((l) => `${l} (${LAYER_NAMES[l]})`).join(', ')}: every MAESTRO layer L1-L7 is listed, with status not-applicable where it does not apply`,
      });
    }
  })
  .transform((record) => {
    const byId: Partial<Record<LayerId, z.output<typeof Layer>>> = {};
    for (const [key, layer] of Object.entries(record)) byId[findLayer(key)!] = layer;
    return byId;
  })
  .meta({
    description: 'MAESTRO layers keyed L1..L7 (all required) and optionally CL (cross-layer); layer names are accepted as keys too.',
  });

export const ThreatModel = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(FORMAT_VERSION),
    agent: z.strictObject({
      id: z.string().regex(ID_PATTERN, 'an agent id is 1-64 letters, digits, ".", "_" or "-"'),
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
        .union([number().min(0).max(10), cvssVector])
        .optional()
        .meta({ description: 'CVSS v4.0 base score (0-10) or a CVSS:4.0/... vector. Without it the model is unscored.' }),
      threatMultiplier: z
        .union([z.enum(THREAT_MULTIPLIERS), number().gt(0, 'the threat multiplier is greater than 0')])
        .optional()
        .meta({ description: 'Exploit maturity: attacked (1.00), poc (0.97, default), unreported (0.50), or a number > 0.' }),
      mitigationFactor: z
        .union([
          z.enum(MITIGATION_LEVELS),
          number().gt(0, 'the mitigation factor is greater than 0').max(1, 'the mitigation factor is at most 1'),
        ])
        .optional()
        .meta({ description: 'none (1.00, default), partial (0.83), strong (0.67), or a number in (0, 1].' }),
      declaredScore: number()
        .min(0)
        .max(10)
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
