import { z } from 'zod';
import { issuesToProblems } from '../validate/index.js';
import { parseYaml } from '../parse/yaml.js';
import type { Problem } from '../spec/problem.js';
import { FORMULAS } from '../score/aivss.js';
import { BAND_FLOORS } from '../score/bands.js';

/** Every default of aivss-gate's policy lives here. */
export const DEFAULT_CONFIG_FILE = '.aivss-gate.yml';
export const DEFAULT_INCLUDE = ['threat-models/**', '**/*.threat-model.{yaml,yml,json,md,txt}'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/README.md'];

const FAIL_BANDS = Object.keys(BAND_FLOORS) as [keyof typeof BAND_FLOORS, ...(keyof typeof BAND_FLOORS)[]];

const glob = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'a pattern is relative to the repository root, not absolute')
  .refine((p) => !p.split('/').includes('..'), 'a pattern may not climb out of the repository with ".."');

export const FailOn = z.union([z.enum(FAIL_BANDS), z.number().min(0.1, 'fail-on is at least 0.1').max(10, 'fail-on is at most 10')]);
export type FailOn = z.infer<typeof FailOn>;

export const Outcome = z.enum(['fail', 'warn']);

export const Limits = z.strictObject({
  'max-file-bytes': z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  'max-total-bytes': z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  'max-files': z.number().int().min(1).max(100_000).default(10_000),
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');

/** An accepted risk: the gate does not fail on it until it expires. */
export const Waiver = z.strictObject({
  model: z.string().min(1).max(500).meta({ description: "The model's agent id or its file path." }),
  layer: z.enum(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'CL']).optional().meta({ description: 'Only failures about this layer.' }),
  threat: z.string().min(1).max(64).optional().meta({ description: 'Only this threat id.' }),
  owner: z.string().min(1).max(200).meta({ description: 'Who accepted the risk.' }),
  reason: z.string().min(1).max(1000),
  expires: isoDate.meta({ description: 'The last day the waiver applies, YYYY-MM-DD (UTC).' }),
});
export type Waiver = z.infer<typeof Waiver>;

/** The config file, `.aivss-gate.yml`; command-line flags and action inputs use the same keys. */
export const Config = z.strictObject({
  include: z.array(glob).min(1).max(100).default(DEFAULT_INCLUDE),
  exclude: z.array(glob).max(100).default(DEFAULT_EXCLUDE),
  'fail-on': FailOn.default('high').meta({ description: 'Fail when any model scores at or above this band or number.' }),
  'on-unscored': Outcome.default('fail').meta({ description: 'What a model without a CVSS base does to the verdict.' }),
  'on-invalid': Outcome.default('fail').meta({ description: 'What a file that cannot be read or validated does to the verdict.' }),
  'on-removed': Outcome.default('fail').meta({ description: 'What removing a threat model or emptying a layer in a pull request does.' }),
  'warn-only': z.boolean().default(false).meta({ description: 'Report everything, never fail the run.' }),
  waivers: z.array(Waiver).max(1000).default([]),
  formula: z.enum(FORMULAS).default('v0.8'),
  limits: Limits.default(Limits.parse({})),
});
export type Config = z.output<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export class ConfigError extends Error {
  constructor(
    readonly file: string | null,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${file ?? 'options'}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Merges the config file (parsed text, or none) under explicit overrides, then applies the defaults. */
export function resolveConfig(file: { path: string; text: string } | null, overrides: Partial<ConfigInput> = {}): Config {
  let fromFile: Record<string, unknown> = {};
  let lineOf: (path: readonly (string | number)[]) => number | null = () => null;
  if (file) {
    // An empty file, or one whose options are all commented out, means the defaults.
    const parsed = parseYaml(file.text, { allowEmpty: true });
    if (!parsed.ok) throw new ConfigError(file.path, parsed.problems);
    const data = parsed.parsed.data;
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      throw new ConfigError(file.path, [{ line: 1, message: 'the config file is a YAML map of options' }]);
    }
    fromFile = (data ?? {}) as Record<string, unknown>;
    lineOf = parsed.parsed.lineOf;
  }
  const fileResult = Config.partial().safeParse(fromFile);
  if (!fileResult.success) throw new ConfigError(file?.path ?? null, issuesToProblems(fileResult.error.issues, lineOf));
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const merged = Config.safeParse({ ...fromFile, ...defined });
  if (!merged.success)
    throw new ConfigError(
      null,
      issuesToProblems(merged.error.issues, () => null),
    );
  return merged.data;
}

/** The score at or above which a model fails. */
export function threshold(failOn: FailOn): number {
  return typeof failOn === 'number' ? failOn : BAND_FLOORS[failOn];
}
