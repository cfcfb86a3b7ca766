import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decode } from '../src/discover/read.js';
import { evaluateText } from '../src/engine.js';
import type { Config } from '../src/policy/config.js';
import { nativeModel } from './lib/corpus.js';
import { Random, randomFor } from './lib/random.js';

/**
 * A deterministic mutation fuzzer over the engine: input i of seed s is always the same bytes, so any finding is
 * replayed with `--seed s --from i --iterations 1`. Inputs are held as byte strings (latin1, one char per byte)
 * so that every mutation works on bytes.
 */

export interface Base {
  /** The file name handed to the engine. */
  name: string;
  bytes: string;
}

export interface FuzzInput {
  base: string;
  mutations: string[];
  bytes: string;
  /** Given to evaluateText as text directly (NULs and bad UTF-8 included) rather than through decode(). */
  asText: boolean;
}

export interface Finding {
  kind: 'crash' | 'slow';
  iteration: number;
  ms: number;
  error?: string;
}

export interface FuzzStats {
  tried: number;
  refusals: number;
  accepted: number;
  crashes: number;
  slow: number;
  peakHeapBytes: number;
  findings: Finding[];
}

export interface FuzzOptions {
  seed: number;
  from: number;
  iterations: number;
  bases: readonly Base[];
  config: Config;
  slowMs: number;
  /** Called before each input with the counts so far, so that a watchdog can tell where a run is stuck. */
  onInput?(iteration: number, stats: FuzzStats): void;
  onFinding?(finding: Finding): void;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const HUGE_LINE = 100_000;
const YAML_SPECIALS = [
  '&a ',
  '*a',
  '&a [*a, *a, *a]',
  '!!str ',
  '!!binary ',
  '!!js/function ',
  '!custom ',
  '!<tag:yaml.org,2002:map> ',
  '<<: ',
  '<<: *a\n',
  '__proto__: ',
  'constructor: ',
  'prototype: ',
  '---\n',
  '...\n',
  '\t',
  '? ',
  '- ',
  ': ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|\n',
  '>-\n',
  '#',
  '%YAML 1.1\n',
  '%TAG ! tag:example.com,2000:\n',
  'formatVersion: 1\n',
  '\xEF\xBB\xBF',
  '\r',
  '0x1F',
  '.inf',
  '-0',
  '1e400',
  '~',
  'null',
];

const toBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const readBytes = async (file: string) => (await readFile(file)).toString('latin1');

/** Every file under examples/ (the sample listing among them), and a generated native model as YAML and as JSON. */
export async function loadBases(): Promise<Base[]> {
  const model = nativeModel(new Random(0), 0);
  const bases: Base[] = [
    { name: 'model.yaml', bytes: toBytes(model) },
    { name: 'model.json', bytes: toBytes(JSON.stringify(parseYaml(model), null, 2)) },
  ];
  const examples = path.join(ROOT, 'examples');
  if (existsSync(examples)) {
    const entries = await readdir(examples, { recursive: true, withFileTypes: true });
    // Sorted, so that a seed gives the same inputs whatever order the file system lists them in.
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
    for (const file of files) bases.push({ name: path.relative(ROOT, file), bytes: await readBytes(file) });
  }
  return bases;
}

type Mutation = (bytes: string, random: Random) => string;

const at = (bytes: string, random: Random) => random.int(bytes.length + 1);
const splice = (bytes: string, index: number, remove: number, insert: string) =>
  bytes.slice(0, index) + insert + bytes.slice(index + remove);
const randomBytes = (random: Random, n: number) => String.fromCharCode(...Array.from({ length: n }, () => random.int(256)));

/** Applies a change to a window of lines, keeping the line ends as they are. */
function onLines(bytes: string, change: (lines: string[]) => void): string {
  const lines = bytes.split('\n');
  change(lines);
  return lines.join('\n');
}

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'flip-bit': (b, r) => {
    if (b.length === 0) return b;
    const i = r.int(b.length);
    return splice(b, i, 1, String.fromCharCode(b.charCodeAt(i) ^ (1 << r.int(8))));
  },
  'insert-bytes': (b, r) => splice(b, at(b, r), 0, randomBytes(r, r.between(1, 8))),
  'delete-bytes': (b, r) => splice(b, at(b, r), r.between(1, 16), ''),
  truncate: (b, r) => b.slice(0, at(b, r)),
  'duplicate-slice': (b, r) => {
    const start = at(b, r);
    return splice(b, at(b, r), 0, b.slice(start, start + r.between(1, 512)));
  },
  'shuffle-lines': (b, r) =>
    onLines(b, (lines) => {
      const start = r.int(lines.length);
      const window = r.between(2, 8);
      lines.splice(start, window, ...r.shuffle(lines.slice(start, start + window)));
    }),
  'duplicate-line': (b, r) => onLines(b, (lines) => void lines.splice(r.int(lines.length + 1), 0, r.pick(lines))),
  'huge-line': (b, r) => {
    const unit = r.chance(0.5)
      ? r.pick(['a', '[', '{', '-', ' ', '#', '"', ':', '|', '- ', '? ', '&a ', '\t'])
      : randomBytes(r, r.between(2, 8));
    const line = unit.repeat(Math.ceil(HUGE_LINE / unit.length)).slice(0, HUGE_LINE);
    return r.chance(0.5) ? onLines(b, (lines) => void lines.splice(r.int(lines.length + 1), 0, line)) : splice(b, at(b, r), 0, line);
  },
  'yaml-special': (b, r) => {
    const special = r.pick(YAML_SPECIALS);
    if (r.chance(0.5)) return splice(b, at(b, r), 0, special);
    return onLines(b, (lines) => {
      const i = r.int(lines.length);
      const indent = /^[ \t]*/.exec(lines[i]!)![0].length;
      lines[i] = splice(lines[i]!, indent, 0, special);
    });
  },
  crlf: (b, r) => (r.chance(0.8) ? b.replace(/\r?\n/g, '\r\n') : b.replace(/\r?\n/g, '\r')),
  nul: (b, r) => splice(b, at(b, r), 0, '\0'.repeat(r.between(1, 4))),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Input `iteration` of `seed`: a base with one to four mutations. */
export function makeInput(bases: readonly Base[], seed: number, iteration: number): FuzzInput {
  const random = randomFor(seed, iteration);
  const base = random.pick(bases);
  const mutations = Array.from({ length: random.between(1, 4) }, () => random.pick(MUTATION_NAMES));
  const bytes = mutations.reduce((b, name) => MUTATIONS[name]!(b, random), base.bytes);
  return { base: base.name, mutations, bytes, asText: random.chance(0.25) };
}

/** Runs one input the way the pipeline does; throws when the engine fails or its report breaks a promise. */
export function evaluate(input: FuzzInput, config: Config): 'refusal' | 'accepted' {
  const buffer = Buffer.from(input.bytes, 'latin1');
  const decoded = input.asText ? { ok: true as const, text: buffer.toString('utf8') } : decode(buffer);
  if (!decoded.ok) return 'refusal';
  const report = evaluateText(`threat-models/${input.base}`, decoded.text, config);
  JSON.stringify(report);
  if (report.status !== 'invalid') return 'accepted';
  if (report.errors.length === 0 || report.errors.some((e) => e.message.trim() === '')) {
    throw new Error('an invalid model without an error message');
  }
  return 'refusal';
}

export function fuzz(options: FuzzOptions): FuzzStats {
  const stats: FuzzStats = { tried: 0, refusals: 0, accepted: 0, crashes: 0, slow: 0, peakHeapBytes: 0, findings: [] };
  const found = (finding: Finding) => {
    stats.findings.push(finding);
    options.onFinding?.(finding);
  };
  for (let iteration = options.from; iteration < options.from + options.iterations; iteration++) {
    options.onInput?.(iteration, stats);
    const input = makeInput(options.bases, options.seed, iteration);
    const start = performance.now();
    try {
      stats[evaluate(input, options.config) === 'refusal' ? 'refusals' : 'accepted']++;
    } catch (error) {
      stats.crashes++;
      found({
        kind: 'crash',
        iteration,
        ms: performance.now() - start,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    const ms = performance.now() - start;
    if (ms > options.slowMs) {
      stats.slow++;
      found({ kind: 'slow', iteration, ms });
    }
    stats.tried++;
    stats.peakHeapBytes = Math.max(stats.peakHeapBytes, process.memoryUsage().heapUsed);
  }
  return stats;
}
