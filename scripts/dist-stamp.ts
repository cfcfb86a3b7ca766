/**
 * dist/ is committed, and the end-to-end tests run it: this stamps it with a digest of what it is built from and
 * of each file the build wrote (`write`, after `npm run build`), and fails loudly (`check`, before `npm test`) when
 * the sources have changed since, or when a file of dist/ is missing, changed or one too many. The action is
 * several files (dist/index.js and the chunks it loads when it reaches them), and a chunk left out of a commit
 * would break only the runs that load it. Reading takes milliseconds; building, seconds.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, 'sources.sha256');
/** What the bundle is made of: the sources, the locked dependencies and the compiler options. */
const INPUTS = ['src', 'package-lock.json', 'tsconfig.json'];

/** Every file under a folder (or the file itself), relative to `base`, with forward slashes, sorted. */
async function files(absolute: string, base = ROOT): Promise<string[]> {
  const found = await readdir(absolute, { recursive: true, withFileTypes: true }).catch(() => null);
  const all = found === null ? [absolute] : found.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return all.map((file) => path.relative(base, file).split(path.sep).join('/')).sort();
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

export async function sourcesDigest(): Promise<string> {
  const hash = createHash('sha256');
  const all = (await Promise.all(INPUTS.map((entry) => files(path.join(ROOT, entry))))).flat().sort();
  for (const file of all)
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

/** The stamp: the sources' digest, then a `digest  path` line for each file of dist/ but the stamp. */
async function stamp(): Promise<string> {
  const built = (await files(DIST, DIST)).filter((file) => file !== path.basename(STAMP));
  const lines = await Promise.all(built.map(async (file) => `${await sha256(path.join(DIST, file))}  ${file}`));
  return `${[await sourcesDigest(), ...lines].join('\n')}\n`;
}

const mode = process.argv[2];
if (mode === 'write') {
  await writeFile(STAMP, await stamp());
} else if (mode === 'check') {
  const [stampedSources = '', ...stampedFiles] = (await readFile(STAMP, 'utf8').catch(() => '')).trim().split('\n');
  const [sources, ...built] = (await stamp()).trim().split('\n');
  if (stampedSources !== sources) {
    console.error(
      'dist/ is stale: it was built from other sources than src/, package-lock.json and tsconfig.json as they are now, ' +
        'and the end-to-end tests would run the old bundle. Run `npm run build` first.',
    );
    process.exit(1);
  }
  const digests = (lines: string[]) =>
    new Map(lines.map((line) => [line.slice(line.indexOf('  ') + 2), line.slice(0, line.indexOf('  '))]));
  const [stamped, found] = [digests(stampedFiles), digests(built)];
  const differ = [...new Set([...stamped.keys(), ...found.keys()])].filter((file) => stamped.get(file) !== found.get(file));
  if (differ.length > 0) {
    const state = (file: string) => (!found.has(file) ? 'missing' : !stamped.has(file) ? 'not of this build' : 'changed since the build');
    console.error(
      `dist/ is not the build it was stamped as: ${differ.map((file) => `${file} (${state(file)})`).join(', ')}. ` +
        'Run `npm run build`, and commit dist/ whole (git add -A dist).',
    );
    process.exit(1);
  }
} else {
  console.error('usage: tsx scripts/dist-stamp.ts write|check');
  process.exit(2);
}
