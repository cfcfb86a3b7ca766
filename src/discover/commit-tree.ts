import { select, type Candidate } from './discover.js';
import { CONFIG_LIMIT, decode, THREAT_MODEL_LIMIT, tooLarge, type ReadResult, type SizeLimit } from './read.js';
import type { Tree } from './tree.js';

/** One entry of a commit's listing, as git ls-tree and GitHub's trees API both give it. */
export interface CommitEntry {
  /** The path from the repository's top folder. */
  path: string;
  mode: string;
  /** The blob's id, to read it by. */
  object: string;
  /** Bytes, known before the blob is read; 0 for a submodule. */
  size: number;
}

export interface CommitListing {
  /** The full commit id. */
  commit: string;
  entries: Iterable<CommitEntry>;
  /** The folder the check runs in, from the repository's top ('' for the top): paths are relative to it. */
  prefix: string;
  /** The blob's bytes; called only for a regular file within the size limit. */
  readBlob(entry: CommitEntry, maxBytes: number): Promise<Uint8Array>;
}

/**
 * A commit as a Tree, wherever its listing and blobs come from: nothing is checked out, links and submodules
 * are refused unread, and a blob over the limit is refused by its listed size before a byte is fetched.
 */
export function commitTree(listing: CommitListing): Tree {
  const label = `commit ${listing.commit.slice(0, 7)}`;
  const folder = listing.prefix === '' ? '' : `${listing.prefix.replace(/\/$/, '')}/`;
  const entries = new Map<string, CommitEntry>();
  for (const entry of listing.entries) if (entry.path.startsWith(folder)) entries.set(entry.path.slice(folder.length), entry);
  const candidates: Candidate[] = [...entries].map(([file, entry]) => ({ file, refusal: refusalFor(entry.mode) }));

  async function read(file: string, limit: SizeLimit): Promise<ReadResult> {
    const entry = entries.get(file);
    if (!entry || refusalFor(entry.mode)) return { ok: false, message: 'is not a regular file in this commit' };
    if (entry.size > limit.maxBytes) return { ok: false, message: tooLarge(entry.size, limit) };
    return decode(await listing.readBlob(entry, limit.maxBytes));
  }

  return {
    label,
    discover: async (options) => select(candidates, options),
    read: (file, maxBytes) => read(file, { maxBytes, label: THREAT_MODEL_LIMIT }),
    async readConfig(file) {
      if (!entries.has(file)) return null;
      const result = await read(file, CONFIG_LIMIT);
      if (!result.ok) throw new Error(result.message);
      return result.text;
    },
  };
}

function refusalFor(mode: string): string | null {
  if (mode === '120000') return 'symbolic links are not followed: commit the threat model as a regular file';
  if (mode === '160000') return 'a submodule is not read';
  // 100664 is a legacy spelling of a regular file that old repositories still hold.
  if (mode === '100644' || mode === '100755' || mode === '100664') return null;
  return 'not a regular file';
}
