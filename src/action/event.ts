import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ObjectId, PULL_REQUEST_EVENTS, type PullRequest, type TriggeringRun } from '../github/pull-requests.js';

/** What the runner's event tells: its name, its payload (GITHUB_EVENT_PATH) and the repository (GITHUB_REPOSITORY). */
export interface EventContext {
  eventName: string | undefined;
  payload: unknown;
  readonly repo: { owner: string; repo: string };
}

export interface RunnerEvent extends EventContext {
  /** GITHUB_SHA: the commit the run checked out, a merge commit on pull_request. */
  sha: string | undefined;
}

const RepositoryPayload = z.object({ repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) }) });

/**
 * The event as the runner describes it, read the way @actions/github's context reads it (which would load the
 * GitHub client's code with it): a payload file that does not exist is an empty payload, and the repository is
 * asked for only when used, from GITHUB_REPOSITORY or else the payload.
 */
export async function runnerEvent(env = process.env): Promise<RunnerEvent> {
  const file = env.GITHUB_EVENT_PATH;
  let payload: unknown = {};
  if (file) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text !== null) {
      try {
        payload = JSON.parse(text);
      } catch {
        throw new Error(`the event payload (GITHUB_EVENT_PATH) is not JSON`);
      }
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME,
    sha: env.GITHUB_SHA,
    payload,
    get repo() {
      const [owner, repo] = env.GITHUB_REPOSITORY?.split('/') ?? [];
      if (owner && repo) return { owner, repo };
      const parsed = RepositoryPayload.safeParse(payload);
      if (parsed.success) return { owner: parsed.data.repository.owner.login, repo: parsed.data.repository.name };
      throw new Error('the event names no repository: GITHUB_REPOSITORY is not "owner/name", and the payload has no repository');
    },
  };
}

const PullRequestPayload = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: ObjectId, repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ sha: ObjectId, repo: z.object({ full_name: z.string() }) }),
  }),
});

/** The pull request of the event, or null for events that have none (push, schedule, workflow_dispatch...). */
export function pullRequestOf(context: EventContext): PullRequest | null {
  const { eventName } = context;
  if (eventName === undefined || !PULL_REQUEST_EVENTS.includes(eventName)) return null;
  const parsed = PullRequestPayload.safeParse(context.payload);
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

const WorkflowRunPayload = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    event: z.string(),
    head_sha: ObjectId,
    head_branch: z.string().min(1).nullable(),
    head_repository: z.object({ full_name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }).nullable(),
  }),
});

/** The triggering run of a workflow_run event; null for other events. */
export function triggeringRun(context: EventContext): TriggeringRun | null {
  if (context.eventName !== 'workflow_run') return null;
  const parsed = WorkflowRunPayload.safeParse(context.payload);
  if (!parsed.success) {
    throw new Error('the workflow_run event payload has no valid workflow_run (id, event, head_sha, head_branch, head_repository)');
  }
  const run = parsed.data.workflow_run;
  return {
    id: run.id,
    event: run.event,
    headSha: run.head_sha,
    headBranch: run.head_branch,
    headRepository: run.head_repository && { fullName: run.head_repository.full_name, owner: run.head_repository.owner.login },
  };
}
