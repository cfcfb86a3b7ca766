/**
 * One measurement, run by scripts/bench.ts in a child process of its own so that its peak memory is its own:
 * `tsx scripts/lib/bench-jobs.ts <job> <argument>...` (`whole <base> <head> <report file>`,
 * `baseline <base> <head>`, `pathological <shape>`). Each finished step prints one JSON line on stdout,
 * `{"step":…,"ms":…,"cpuMs":…,"maxRssMb":…}` (the peak so far), and the last line is `{"done":true,"maxRssMb":…}`: a parent that kills a job which runs
 * past its time limit still knows the steps it finished.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYamlBare } from 'yaml';
import { comparePullRequest, evaluateText } from '../../src/engine.js';
import { reportJsonChunks, writeChunks } from '../../src/action/report-file.js';
import { summaryMarkdown } from '../../src/action/summary.js';
import { workingTree } from '../../src/discover/tree.js';
import { resolveConfig } from '../../src/policy/config.js';
import { commentBody, commentMarker } from '../../src/render/comment.js';
import { renderSarifChunks } from '../../src/render/sarif.js';
import { pathologicalText } from './pathological.js';

const COMMIT = 'bead5bead5bead5bead5bead5bead5bead5bead';
// The defaults cap a run at 10,000 files and 64 MiB; the corpora go past that, so only those limits are raised.
export const RAISED_LIMITS = { 'max-files': 100_000, 'max-total-bytes': 1024 * 1024 * 1024 };

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  const result = await work();
  const used = process.cpuUsage(cpu);
  emit({ step: name, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, maxRssMb: maxRssMb() });
  return result;
}

/**
 * What a pull-request run does before it publishes: scan and score both sides, compare, then render the JSON
 * report (written to `reportFile`, which the publishing cases read), the SARIF log, the comment and the job summary.
 */
async function wholePath(base: string, head: string, reportFile: string): Promise<void> {
  const report = await step('scan, score, compare', () =>
    comparePullRequest({ base: workingTree(base), head: workingTree(head), overrides: { limits: RAISED_LIMITS } }),
  );
  if (report.summary.invalid !== 0) throw new Error(`${report.summary.invalid} files of the corpus are invalid`);
  await step('JSON report', () => writeChunks(reportFile, reportJsonChunks(report)));
  await step('SARIF', () => writeChunks(`${reportFile}.sarif`, renderSarifChunks(report)));
  await step('comment', () => commentBody(report, commentMarker('bench'), COMMIT));
  await step('job summary', () => summaryMarkdown(report, COMMIT));
}

/** The floor the whole path is held against: read every file it reads (both sides) and yaml.parse() the YAML ones. */
async function readAndParse(roots: string[]): Promise<void> {
  await step('read + yaml.parse', async () => {
    for (const root of roots) {
      const files = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      for (const entry of files) {
        const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
        if (/\.ya?ml$/.test(entry.name)) parseYamlBare(text);
      }
    }
  });
}

/** One file of a pathological shape, judged as the check judges a file, under the default limits. */
async function pathological(shape: string): Promise<void> {
  const { file, text } = pathologicalText(shape);
  const config = resolveConfig(null, {});
  await step(shape, () => evaluateText(file, text, config));
}

const [job, ...args] = process.argv.slice(2);
if (job === 'whole') await wholePath(args[0]!, args[1]!, args[2]!);
else if (job === 'baseline') await readAndParse(args);
else if (job === 'pathological') await pathological(args[0]!);
else throw new Error(`unknown job ${job}`);
emit({ done: true, maxRssMb: maxRssMb() });
