import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { discover } from './discover/discover.js';
import { readCandidate } from './discover/read.js';
import { parseThreatModel } from './parse/index.js';
import { ConfigError, DEFAULT_CONFIG_FILE, resolveConfig, type Config, type ConfigInput } from './policy/config.js';
import { todayUtc } from './policy/waivers.js';
import { buildReport, evaluation, type Evaluated, type Evaluation } from './report/build.js';
import type { ModelReport, Report } from './report/schema.js';
import type { Formula } from './score/aivss.js';
import { scoreModel } from './score/model.js';
import { validateThreatModel } from './validate/index.js';

/** Parse, validate and score one file's text. Pure. */
export function evaluateFile(file: string, text: string, formula: Formula): Evaluation {
  const parsed = parseThreatModel(text);
  if (!parsed.ok) return evaluation(invalid(file, parsed.format, parsed.problems));
  const validated = validateThreatModel(parsed.parsed);
  if (!validated.ok) return evaluation(invalid(file, parsed.parsed.format, validated.problems));
  const scored = scoreModel(validated.model, formula);
  const warnings = scored.notes.map((n) => ({ line: parsed.parsed.lineOf(n.path), message: n.message }));
  return evaluation({ file, format: parsed.parsed.format, model: validated.model, scored, warnings, errors: [] });
}

/** One file judged on its own under the policy, as `check` would judge it without a base to compare. */
export function evaluateText(file: string, text: string, config: Config, today = todayUtc()): ModelReport {
  return buildReport({ models: [evaluateFile(file, text, config.formula)], unmatched: [], config, today }).models[0]!;
}

function invalid(file: string, format: Evaluated['format'], errors: Evaluated['errors']): Evaluated {
  return { file, format, model: null, scored: null, warnings: [], errors };
}

export interface CheckOptions {
  /** The repository root: every file read is inside it. */
  root: string;
  config: Config;
  paths?: readonly string[];
  /** YYYY-MM-DD (UTC), for waivers; today by default. */
  today?: string;
}

/** The whole check: discover, read, evaluate each file, apply the policy. */
export async function check(options: CheckOptions): Promise<Report> {
  const { root, config } = options;
  const discovery = await discover({
    root,
    include: config.include,
    exclude: config.exclude,
    paths: options.paths,
    maxFiles: config.limits['max-files'],
  });
  const models: Evaluation[] = [];
  let totalBytes = 0;
  for (const candidate of discovery.candidates) {
    const refuse = (message: string) =>
      models.push(evaluation(invalid(candidate.file, null, [{ line: null, message: `refused: ${message}` }])));
    if (candidate.refusal) {
      refuse(candidate.refusal);
      continue;
    }
    const read = await readCandidate(root, candidate.file, { maxFileBytes: config.limits['max-file-bytes'] });
    if (!read.ok) {
      refuse(`the file ${read.message}`);
      continue;
    }
    if (totalBytes + read.bytes > config.limits['max-total-bytes']) {
      refuse(`the files together pass the limit of ${config.limits['max-total-bytes']} bytes (limits.max-total-bytes)`);
      continue;
    }
    totalBytes += read.bytes;
    models.push(evaluateFile(candidate.file, read.text, config.formula));
  }
  return buildReport({ models, unmatched: discovery.unmatched, config, today: options.today ?? todayUtc() });
}

/** Reads the config file (the default one only when it exists) and merges the overrides over it. */
export async function loadConfig(root: string, configFile: string | undefined, overrides: Partial<ConfigInput>): Promise<Config> {
  const file = configFile ?? DEFAULT_CONFIG_FILE;
  const absolute = path.resolve(root, file);
  let text: string | null = null;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if (configFile !== undefined || (error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(file, [{ line: null, message: `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
    }
  }
  return resolveConfig(text === null ? null : { path: file, text }, overrides);
}
