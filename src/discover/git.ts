import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { select, type Candidate } from './discover.js';
import { decode } from './read.js';
import type { Tree } from './tree.js';

const run = promisify(execFile);

async function git(root: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<Buffer> {
  const { stdout } = await run('git', args, { cwd: root, encoding: 'buffer', maxBuffer });
  return stdout;
}

export class GitError extends Error {}

/** The full commit id a ref names, or an error that says the history is missing. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(`not a git revision: ${ref}`);
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).toString().trim();
  } catch {
    throw new GitError(`${ref} is not a commit in this clone; fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`);
  }
}

interface Blob {
  mode: string;
  object: string;
  size: number;
}

/** A commit's tree, read with git itself: nothing is checked out, links and submodules are refused unread. */
export async function gitTree(root: string, ref: string): Promise<Tree> {
  const commit = await resolveCommit(root, ref);
  const blobs = new Map<string, Blob>();
  const listing = (await git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit])).toString('utf8');
  for (const record of listing.split('\0')) {
    const match = /^(\d{6}) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(record);
    if (match) blobs.set(match[5]!, { mode: match[1]!, object: match[3]!, size: match[4] === '-' ? 0 : Number(match[4]) });
  }
  const entries: Candidate[] = [...blobs].map(([file, blob]) => ({ file, refusal: refusalFor(blob.mode) }));

  async function read(file: string, maxBytes: number) {
    const blob = blobs.get(file);
    if (!blob || refusalFor(blob.mode)) return { ok: false as const, message: 'is not a regular file in this commit' };
    if (blob.size > maxBytes) {
      return { ok: false as const, message: `is ${blob.size} bytes, over the limit of ${maxBytes} bytes (limits.max-file-bytes)` };
    }
    return decode(await git(root, ['cat-file', 'blob', blob.object], maxBytes + 1));
  }

  return {
    label: `commit ${commit.slice(0, 7)}`,
    async discover(options) {
      if (options.paths?.length) throw new GitError('files named on the command line are read from the working tree only');
      return select(entries, options);
    },
    read,
    async readConfig(file) {
      if (!blobs.has(file)) return null;
      const result = await read(file, 1024 * 1024);
      if (!result.ok) throw new GitError(`${file} in ${commit.slice(0, 7)} ${result.message}`);
      return result.text;
    },
  };
}

function refusalFor(mode: string): string | null {
  if (mode === '120000') return 'symbolic links are not followed: commit the threat model as a regular file';
  if (mode === '160000') return 'a submodule is not read';
  return null;
}
