/**
 * npm run bench -- [--models 100,1000,10000] [--publish 1000,10000] [--runs 3] [--cold-runs 11] [--limit 120]
 *                  [--sections whole,publish,cold,pathological] [--shapes "512 KiB of \"{\""]
 *
 * Measures what a user waits for, each measurement in a child process of its own (its peak memory is its own):
 * - whole: a pull-request run before publishing (scan, score and compare both sides, the JSON report, the SARIF
 *   log, the comment and the job summary) at each size, paired with a bare read plus yaml.parse() of the same files
 *   (every file of both sides). The pull request is a realistic one: its head is a copy of the base with every
 *   tenth native model changed (a threat added or a factor changed), so most files are the same on both sides;
 * - publish: the built dist/index.js publishing a saved report on a push event (job summary and outputs, no API);
 * - cold: dist/index.js on a one-model repository on a push event, and a bundle of @actions/core alone (the
 *   floor), each paired with `node -e 0`;
 * - pathological: one file of each slow shape under the default limits.
 * A run past --limit seconds is killed and printed as "did not finish". The publish and cold sections run the
 * bundle: `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUNDLE, runAction } from '../test/e2e/runner.js';
import { listingVariant, nativeModel, revisedModel } from './lib/corpus.js';
import { PATHOLOGICAL_SHAPES } from './lib/pathological.js';
import { randomFor } from './lib/random.js';

const TARGETS = { growth: 11, ratio: 2, coldStart: 1.8, pathologicalS: 1, wholePeakMb: 500, filePeakMb: 300 };
const ROOT = path.resolve(import.meta.dirname, '..');
const SEED_LISTING = path.join(ROOT, 'examples/micro-agent.listing.txt');
const JOBS = path.resolve(import.meta.dirname, 'lib/bench-jobs.ts');
const USAGE_PROBE = pathToFileURL(path.resolve(import.meta.dirname, 'lib/usage-probe.mjs')).href;
const MODELS_PER_FOLDER = 100;

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '100,1000,10000' },
    publish: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '3' },
    'cold-runs': { type: 'string', default: '11' },
    limit: { type: 'string', default: '120' },
    sections: { type: 'string', default: 'whole,publish,cold,pathological' },
    shapes: { type: 'string', multiple: true },
  },
});
const sizes = (name: string, text: string) => (text === '' ? [] : text.split(',').map((n) => positive(name, n)));
const modelSizes = sizes('models', values.models);
const publishSizes = sizes('publish', values.publish);
const runs = positive('runs', values.runs);
const coldRuns = positive('cold-runs', values['cold-runs']);
const limitMs = positive('limit', values.limit) * 1000;
const sections = new Set(values.sections.split(','));
const shapes = values.shapes ?? PATHOLOGICAL_SHAPES;

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes positive integers, not "${value}"`);
  return n;
}

/** A run of the bundle and its wall time, measured around it since the runner no longer times runs. */
async function timed<T>(work: () => Promise<T>): Promise<T & { ms: number }> {
  const start = performance.now();
  const result = await work();
  return { ...result, ms: performance.now() - start };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const seconds = (s: number) => (s < 0.1 ? `${Math.round(s * 1000)} ms` : `${fixed(s, 2)} s`);
const verdict = (value: number, target: number) => `(target <= ${target})${value > target ? ' OVER TARGET' : ''}`;

interface Job {
  /** Each finished step, with the job's peak memory when it ended. */
  steps: { step: string; ms: number; cpuMs: number; maxRssMb: number }[];
  /** Null when the job ran past the time limit. */
  maxRssMb: number | null;
}

/** Runs a job of scripts/lib/bench-jobs.ts; past the time limit it is killed, with the steps it finished. */
function job(args: string[]): Promise<Job> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', JOBS, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { step?: string; ms?: number; cpuMs?: number; done?: boolean; maxRssMb?: number });
      const done = lines.find((l) => l.done);
      if (done === undefined && signal !== 'SIGKILL') return reject(new Error(`bench job ${args.join(' ')} failed (exit ${code})`));
      const steps = lines.flatMap((l) =>
        l.step === undefined ? [] : [{ step: l.step, ms: l.ms!, cpuMs: l.cpuMs!, maxRssMb: l.maxRssMb! }],
      );
      resolve({ steps, maxRssMb: done?.maxRssMb ?? null });
    });
  });
}

