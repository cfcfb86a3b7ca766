import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commitTree, type CommitEntry } from './commit-tree.js';
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
    throw new GitError(
      `${ref} is not a commit in this clone; fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin ${ref})`,
    );
  }
}

/** Where root is inside its repository: '' at the top, else the folder with a trailing slash; null outside any repository. */
export async function repositoryPrefix(root: string): Promise<string | null> {
  try {
    return (await git(root, ['rev-parse', '--show-prefix'])).toString().trim();
  } catch {
    return null;
  }
}

/**
 * A commit's tree, read with git itself, seen from root: when root is a folder of the repository, paths are
 * relative to it, as in the working tree.
 */
export async function gitTree(root: string, ref: string): Promise<Tree> {
  const commit = await resolveCommit(root, ref);
  const prefix = (await repositoryPrefix(root)) ?? '';
  const entries: CommitEntry[] = [];
  const listing = (await git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit])).toString('utf8');
  for (const record of listing.split('\0')) {
    const match = /^(\d{6}) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(record);
    if (match) entries.push({ path: match[5]!, mode: match[1]!, object: match[3]!, size: match[4] === '-' ? 0 : Number(match[4]) });
  }
  return commitTree({
    commit,
    entries,
    prefix,
    readBlob: (entry, maxBytes) => git(root, ['cat-file', 'blob', entry.object], maxBytes + 1),
  });
}

/**
 * The commit checked out in root and its parents, or null when git cannot tell (no repository, no commit).
 * Parents come from the commit object itself: a shallow clone, such as the depth-1 checkout of a pull request's
 * merge commit, hides them from every other git command.
 */
export async function checkedOutCommit(root: string): Promise<{ commit: string; parents: string[] } | null> {
  try {
    const commit = (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).toString().trim();
    const object = (await git(root, ['cat-file', 'commit', commit])).toString('utf8');
    const header = object.slice(0, object.indexOf('\n\n'));
    const parents = [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]!);
    return { commit, parents };
  } catch {
    return null;
  }
}
