import { createHash } from 'node:crypto';
import { z } from 'zod';
import { commitTree, type CommitEntry } from '../discover/commit-tree.js';
import type { Tree } from '../discover/tree.js';
import type { GitHubClient } from './client.js';
import { ObjectId } from './pull-requests.js';

const GitTree = z.object({
  truncated: z.boolean(),
  tree: z.array(
    z.object({
      path: z.string().min(1),
      mode: z.string().regex(/^\d{6}$/),
      type: z.enum(['blob', 'tree', 'commit']),
      sha: ObjectId,
      size: z.number().int().nonnegative().optional(),
    }),
  ),
});

const GitBlob = z.object({ encoding: z.literal('base64'), content: z.string(), size: z.number().int().nonnegative() });

export interface ApiCommit {
  owner: string;
  repo: string;
  commit: string;
  /** The folder the check runs in, from the repository's top. */
  prefix: string;
}

/**
 * A commit read through GitHub's git database API, for a clone that lacks it: one request for the whole listing,
 * then one per blob actually read. Every blob is checked against its id, so what is scored is what was committed.
 */
export async function apiTree(client: GitHubClient, target: ApiCommit): Promise<Tree> {
  const where = { owner: target.owner, repo: target.repo };
  const response = await client.rest.git.getTree({ ...where, tree_sha: target.commit, recursive: '1' });
  const listing = parse(GitTree, response.data, 'the listing of the commit');
  if (listing.truncated) {
    throw new Error(
      `GitHub's listing of commit ${target.commit.slice(0, 7)} is truncated (the repository is too large for one request), so the API cannot read it`,
    );
  }
  const entries: CommitEntry[] = [];
  for (const item of listing.tree) {
    if (item.type === 'tree') continue;
    if (item.type === 'blob' && item.size === undefined) throw new Error(`GitHub listed ${item.path} without its size`);
    entries.push({ path: item.path, mode: item.mode, object: item.sha, size: item.size ?? 0 });
  }
  return commitTree({
    commit: target.commit,
    entries,
    prefix: target.prefix,
    async readBlob(entry) {
      const blob = parse(GitBlob, (await client.rest.git.getBlob({ ...where, file_sha: entry.object })).data, `the blob of ${entry.path}`);
      const bytes = Buffer.from(blob.content, 'base64');
      if (bytes.length !== entry.size || blobId(bytes, entry.object.length) !== entry.object) {
        throw new Error(`GitHub answered for ${entry.path} with content that is not blob ${entry.object}`);
      }
      return bytes;
    },
  });
}

/** Git's object id of a blob: the hash of a header and the bytes, SHA-1 (40 hex digits) or SHA-256 (64). */
function blobId(bytes: Buffer, length: number): string {
  return createHash(length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
}

function parse<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `GitHub answered with ${what} that lacks ${parsed.error.issues.map((i) => i.path.join('.') || 'its shape').join(', ')}`,
    );
  return parsed.data;
}
