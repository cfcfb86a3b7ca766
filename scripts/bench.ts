/**
 * npm run bench -- [--models N] [--runs N]
 *
 * Times the whole check over a generated corpus against the bare cost of reading every file and parsing it with
 * yaml.parse(); the target is that the check costs at most twice as much. A breakdown of the check's stages
 * shows where the time goes.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYamlBare } from 'yaml';
import { check } from '../src/engine.js';
import { discover } from '../src/discover/discover.js';
import { readCandidate } from '../src/discover/read.js';
import { parseThreatModel } from '../src/parse/index.js';
import { resolveConfig, type Config } from '../src/policy/config.js';
import { evaluation } from '../src/report/build.js';
import { cvssBase } from '../src/score/cvss.js';
import { scoreModel } from '../src/score/model.js';
import { validateThreatModel } from '../src/validate/index.js';
import { listingVariant, nativeModel } from './lib/corpus.js';
import { randomFor } from './lib/random.js';

const SEED_LISTING = path.resolve(import.meta.dirname, '../examples/micro-agent.listing.txt');
const TARGET_RATIO = 2;
const MODELS_PER_FOLDER = 100;

const { values } = parseArgs({ options: { models: { type: 'string', default: '10000' }, runs: { type: 'string', default: '3' } } });
const modelCount = positive('models', values.models);
const runs = positive('runs', values.runs);

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, not "${value}"`);
  return n;
}

interface Corpus {
  root: string;
  files: number;
  bytes: number;
}

async function writeCorpus(root: string): Promise<Corpus> {
  const seed = await readFile(SEED_LISTING, 'utf8');
  const texts: { file: string; text: string }[] = [];
  for (let i = 0; i < modelCount; i++) {
    const random = randomFor(1, i);
    const ext = random.chance(0.8) ? 'yaml' : 'yml';
    texts.push({ file: `threat-models/team-${Math.floor(i / MODELS_PER_FOLDER)}/agent-${i}.${ext}`, text: nativeModel(random, i) });
  }
  const listings = Math.max(1, Math.round(modelCount / 20));
  for (let i = 0; i < listings; i++) {
    texts.push({ file: `threat-models/listings/listing-${i}.txt`, text: listingVariant(seed, randomFor(2, i), i) });
  }
  for (const dir of new Set(texts.map((t) => path.dirname(t.file)))) await mkdir(path.join(root, dir), { recursive: true });
  let bytes = 0;
  for (const { file, text } of texts) {
    await writeFile(path.join(root, file), text);
    bytes += Buffer.byteLength(text);
  }
  return { root, files: texts.length, bytes };
}

async function wholeCheck(corpus: Corpus, config: Config): Promise<void> {
  const report = await check({ root: corpus.root, config });
  const { models, invalid } = report.summary;
  if (models !== corpus.files || invalid !== 0) throw new Error(`the check saw ${models} of ${corpus.files} files, ${invalid} invalid`);
}

async function readAndParse(corpus: Corpus): Promise<void> {
  const dir = path.join(corpus.root, 'threat-models');
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const entry of files) {
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    if (!entry.name.endsWith('.txt')) parseYamlBare(text);
  }
  if (files.length !== corpus.files) throw new Error(`read ${files.length} of ${corpus.files} files`);
}

async function seconds(work: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Each stage of the check, one after the other over the whole corpus, to show where the time goes. */
async function stages(corpus: Corpus, config: Config): Promise<[string, number][]> {
  const rows: [string, number][] = [];
  const time = async <T>(stage: string, work: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    rows.push([stage, performance.now() - start]);
    return result;
  };
  const { root } = corpus;
  const { candidates } = await time('discover', () =>
    discover({ root, include: config.include, exclude: config.exclude, maxFiles: config.limits['max-files'] }),
  );
  const texts = await time('read', async () => {
    const read: { file: string; text: string }[] = [];
    for (const { file } of candidates) {
      const result = await readCandidate(root, file, { maxFileBytes: config.limits['max-file-bytes'] });
      if (result.ok) read.push({ file, text: result.text });
    }
    return read;
  });
  const parsed = await time('parse', () => texts.map(({ text }) => parseThreatModel(text)));
  const models = await time('validate', () =>
    parsed.flatMap((p) => {
      const validated = p.ok ? validateThreatModel(p.parsed) : null;
      return validated?.ok ? [validated.model] : [];
    }),
  );
  const scored = await time('score', () => models.map((model) => scoreModel(model, config.formula)));
  const vectors = models.flatMap((m) => (typeof m.aivss.cvss === 'string' ? [m.aivss.cvss] : []));
  await time(`  of which scoring ${vectors.length} CVSS vectors`, () => vectors.map((vector) => cvssBase(vector)));
  await time('report entries', () =>
    models.map((model, i) => evaluation({ file: '', format: 'native', model, scored: scored[i]!, warnings: [], errors: [] })),
  );
  const yamlTexts = texts.filter(({ file }) => !file.endsWith('.txt'));
  await time('yaml.parse alone (baseline)', () => yamlTexts.map(({ text }) => parseYamlBare(text)));
  return rows;
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'aivss-bench-'));
  try {
    const corpus = await writeCorpus(root);
    // The defaults cap a run at 10,000 files and 64 MiB; the corpus is larger, so only the limits are raised.
    const config = resolveConfig(null, { limits: { 'max-files': 100_000, 'max-total-bytes': 1024 * 1024 * 1024 } });
    console.log(
      `corpus: ${corpus.files} files (${modelCount} native models, ${corpus.files - modelCount} listings), ${(corpus.bytes / 1048576).toFixed(1)} MiB`,
    );

    await wholeCheck(corpus, config);
    await readAndParse(corpus);
    const whole: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < runs; run++) {
      whole.push(await seconds(() => wholeCheck(corpus, config)));
      baseline.push(await seconds(() => readAndParse(corpus)));
    }
    const wholeRate = corpus.files / median(whole);
    const baselineRate = corpus.files / median(baseline);
    const ratio = baselineRate / wholeRate;
    console.log(`whole check: ${Math.round(wholeRate)} models/s (median of ${runs})`);
    console.log(`read + yaml.parse: ${Math.round(baselineRate)} models/s (median of ${runs})`);
    console.log(`ratio: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO.toFixed(1)}x)${ratio > TARGET_RATIO ? ' OVER TARGET' : ''}`);

    console.log('stages (ms per 1000 models):');
    for (const [stage, ms] of await stages(corpus, config)) console.log(`  ${stage}: ${((ms * 1000) / corpus.files).toFixed(1)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
