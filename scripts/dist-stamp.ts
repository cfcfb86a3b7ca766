/**
 * dist/ is committed, and the end-to-end tests run it: this stamps it with a digest of what it is built from
 * (`write`, after `npm run build`), and fails loudly when the sources have changed since (`check`, before
 * `npm test`), so that no test runs an old bundle. Reading the sources takes milliseconds; building, seconds.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(ROOT, 'dist/sources.sha256');
/** What the bundle is made of: the sources, the locked dependencies and the compiler options. */
const INPUTS = ['src', 'package-lock.json', 'tsconfig.json'];

async function files(entry: string): Promise<string[]> {
  const absolute = path.join(ROOT, entry);
  const found = await readdir(absolute, { recursive: true, withFileTypes: true }).catch(() => null);
  if (found === null) return [entry];
  return found.filter((e) => e.isFile()).map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

export async function sourcesDigest(): Promise<string> {
  const hash = createHash('sha256');
  const all = (await Promise.all(INPUTS.map(files))).flat().sort();
  for (const file of all)
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  await writeFile(STAMP, `${await sourcesDigest()}\n`);
} else if (mode === 'check') {
  const stamped = (await readFile(STAMP, 'utf8').catch(() => '')).trim();
  if (stamped !== (await sourcesDigest())) {
    console.error(
      'dist/ is stale: it was built from other sources than src/, package-lock.json and tsconfig.json as they are now, ' +
        'and the end-to-end tests would run the old bundle. Run `npm run build` first.',
    );
    process.exit(1);
  }
} else {
  console.error('usage: tsx scripts/dist-stamp.ts write|check');
  process.exit(2);
}
