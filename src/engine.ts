import { createHash } from 'node:crypto';
import { includePatterns, PathOutsideRoot } from './discover/paths.js';
import { workingTree, type Tree } from './discover/tree.js';
import { parseThreatModel, type Parsed } from './parse/index.js';
import { ConfigError, DEFAULT_CONFIG_FILE, resolveConfig, type Config, type ConfigInput } from './policy/config.js';
import { OptionError } from './policy/options.js';
import { strictest } from './policy/strictest.js';
import { todayUtc } from './policy/waivers.js';
import { buildReport, evaluation, type Evaluated, type Evaluation } from './report/build.js';
import type { ModelReport, Report } from './report/schema.js';
import type { Formula } from './score/aivss.js';
import { scoreModel } from './score/model.js';
import { validateThreatModel } from './validate/index.js';
import { findLayer, type LayerId } from './spec/layers.js';

/** Parse, validate and score one file's text. Pure. */
export function evaluateFile(file: string, text: string, formula: Formula): Evaluation {
  const parsed = parseThreatModel(text, file);
  if (!parsed.ok) return evaluation(invalid(file, parsed.format, parsed.problems));
  const validated = validateThreatModel(parsed.parsed);
  if (!validated.ok) return evaluation({ ...invalid(file, parsed.parsed.format, validated.problems), name: validated.name });
  const scored = scoreModel(validated.model, formula);
  const warnings = scored.notes.map((n) => ({ line: parsed.parsed.lineOf(n.path), message: n.message }));
  const threatLine = threatLines(parsed.parsed);
  return evaluation({ file, format: parsed.parsed.format, model: validated.model, scored, warnings, errors: [], threatLine });
}

/** Where each threat starts: the file's own key for a layer (an id or a name), then the threat's index. */
function threatLines(parsed: Parsed): (layer: LayerId, index: number) => number | null {
  const keys = new Map<LayerId, string>();
  for (const key of Object.keys((parsed.data as { layers: object }).layers)) {
    const id = findLayer(key);
    if (id !== undefined && !keys.has(id)) keys.set(id, key);
  }
  return (layer, index) => {
    const key = keys.get(layer);
    return key === undefined ? null : parsed.lineOf(['layers', key, 'threats', index]);
  };
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
  /** YYYY-MM-DD (UTC), for waivers; today by default. */
  today?: string;
}

/** The whole check of the working tree: discover, read, evaluate each file, apply the policy. */
export async function check(options: CheckOptions): Promise<Report> {
  const head = await evaluateTree(workingTree(options.root), options.config);
  return buildReport({ ...head, config: options.config, today: options.today ?? todayUtc() });
}

export interface CompareOptions {
  head: Tree;
  base: Tree;
  configFile?: string;
  /** Flags or action inputs: they apply to both sides. */
  overrides: Partial<ConfigInput>;
  today?: string;
  /** How a file is evaluated: evaluateFile, or a test's wrapper that counts the calls. */
  evaluate?: typeof evaluateFile;
}

/**
 * A pull request judged against its base: the policy is the stricter of both sides' config files, both trees are
 * scored under it, and every model of the head is compared with its model in the base.
 */
export async function comparePullRequest(options: CompareOptions): Promise<Report> {
  const [baseConfig, headConfig] = await Promise.all([
    // A config file that the pull request adds does not exist in the base: the base then has the defaults.
    loadTreeConfig(options.base, options.configFile, options.overrides, false),
    loadTreeConfig(options.head, options.configFile, options.overrides),
  ]);
  const policy = strictest(baseConfig, headConfig);
  const evaluations = sharedEvaluations(options.evaluate ?? evaluateFile);
  const [base, head] = await Promise.all([
    evaluateTree(options.base, policy.config, (file, text, formula) => evaluations.take('base', file, text, formula)),
    evaluateTree(options.head, policy.config, (file, text, formula) => evaluations.take('head', file, text, formula)),
  ]);
  // A base model that the head shares costs nothing more; one of the base's own is only compared with.
  const baseModels = base.models.map((model) => (evaluations.isShared(model) ? model : forComparison(model)));
  return buildReport({
    ...head,
    config: policy.config,
    today: options.today ?? todayUtc(),
    base: { label: options.base.label, models: baseModels, policy },
  });
}

type Side = 'base' | 'head';

/**
 * Both sides are evaluated under one formula and evaluateFile is pure, so a file with the same path and the same
 * bytes on both sides is evaluated once: whichever side reads it first leaves its evaluation for the other, which
 * takes it or, when its bytes differ, evaluates its own. Only a hash of the text is kept, and an entry is let go
 * as soon as the other side reaches its path.
 */
function sharedEvaluations(evaluate: typeof evaluateFile) {
  const waiting = new Map<string, { side: Side; hash: string; evaluation: Evaluation }>();
  const shared = new WeakSet<Evaluation>();
  return {
    take(side: Side, file: string, text: string, formula: Formula): Evaluation {
      const hash = createHash('sha256').update(text).digest('base64');
      const left = waiting.get(file);
      if (left !== undefined && left.side !== side) {
        waiting.delete(file);
        if (left.hash !== hash) return evaluate(file, text, formula);
        shared.add(left.evaluation);
        return left.evaluation;
      }
      const evaluation = evaluate(file, text, formula);
      waiting.set(file, { side, hash, evaluation });
      return evaluation;
    },
    isShared: (evaluation: Evaluation) => shared.has(evaluation),
  };
}

