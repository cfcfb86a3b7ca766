import { z } from 'zod';

import { isWrittenBy, tokenAuthor, type Author } from './author.js';
import type { GitHubClient } from './client.js';
import { listPages } from './listing.js';
import { carriesMarker } from '../render/comment.js';

export const COMMENT_MODES = ['update', 'recreate', 'on-failure', 'off'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
  /** The head commit that this run's report describes. */
  headSha: string;
}

export interface PublishedComment {
  id: number;
  url: string;
}

const SUPERSEDED = 'left to the run of the newer head commit';

// GitHub's comment timestamps and `since` come from its own clocks, which may be a little apart.
const CLOCK_MARGIN_MS = 60_000;

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'recreated' | 'not needed' | typeof SUPERSEDED;

export interface CommentOutcome {
  action: CommentAction;
  comment: PublishedComment | null;
}

export interface StickyComment {
  marker: string;
  /** The whole body, marker first. */
  body: string;
  mode: Exclude<CommentMode, 'off'>;
  verdict: 'pass' | 'fail';
}

const Comment = z.object({
  id: z.number().int().positive(),
  html_url: z.url({ protocol: /^https?$/ }),
  body: z.string().nullish(),
  user: z.object({ id: z.number().int(), login: z.string(), type: z.string() }).nullable(),
});
type Comment = z.infer<typeof Comment>;

const PullRequestHead = z.object({ head: z.object({ sha: z.string() }) });

function parseComment(data: unknown): Comment {
  const parsed = Comment.safeParse(data);
  if (!parsed.success)
    throw new Error(`GitHub answered with a comment that lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

const publishedOf = (comment: Comment): PublishedComment => ({ id: comment.id, url: comment.html_url });

/**
 * Creates, updates or leaves alone our one comment on the pull request. Calls: one pass over the comments, the
 * identity query when a marker is found, then, only when something is to be written, one GET of the pull request
 * and the write; creating a comment then lists the comments updated since the pass (one call, not a second
 * pass) to settle a race with a concurrent run.
 *
 * Concurrent runs: a run whose head commit is no longer the pull request's head writes nothing, so an older run
 * never overwrites a newer commit's report. Of several of our comments (two runs that both created one), the
 * newest is kept and the others are deleted; every run agrees on which, whatever the order of its calls.
 */
export async function publishStickyComment(client: GitHubClient, target: CommentTarget, sticky: StickyComment): Promise<CommentOutcome> {
  const { ours, listedAt } = await findOurComments(client, target, sticky.marker, () => tokenAuthor(client));
  const newest = ours.at(-1);
  if (newest === undefined && sticky.mode === 'on-failure' && sticky.verdict === 'pass') return { action: 'not needed', comment: null };
  const inPlace = newest !== undefined && sticky.mode !== 'recreate';
  if (inPlace && ours.length === 1 && newest.body === sticky.body) return { action: 'unchanged', comment: publishedOf(newest) };
  if (!(await isPullRequestHead(client, target))) return { action: SUPERSEDED, comment: null };

  const where = { owner: target.owner, repo: target.repo };
  if (inPlace) {
    const updated =
      newest.body === sticky.body
        ? newest
        : parseComment((await client.rest.issues.updateComment({ ...where, comment_id: newest.id, body: sticky.body })).data);
    await deleteComments(client, target, ours.slice(0, -1));
    return { action: 'updated', comment: publishedOf(updated) };
  }
  await deleteComments(client, target, ours);
  // A POST that fails with a server error may have created the comment all the same, and a retry would leave a
  // stale duplicate behind: the next run posts instead. Rate limits are still retried, since GitHub refused those.
  const created = parseComment(
    (await client.rest.issues.createComment({ ...where, issue_number: target.number, body: sticky.body, request: { retries: 0 } })).data,
  );
  const kept = await settleCreateRace(client, target, sticky.marker, created, listedAt);
  return { action: newest === undefined ? 'created' : 'recreated', comment: publishedOf(kept) };
}

/**
 * The event's head.sha is the head when the event fired; a push since then starts a run of its own, which writes
 * the comment. Asked right before writing, so that the window in which two runs can both write is one request.
 */
async function isPullRequestHead(client: GitHubClient, target: CommentTarget): Promise<boolean> {
  const { data } = await client.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.number });
  const parsed = PullRequestHead.safeParse(data);
  if (!parsed.success) throw new Error('GitHub answered the pull request without its head commit');
  return parsed.data.head.sha === target.headSha;
}

/**
 * Two runs that both found no comment both post one. Each lists the comments again after posting and keeps the
 * newest of ours: the later post sees the earlier one, so at least one run deletes every other, and none deletes
 * the newest. Both posts came after both passes over the comments (a pass that saw the other's post would have
 * updated it), so the comments updated since this run's pass hold every rival. The author is the one of the
 * comment just posted, so no identity query is needed.
 */
async function settleCreateRace(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
  created: Comment,
  listedAt: number | null,
): Promise<Comment> {
  const author: Author | null = created.user && { login: created.user.login, databaseId: created.user.id };
  const since = listedAt === null ? undefined : new Date(listedAt - CLOCK_MARGIN_MS).toISOString();
  const { ours: listed } = await findOurComments(client, target, marker, async () => author ?? tokenAuthor(client), since);
  const ours = [...new Map([...listed, created].map((c) => [c.id, c])).values()].sort((a, b) => a.id - b.id);
  await deleteComments(client, target, ours.slice(0, -1));
  return ours.at(-1)!;
}

async function deleteComments(client: GitHubClient, target: CommentTarget, comments: readonly Comment[]): Promise<void> {
  for (const comment of comments) {
    try {
      await client.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: comment.id });
    } catch (error) {
      // A concurrent run may have deleted it first.
      if ((error as { status?: unknown }).status !== 404) throw error;
    }
  }
}

/**
 * Every comment (updated since `since`, when given) that starts with our marker and was written by the token's own
 * author, oldest first; and when GitHub answered, by its Date header, or null if it sent none.
 */
async function findOurComments(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
  whoAmI: () => Promise<Author>,
  since?: string,
): Promise<{ ours: Comment[]; listedAt: number | null }> {
  let author: Author | null = null;
  let listedAt: number | null = null;
  const ours: Comment[] = [];
  const pages = listPages(
    client,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { owner: target.owner, repo: target.repo, issue_number: target.number, per_page: 100, ...(since === undefined ? {} : { since }) },
    'the list of comments',
  );
  for await (const page of pages) {
    const date = Date.parse(page.date ?? '');
    listedAt ??= Number.isNaN(date) ? null : date;
    for (const item of page.items) {
      const comment = parseComment(item);
      if (comment.user === null || !carriesMarker(comment.body ?? '', marker)) continue;
      author ??= await whoAmI();
      if (isWrittenBy(comment.user, author)) ours.push(comment);
    }
  }
  return { ours: ours.sort((a, b) => a.id - b.id), listedAt };
}
