import { z } from 'zod';
import type { CommentMode } from './inputs.js';
import { isWrittenBy, tokenAuthor, type Author } from './author.js';
import type { GitHubClient } from './client.js';
import { carriesMarker } from './comment-body.js';

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
}

export interface PublishedComment {
  id: number;
  url: string;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'recreated' | 'not needed';

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

const published = (comment: unknown): PublishedComment => {
  const { id, html_url } = parseComment(comment);
  return { id, url: html_url };
};

function parseComment(data: unknown): Comment {
  const parsed = Comment.safeParse(data);
  if (!parsed.success) throw new Error(`GitHub answered with a comment that lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/**
 * Creates, updates or leaves alone our one comment on the pull request. At most one pass over the comments
 * (stopping at ours), one identity query when a marker is found, and one write (two for recreate).
 */
export async function publishStickyComment(client: GitHubClient, target: CommentTarget, sticky: StickyComment): Promise<CommentOutcome> {
  const ours = await findOurComment(client, target, sticky.marker);
  const where = { owner: target.owner, repo: target.repo };
  const post = async () => {
    // A POST that fails with a server error may have created the comment all the same, and a retry would leave a
    // stale duplicate behind: the next run posts instead. Rate limits are still retried, since GitHub refused those.
    const created = await client.rest.issues.createComment({ ...where, issue_number: target.number, body: sticky.body, request: { retries: 0 } });
    return published(created.data);
  };
  if (ours === null) {
    if (sticky.mode === 'on-failure' && sticky.verdict === 'pass') return { action: 'not needed', comment: null };
    return { action: 'created', comment: await post() };
  }
  if (sticky.mode === 'recreate') {
    await client.rest.issues.deleteComment({ ...where, comment_id: ours.id });
    return { action: 'recreated', comment: await post() };
  }
  if (ours.body === sticky.body) return { action: 'unchanged', comment: { id: ours.id, url: ours.html_url } };
  const updated = await client.rest.issues.updateComment({ ...where, comment_id: ours.id, body: sticky.body });
  return { action: 'updated', comment: published(updated.data) };
}

/** The oldest comment that starts with our marker and was written by the token's own author. */
async function findOurComment(client: GitHubClient, target: CommentTarget, marker: string): Promise<Comment | null> {
  let author: Author | null = null;
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.number,
    per_page: 100,
  });
  for await (const page of pages) {
    if (!Array.isArray(page.data)) throw new Error('GitHub answered the list of comments with something other than a list');
    for (const item of page.data) {
      const comment = parseComment(item);
      if (comment.user === null || !carriesMarker(comment.body ?? '', marker)) continue;
      author ??= await tokenAuthor(client);
      if (isWrittenBy(comment.user, author)) return comment;
    }
  }
  return null;
}