/** A base model is only compared with: the texts that no comparison reads are let go. */
function forComparison(model: Evaluation): Evaluation {
  const layers = model.layers.map((layer) => ({
    ...layer,
    threats: layer.threats.map(({ description: _description, ...threat }) => ({ ...threat, tags: [], mitigations: [] })),
  }));
  return { ...model, description: null, warnings: [], errors: [], layers };
}

async function evaluateTree(tree: Tree, config: Config, evaluate: typeof evaluateFile = evaluateFile) {
  const discovery = await tree.discover({ include: config.include, exclude: config.exclude, maxFiles: config.limits['max-files'] });
  const models: Evaluation[] = [];
  let totalBytes = 0;
  for (const candidate of discovery.candidates) {
    const refuse = (message: string) =>
      models.push(evaluation(invalid(candidate.file, null, [{ line: null, message: `refused: ${message}` }])));
    if (candidate.refusal) {
      refuse(candidate.refusal);
      continue;
    }
    const read = await tree.read(candidate.file, config.limits['max-file-bytes']);
    if (!read.ok) {
      refuse(`the file ${read.message}`);
      continue;
    }
    if (totalBytes + read.bytes > config.limits['max-total-bytes']) {
      refuse(`the files together pass the limit of ${config.limits['max-total-bytes']} bytes (limits.max-total-bytes)`);
      continue;
    }
    totalBytes += read.bytes;
    models.push(evaluate(candidate.file, read.text, config.formula));
  }
  const problems = [
    ...(discovery.overflow > 0
      ? [
          `${discovery.overflow} more threat-model files match than limits.max-files (${config.limits['max-files']}) allows; they were not read`,
        ]
      : []),
    ...sharedAgentIds(models),
  ];
  return { models, unmatched: discovery.unmatched, problems };
}

/**
 * One reason for each agent id that several files use. Base matching and waivers key on the id, so the run
 * fails whatever the models score, and no waiver can accept it.
 */
export function sharedAgentIds(models: readonly { file: string; agentId: string | null }[]): string[] {
  const files = new Map<string, string[]>();
  for (const { file, agentId } of models) if (agentId !== null) files.set(agentId, [...(files.get(agentId) ?? []), file]);
  return [...files]
    .filter(([, shared]) => shared.length > 1)
    .map(
      ([id, shared]) =>
        `the agent id "${id}" is used by ${shared.length} files: ${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ` and ${shared.length - 5} more` : ''}; give each agent its own id (base matching and waivers key on it)`,
    );
}

/** Exit statuses of the CLI and the action: the verdict passed, it failed, the gate could not run as asked (usage, inputs, config). */
export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** The exit status a report gives: its verdict, unless warn-only keeps a failing one green. */
export function exitStatus(report: Report): number {
  return report.verdict === 'pass' || report.policy.warnOnly ? EXIT.pass : EXIT.fail;
}

export interface GateRequest {
  /** The working tree: every file read from it is inside it. */
  root: string;
  /** Policy options, as readOptions reads them from the CLI's flags or the action's inputs. */
  overrides: Partial<ConfigInput>;
  configFile?: string;
  /** Files or folders, relative to the root or absolute inside it: they replace the include patterns, on both sides. */
  paths?: readonly string[];
  /** How the caller names the paths in an error: "input paths". */
  pathsName: string;
  /** The commit to compare with, as on a pull request; without one, the working tree is checked alone. */
  base?: () => Promise<Tree>;
  /** The other side of the comparison when it is not the working tree. */
  head?: () => Promise<Tree>;
  today?: string;
}

/** What the CLI and the action both run: the paths as include patterns, then a check, or a comparison with the base. */
export async function gate(request: GateRequest): Promise<Report> {
  const { root, configFile, today } = request;
  const overrides = { ...request.overrides };
  if (request.paths && request.paths.length > 0) {
    try {
      overrides.include = await includePatterns(root, request.paths);
    } catch (error) {
      if (error instanceof PathOutsideRoot) throw new OptionError(`${request.pathsName}: ${error.message}`);
      throw error;
    }
  }
  if (request.base === undefined) return check({ root, config: await loadConfig(root, configFile, overrides), today });
  const [base, head] = await Promise.all([request.base(), request.head?.() ?? workingTree(root)]);
  return comparePullRequest({ base, head, configFile, overrides, today });
}

/** Reads the config file of the working tree (the default one only when it exists) and merges the overrides over it. */
export function loadConfig(root: string, configFile: string | undefined, overrides: Partial<ConfigInput>): Promise<Config> {
  return loadTreeConfig(workingTree(root), configFile, overrides);
}

async function loadTreeConfig(
  tree: Tree,
  configFile: string | undefined,
  overrides: Partial<ConfigInput>,
  required = true,
): Promise<Config> {
  const file = configFile ?? DEFAULT_CONFIG_FILE;
  let text: string | null;
  try {
    text = await tree.readConfig(file);
  } catch (error) {
    throw new ConfigError(file, [{ line: null, message: `the config file in the ${tree.label} is refused (${(error as Error).message})` }]);
  }
  if (text === null && configFile !== undefined && required) {
    throw new ConfigError(file, [{ line: null, message: `the config file does not exist in the ${tree.label}` }]);
  }
  return resolveConfig(text === null ? null : { path: file, text }, overrides);
}
