import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';

/** A file to check, by its path relative to the repository root (with forward slashes). */
export interface Candidate {
  file: string;
  /** Why the file is refused without being opened, or null. */
  refusal: string | null;
}

export interface Discovery {
  candidates: Candidate[];
  /** Include patterns that matched no file. */
  unmatched: string[];
  /** Files that matched beyond the max-files limit: never read, and a failure of the run. */
  overflow: number;
}

export interface DiscoverOptions {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  maxFiles: number;
}

/** Files that a folder named to check contributes (see paths.ts). */
export const MODEL_FILES = '**/*.{yaml,yml,json,md,markdown,txt}';
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * The candidates among a tree's files: those an include pattern matches and no exclude pattern does. A symlink
 * or special file that matches is a candidate with a refusal, so that replacing a threat model by a link
 * cannot make it vanish silently. Pure, whatever the tree is: a checkout or a commit.
 */
export function select(entries: Iterable<Candidate>, options: Pick<DiscoverOptions, 'include' | 'exclude' | 'maxFiles'>): Discovery {
  const isExcluded = picomatch([...options.exclude], { dot: true });
  const matchers = options.include.map((pattern) => ({ pattern, match: picomatch(pattern, { dot: true }) }));
  const hits = new Set<string>();
  const found: Candidate[] = [];
  for (const entry of entries) {
    // An excluded file does not count as a match: a pattern whose only files are excluded matched nothing.
    if (isExcluded(entry.file)) continue;
    const matching = matchers.filter((m) => m.match(entry.file));
    if (matching.length === 0) continue;
    matching.forEach((m) => hits.add(m.pattern));
    found.push(entry);
  }
  return limit(
    found,
    options.include.filter((p) => !hits.has(p)),
    options.maxFiles,
  );
}

function limit(found: Candidate[], unmatched: string[], maxFiles: number): Discovery {
  const candidates = [...found].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { candidates: candidates.slice(0, maxFiles), unmatched, overflow: Math.max(0, candidates.length - maxFiles) };
}

/** Discovery in the checked-out repository, walked without following symbolic links. */
export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const root = await realpath(options.root);
  const entries: Candidate[] = [];
  await walk(root, '', (file, refusal) => entries.push({ file, refusal }));
  return select(entries, options);
}

async function walk(root: string, relative: string, visit: (file: string, refusal: string | null) => void): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(root, file, visit);
    } else {
      visit(file, refusalFor(entry));
    }
  }
}

function refusalFor(entry: { isFile(): boolean; isSymbolicLink(): boolean }): string | null {
  if (entry.isSymbolicLink()) return 'symbolic links are not followed: commit the threat model as a regular file';
  if (!entry.isFile()) return 'not a regular file';
  return null;
}
