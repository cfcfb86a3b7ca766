import { z } from 'zod';

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
  /** The head commit: what the author pushed, not the merge commit that GITHUB_SHA names. */
  headSha: string;
  /** The base commit, which the head is compared with. */
  baseSha: string;
  /** A pull_request event from a fork, for which GitHub gives the workflow a read-only token. */
  readOnlyToken: boolean;
}

export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/** A git object id: SHA-1, or SHA-256 for repositories that use it. */
export const ObjectId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);

const Payload = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: ObjectId, repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ sha: ObjectId, repo: z.object({ full_name: z.string() }) }),
  }),
});

interface EventContext {
  eventName: string | undefined;
  payload: unknown;
  /** The repository of the workflow run (GITHUB_REPOSITORY); read only for pull-request events. */
  readonly repo: { owner: string; repo: string };
}

/** The pull request of the event, or null for events that have none (push, schedule, workflow_dispatch...). */
export function pullRequestOf(context: EventContext): PullRequest | null {
  const { eventName } = context;
  if (eventName === undefined || !PULL_REQUEST_EVENTS.includes(eventName)) return null;
  const parsed = Payload.safeParse(context.payload);
  if (!parsed.success) throw new Error(`the ${eventName} event payload has no valid pull_request (number, head.sha, base.sha, base.repo)`);
  const pr = parsed.data.pull_request;
  return {
    owner: context.repo.owner,
    repo: context.repo.repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    // A deleted fork has no head repository: it was a fork all the same.
    readOnlyToken: eventName === 'pull_request' && pr.head.repo?.full_name !== pr.base.repo.full_name,
  };
}
