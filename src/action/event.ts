import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ObjectId, PULL_REQUEST_EVENTS, type PullRequest, type TriggeringRun } from '../github/pull-requests.js';

/** What the runner's event tells: its name, its payload (GITHUB_EVENT_PATH) and the repository (GITHUB_REPOSITORY). */
export interface EventContext {
  eventName: string | undefined;
  payload: unknown;
  readonly repo: { owner: string; repo: string };
}

export interface RunnerEvent extends EventContext {
  sha: string | undefined;
}

/**
 * The event as @actions/github's context reads it, read here so that a run which makes no API call does not load
 * that package and the Octokit it brings.
 */
export function runnerEvent(env = process.env): RunnerEvent {
  const file = env.GITHUB_EVENT_PATH;
  const payload: unknown = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return {
    eventName: env.GITHUB_EVENT_NAME,
    sha: env.GITHUB_SHA,
    payload,
    get repo() {
      const [owner, repo] = env.GITHUB_REPOSITORY?.split('/') ?? [];
      if (owner && repo) return { owner, repo };
      const repository = (payload as { repository?: { name?: string; owner?: { login?: string } } }).repository;
      if (repository?.owner?.login && repository.name) return { owner: repository.owner.login, repo: repository.name };
      throw new Error("the repository is unknown: GITHUB_REPOSITORY should be set to 'owner/repo'");
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