const totalMs = (j: Job) => j.steps.reduce((sum, s) => sum + s.ms, 0);
const totalCpuMs = (j: Job) => j.steps.reduce((sum, s) => sum + s.cpuMs, 0);

/** A pull request edits one model in ten: every tenth native model has a threat added or a factor changed. */
const CHANGED_EVERY = 10;

/**
 * The base and the head of a pull request, in `root`/base and `root`/head: native models in folders of a hundred
 * and one listing for every twenty models; the head is the base with every tenth native model changed.
 */
async function writeCorpus(root: string, models: number): Promise<{ base: string; head: string; files: number }> {
  const seed = await readFile(SEED_LISTING, 'utf8');
  const texts: { file: string; base: string; head: string }[] = [];
  for (let i = 0; i < models; i++) {
    const ext = randomFor(5, i).chance(0.8) ? 'yaml' : 'yml';
    const base = nativeModel(randomFor(1, i), i);
    const head = i % CHANGED_EVERY === 0 ? revisedModel(randomFor(1, i), i, randomFor(4, i)) : base;
    texts.push({ file: `threat-models/team-${Math.floor(i / MODELS_PER_FOLDER)}/agent-${i}.${ext}`, base, head });
  }
  for (let i = 0; i < Math.max(1, Math.round(models / 20)); i++) {
    const text = listingVariant(seed, randomFor(2, i), i);
    texts.push({ file: `threat-models/listings/listing-${i}.txt`, base: text, head: text });
  }
  const sides = { base: path.join(root, 'base'), head: path.join(root, 'head') };
  for (const [side, sideRoot] of Object.entries(sides) as ['base' | 'head', string][]) {
    for (const dir of new Set(texts.map((t) => path.dirname(t.file)))) await mkdir(path.join(sideRoot, dir), { recursive: true });
    for (const text of texts) await writeFile(path.join(sideRoot, text.file), text[side]);
  }
  return { ...sides, files: texts.length };
}

interface SizeResult {
  files: number;
  /** Milliseconds of each finished run of the whole path. */
  whole: number[];
  /** CPU milliseconds of the same runs: a machine shared with other work disturbs them less. */
  wholeCpu: number[];
  reportFile: string | null;
}

async function wholeSection(temp: string): Promise<Map<number, SizeResult>> {
  console.log('\n## Whole path of a pull-request run: scan, score, compare both sides, JSON report, SARIF, comment, job summary');
  console.log(
    `(a realistic pull request: the head is the base with one native model in ${CHANGED_EVERY} changed, a threat added or a factor changed)`,
  );
  console.log(
    `(a median of ${runs} runs, each paired with a bare read + yaml.parse of every file of both sides; limit ${limitMs / 1000} s a run)`,
  );
  const results = new Map<number, SizeResult>();
  for (const models of modelSizes) {
    const { base, head, files } = await writeCorpus(path.join(temp, `corpus-${models}`), models);
    const reportFile = path.join(temp, `report-${models}.json`);
    const whole: Job[] = [];
    const ratios: number[] = [];
    let unfinished: Job | null = null;
    for (let run = 0; run < runs && unfinished === null; run++) {
      const result = await job(['whole', base, head, reportFile]);
      if (result.maxRssMb === null) unfinished = result;
      else {
        whole.push(result);
        ratios.push(totalMs(result) / totalMs(await job(['baseline', base, head])));
      }
    }
    results.set(models, {
      files,
      whole: whole.map(totalMs),
      wholeCpu: whole.map(totalCpuMs),
      reportFile: existsSync(reportFile) ? reportFile : null,
    });
    if (unfinished !== null) {
      const finished = unfinished.steps.map((s) => `${s.step} ${fixed(s.ms / 1000)} s`).join(', ');
      console.log(
        `${models} models (${files} files a side): did not finish in ${limitMs / 1000} s${finished ? ` (finished: ${finished})` : ''}`,
      );
      continue;
    }
    const ms = median(whole.map(totalMs));
    const steps = whole[0]!.steps.map((s) => {
      const of = (w: Job) => w.steps.find((x) => x.step === s.step)!;
      return `${s.step} ${fixed(median(whole.map((w) => of(w).ms)) / 1000, 2)} s (peak ${Math.round(median(whole.map((w) => of(w).maxRssMb)))} MB)`;
    });
    const peak = median(whole.map((w) => w.maxRssMb!));
    console.log(
      `${models} models (${files} files a side): ${fixed(ms / models, 2)} ms a model, ${fixed(ms / 1000, 2)} s; peak ${Math.round(peak)} MB` +
        `${models === 10_000 ? ` ${verdict(peak, TARGETS.wholePeakMb)}` : ''}; ${fixed(median(ratios), 2)}x read + yaml.parse ${verdict(median(ratios), TARGETS.ratio)}`,
    );
    console.log(`    ${steps.join(', ')}`);
  }
  const [small, large] = [1000, 10_000].map((n) => results.get(n));
  if (small?.whole.length && large?.whole.length) {
    const growth = median(large.whole) / median(small.whole);
    const cpuGrowth = median(large.wholeCpu) / median(small.wholeCpu);
    console.log(
      `growth from 1,000 to 10,000 models: ${fixed(growth, 2)}x ${verdict(growth, TARGETS.growth)}; CPU time ${fixed(cpuGrowth, 2)}x`,
    );
  }
  return results;
}

