import { z } from 'zod';
import { issuesToProblems } from '../validate/index.js';
import { isJsonFile } from '../parse/strict-json.js';
import { parseYaml } from '../parse/yaml.js';
import { place, type Problem } from '../spec/problem.js';
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

/**
 * A threat model is a few to a few dozen kilobytes. Half a mebibyte leaves ten times that, and bounds what one file
 * costs: the yaml package takes about a second and 300 MB to compose a mebibyte of one-line maps.
 */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;

export const Limits = z.strictObject({
  'max-file-bytes': z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_MAX_FILE_BYTES),
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
  .refine(isRealDate, 'not a real date: the month is 01-12 and the day exists in that month');

/** 2027-13-01 makes an invalid Date, whose toISOString throws; 2027-02-30 rolls over to March. */
function isRealDate(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
}

/** An accepted risk: the gate does not fail on it until it expires. */
export const Waiver = z.strictObject({
  model: z.string().min(1).max(500).meta({ description: "The model's agent id or its file path." }),
  layer: z.enum(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'CL']).optional().meta({ description: 'Only failures about this layer.' }),
  threat: z.string().min(1).max(64).optional().meta({ description: 'Only this threat id.' }),
  owner: z.string().min(1).max(200).meta({ description: 'Who accepted the risk.' }),
  reason: z.string().min(1).max(1000),
  expires: isoDate.meta({ description: 'The last day the waiver applies, YYYY-MM-DD (UTC).' }),
  'max-score': z
    .number()
    .min(0)
    .max(10)
    .refine((n) => Math.round(n * 10) / 10 === n, 'a score has at most one decimal, as AIVSS scores do')
    .optional()
    .meta({
      description:
        'The highest AIVSS score the waiver accepts. Without it, a pull request is held to the score the model had in the base; a check without a base has no limit.',
    }),
});
export type Waiver = z.infer<typeof Waiver>;

/** The config file, `.aivss-gate.yml`; command-line flags and action inputs use the same keys. */
export const Config = z.strictObject({
  include: z.array(glob).min(1).max(100).default(DEFAULT_INCLUDE),
  exclude: z.array(glob).max(100).default(DEFAULT_EXCLUDE),
  'fail-on': FailOn.default('high').meta({ description: 'Fail when any model scores at or above this band or number.' }),
  'on-unscored': Outcome.default('fail').meta({ description: 'What a model without a CVSS base does to the verdict.' }),
  'on-invalid': Outcome.default('fail').meta({ description: 'What a file that cannot be read or validated does to the verdict.' }),
  'on-removed': Outcome.default('fail').meta({
    description:
      'What removing a threat model, emptying a layer or losing a score (scored in the base, unscored or invalid now) in a pull request does.',
  }),
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
    super(problemLines(file, problems).join('\n'));
    this.name = 'ConfigError';
  }

  /** One line per problem: they quote the file, so they reach a log only through the log-safe writer. */
  get lines(): string[] {
    return problemLines(this.file, this.problems);
  }
}

function problemLines(file: string | null, problems: readonly Problem[]): string[] {
  return problems.map((p) => `${file ?? 'options'}${place(p)}: ${p.message}`);
}

/** Merges the config file (parsed text, or none) under explicit overrides, then applies the defaults. */
export function resolveConfig(file: { path: string; text: string } | null, overrides: Partial<ConfigInput> = {}): Config {
  let fromFile: Record<string, unknown> = {};
  let lineOf: (path: readonly (string | number)[]) => number | null = () => null;
  if (file) {
    // An empty file, or one whose options are all commented out, means the defaults.
    const parsed = parseYaml(file.text, { allowEmpty: true, json: isJsonFile(file.path) });
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

/** What the scorer can give: a number from 0 to 10. A negative zero is none, as the schema refuses it in inputs. */
export const isScore = (score: unknown): score is number => typeof score === 'number' && score >= 0 && score <= 10 && !Object.is(score, -0);

/** The score at or above which a model fails. */
export function threshold(failOn: FailOn): number {
  return typeof failOn === 'number' ? failOn : BAND_FLOORS[failOn];
}
