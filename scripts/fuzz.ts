/**
 * npm run fuzz -- [--iterations N] [--seed S] [--from I]
 *
 * Runs the mutation fuzzer of fuzz-core.ts in a child process under a watchdog. A child process rather than a
 * worker thread, because some failures (V8 aborting on a regexp compiled at the stack limit) end the whole process.
 * An input that runs for KILL_AFTER_MS, or that the child dies on, is recorded; the run then goes on past it.
 * Crashing and slow inputs are saved to .fuzz-crashes/. Exits 1 on any crash or slow input.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/policy/config.js';
import { fuzz, loadBases, makeInput, type Base, type Finding, type FuzzStats } from './fuzz-core.js';

const SLOW_MS = 2_000;
const KILL_AFTER_MS = 10_000;
const PROGRESS_EVERY_MS = 60_000;
const CRASH_DIR = path.resolve(import.meta.dirname, '..', '.fuzz-crashes');
const CHILD_FLAG = '--fuzz-child';

interface Job {
  seed: number;
  from: number;
  iterations: number;
  bases: Base[];
  /** A file the child rewrites before each input, for the watchdog: see STATUS. */
  statusFile: string;
}

type Counts = Omit<FuzzStats, 'findings'>;
/** The status file: 64-bit floats, the input running (none: -1) and when it started, then the counts so far. */
const STATUS = ['iteration', 'startedAt', 'tried', 'refusals', 'accepted', 'crashes', 'slow', 'peakHeapBytes'] as const;
const COUNTS = ['tried', 'refusals', 'accepted', 'crashes', 'slow', 'peakHeapBytes'] as const;

function save(job: Pick<Job, 'bases' | 'seed'>, finding: Finding): void {
  const input = makeInput(job.bases, job.seed, finding.iteration);
  const name = `seed-${job.seed}-iter-${finding.iteration}`;
  mkdirSync(CRASH_DIR, { recursive: true });
  writeFileSync(path.join(CRASH_DIR, `${name}.bin`), Buffer.from(input.bytes, 'latin1'));
  const replay = `npm run fuzz -- --seed ${job.seed} --from ${finding.iteration} --iterations 1`;
  const details = { ...finding, seed: job.seed, base: input.base, mutations: input.mutations, asText: input.asText, replay };
  writeFileSync(path.join(CRASH_DIR, `${name}.json`), `${JSON.stringify(details, null, 2)}\n`);
  const error = finding.error ? `: ${finding.error.split('\n')[0]}` : '';
  console.error(`${finding.kind} at iteration ${finding.iteration} (${Math.round(finding.ms)} ms)${error} -> ${CRASH_DIR}/${name}.*`);
}

function runChild(jobFile: string): void {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
  const fd = openSync(job.statusFile, 'w');
  const status = new Float64Array(STATUS.length);
  const write = (iteration: number, startedAt: number, stats: Counts) => {
    status.set([iteration, startedAt, ...COUNTS.map((key) => stats[key])]);
    writeSync(fd, status, 0, status.byteLength, 0);
  };
  const stats = fuzz({
    ...job,
    config: resolveConfig(null),
    slowMs: SLOW_MS,
    onInput: (iteration, stats) => write(iteration, Date.now(), stats),
    onFinding: (finding) => save(job, finding),
  });
  write(-1, 0, stats);
  closeSync(fd);
}

function readStatus(file: string): Record<(typeof STATUS)[number], number> | null {
  const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  if (bytes.length < STATUS.length * 8) return null;
  const values = new Float64Array(bytes.buffer, bytes.byteOffset, STATUS.length);
  return Object.fromEntries(STATUS.map((key, i) => [key, values[i]!])) as Record<(typeof STATUS)[number], number>;
}

interface JobEnd {
  /** Counts up to the input the child stopped in, or of the whole job. */
  counts: Counts;
  /** The input the child was killed in or died in, and how long it had run. */
  stoppedIn: { iteration: number; hang: boolean; ms: number } | null;
}

async function runJob(job: Job, onProgress: (tried: number) => void): Promise<JobEnd> {
  const jobFile = `${job.statusFile}.job.json`;
  writeFileSync(jobFile, JSON.stringify(job));
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, jobFile], { stdio: 'inherit' });
  let hung = false;
  const watchdog = setInterval(() => {
    const status = readStatus(job.statusFile);
    if (!status) return;
    onProgress(status.tried);
    if (status.iteration >= 0 && Date.now() - status.startedAt > KILL_AFTER_MS) {
      hung = true;
      child.kill('SIGKILL');
    }
  }, 250);
  await once(child, 'exit');
  clearInterval(watchdog);
  const status = readStatus(job.statusFile);
  rmSync(job.statusFile, { force: true });
  if (!status) throw new Error('the fuzz process stopped before its first input');
  const counts = Object.fromEntries(COUNTS.map((key) => [key, status[key]])) as Counts;
  const stoppedIn = status.iteration < 0 ? null : { iteration: status.iteration, hang: hung, ms: Date.now() - status.startedAt };
  return { counts, stoppedIn };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      from: { type: 'string', default: '0' },
    },
  });
  const [iterations, seed, from] = [values.iterations, values.seed, values.from].map(Number) as [number, number, number];
  if (![iterations, seed, from].every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('--iterations, --seed and --from take integers >= 0');

  const bases = await loadBases();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'aivss-fuzz-'));
  const statusFile = path.join(workDir, 'status');
  const total: Counts = { tried: 0, refusals: 0, accepted: 0, crashes: 0, slow: 0, peakHeapBytes: 0 };
  const start = performance.now();
  let lastProgress = start;
  const progress = (triedInJob: number) => {
    if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = performance.now();
    const tried = total.tried + triedInJob;
    console.error(`... ${tried} inputs, ${Math.round(tried / ((lastProgress - start) / 1000))} inputs/s`);
  };

  const end = from + iterations;
  try {
    for (let next = from; next < end;) {
      const { counts: done, stoppedIn } = await runJob({ seed, from: next, iterations: end - next, bases, statusFile }, progress);
      for (const key of ['tried', 'refusals', 'accepted', 'crashes', 'slow'] as const) total[key] += done[key];
      total.peakHeapBytes = Math.max(total.peakHeapBytes, done.peakHeapBytes);
      if (!stoppedIn) break;
      total.tried++;
      total[stoppedIn.hang ? 'slow' : 'crashes']++;
      const error = stoppedIn.hang ? `killed after ${KILL_AFTER_MS / 1000} s` : 'the fuzz process died in this input';
      save({ bases, seed }, { kind: stoppedIn.hang ? 'slow' : 'crash', iteration: stoppedIn.iteration, ms: stoppedIn.ms, error });
      next = stoppedIn.iteration + 1;
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const seconds = (performance.now() - start) / 1000;
  console.log(`seed ${seed}, iterations ${from}-${end - 1}, ${bases.length} base inputs`);
  console.log(`inputs tried: ${total.tried}`);
  console.log(`clean refusals: ${total.refusals}`);
  console.log(`accepted: ${total.accepted}`);
  console.log(`crashes: ${total.crashes}`);
  console.log(`slow inputs (over ${SLOW_MS / 1000} s): ${total.slow}`);
  console.log(`peak heap: ${(total.peakHeapBytes / 1048576).toFixed(1)} MB`);
  console.log(`time: ${seconds.toFixed(1)} s, ${Math.round(total.tried / seconds)} inputs/s`);
  process.exitCode = total.crashes + total.slow > 0 ? 1 : 0;
}

const childAt = process.argv.indexOf(CHILD_FLAG);
if (childAt >= 0) runChild(process.argv[childAt + 1]!);
else await main();