/** dist/index.js publishing a saved report on a push event: the job summary and the outputs, no API call. */
async function publishSection(temp: string, whole: Map<number, SizeResult>): Promise<void> {
  console.log(`\n## Publishing a saved report with dist/index.js (push event; limit ${limitMs / 1000} s a run)`);
  for (const models of publishSizes) {
    let reportFile = whole.get(models)?.reportFile ?? null;
    if (reportFile === null) {
      const { base, head } = await writeCorpus(path.join(temp, `corpus-${models}`), models);
      reportFile = path.join(temp, `report-${models}.json`);
      await job(['whole', base, head, reportFile]);
      if (!existsSync(reportFile)) {
        console.log(`${models} models: no saved report (the whole path did not reach it)`);
        continue;
      }
    }
    const workspace = await mkdtemp(path.join(temp, 'publish-'));
    await writeFile(path.join(workspace, 'report.json'), await readFile(reportFile));
    const times: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < runs; run++) {
      const usageFile = path.join(workspace, 'usage.json');
      const result = await timed(() =>
        runAction({ event: 'push', workspace, with: { report: 'report.json' }, timeoutMs: limitMs, env: probed(usageFile) }),
      );
      if (result.exitCode === null) {
        times.length = 0;
        break;
      }
      if (result.exitCode !== 0)
        throw new Error(`publishing ${models} models exited with ${result.exitCode}: ${result.stdout}${result.stderr}`);
      times.push(result.ms);
      peaks.push((await usage(usageFile)).maxRssKib / 1024);
    }
    if (times.length === 0) console.log(`${models} models: did not finish in ${limitMs / 1000} s`);
    else
      console.log(
        `${models} models: ${fixed(median(times) / models, 2)} ms a model, ${fixed(median(times) / 1000, 2)} s; peak ${Math.round(median(peaks))} MB`,
      );
  }
}

const probed = (usageFile: string) => ({ NODE_OPTIONS: `--import=${USAGE_PROBE}`, BENCH_USAGE_FILE: usageFile });
const usage = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { maxRssKib: number; cpuMs: number };

/**
 * The wall time of a command run with PATH and `env` alone, as runAction runs the action: a variable inherited by
 * one side of a pair only would skew it (NODE_EXTRA_CA_CERTS, say, adds some 35 ms of CPU to node's start).
 */
function elapsedMs(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: 'ignore', env: { PATH: process.env.PATH, ...env } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** One run's wall time and CPU time (user and system). */
interface Usage {
  ms: number;
  cpuMs: number;
}

/**
 * A bundle made as dist/index.js is, of @actions/core alone: the floor of the cold start, since every run loads it
 * (and its HTTP client, which loads undici at start). The entry sits in the temporary folder, beside a link to
 * node_modules for ncc to resolve the package from.
 */
async function coreOnlyBundle(temp: string): Promise<string> {
  const folder = await mkdtemp(path.join(temp, 'core-only-'));
  await symlink(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'));
  await writeFile(path.join(folder, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(folder, 'entry.js'), "import * as core from '@actions/core';\n\ncore.info('x');\n");
  const ncc = path.join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  const out = path.join(folder, 'dist');
  await elapsedMs(process.execPath, [ncc, 'build', 'entry.js', '-o', out, '--minify', '--quiet'], folder, {});
  return path.join(out, 'index.js');
}

/**
 * A push-event run of dist/index.js on a one-model repository, and of a bundle of @actions/core alone, each against
 * `node -e 0`, in rounds: wall time, and CPU time (user and system), which a busy machine disturbs less.
 */
async function coldSection(temp: string): Promise<void> {
  console.log(`\n## Cold start: dist/index.js on one model (push event) against node -e 0 (median of ${coldRuns} rounds)`);
  const workspace = await mkdtemp(path.join(temp, 'cold-'));
  await mkdir(path.join(workspace, 'threat-models'));
  await writeFile(path.join(workspace, 'threat-models/agent.threat-model.yaml'), nativeModel(randomFor(3, 0), 0));
  const coreOnly = await coreOnlyBundle(temp);
  const usageFile = path.join(temp, 'cold-usage.json');
  const runs = { node: [] as Usage[], action: [] as Usage[], core: [] as Usage[] };
  for (let run = 0; run < coldRuns; run++) {
    const node = await elapsedMs(process.execPath, ['-e', '0'], workspace, probed(usageFile));
    runs.node.push({ ms: node, cpuMs: (await usage(usageFile)).cpuMs });
    for (const [bundle, into] of [
      [BUNDLE, runs.action],
      [coreOnly, runs.core],
    ] as const) {
      const result = await timed(() => runAction({ bundle, event: 'push', workspace, timeoutMs: limitMs, env: probed(usageFile) }));
      // 1 is a failing verdict, which this model may have; anything else is a run that did not work.
      if (result.exitCode !== 0 && result.exitCode !== 1)
        throw new Error(`the one-model run of ${bundle} exited with ${result.exitCode}: ${result.stdout}${result.stderr}`);
      into.push({ ms: result.ms, cpuMs: (await usage(usageFile)).cpuMs });
    }
  }
  const ratio = (of: Usage[], key: keyof Usage) => median(of.map((u, i) => u[key] / runs.node[i]![key]));
  const action = ratio(runs.action, 'ms');
  console.log(
    `node -e 0: ${Math.round(median(runs.node.map((u) => u.ms)))} ms; dist/index.js: ${Math.round(median(runs.action.map((u) => u.ms)))} ms; ` +
      `${fixed(action, 2)}x ${verdict(action, TARGETS.coldStart)}; CPU time ${fixed(ratio(runs.action, 'cpuMs'), 2)}x`,
  );
  console.log(
    `@actions/core alone, bundled the same way (the floor): ${Math.round(median(runs.core.map((u) => u.ms)))} ms; ` +
      `${fixed(ratio(runs.core, 'ms'), 2)}x; CPU time ${fixed(ratio(runs.core, 'cpuMs'), 2)}x`,
  );
}

async function pathologicalSection(): Promise<void> {
  console.log(
    `\n## Pathological files under the default limits (one file each; targets < ${TARGETS.pathologicalS} s, <= ${TARGETS.filePeakMb} MB)`,
  );
  for (const shape of shapes) {
    const result = await job(['pathological', shape]);
    if (result.maxRssMb === null) {
      console.log(`${shape}: did not finish in ${limitMs / 1000} s OVER TARGET`);
      continue;
    }
    const s = totalMs(result) / 1000;
    const cpuS = result.steps.reduce((sum, step) => sum + step.cpuMs, 0) / 1000;
    const over = s >= TARGETS.pathologicalS || result.maxRssMb > TARGETS.filePeakMb;
    console.log(`${shape}: ${seconds(s)} (CPU ${seconds(cpuS)}), peak ${Math.round(result.maxRssMb)} MB${over ? ' OVER TARGET' : ''}`);
  }
}

async function main(): Promise<void> {
  if ((sections.has('publish') || sections.has('cold')) && !existsSync(BUNDLE))
    throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'aivss-bench-'));
  try {
    console.log(`# aivss-gate bench: node ${process.version}, ${os.cpus().length} cores`);
    const whole = sections.has('whole') ? await wholeSection(temp) : new Map<number, SizeResult>();
    if (sections.has('publish')) await publishSection(temp, whole);
    if (sections.has('cold')) await coldSection(temp);
    if (sections.has('pathological')) await pathologicalSection();
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

await main();
