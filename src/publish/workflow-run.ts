import { z } from 'zod';
import type { GitHubClient } from './client.js';
import { ObjectId, PULL_REQUEST_EVENTS, type PullRequest } from './pull-request.js';

/** The run whose completion triggered a workflow_run event: the run that saved the report. */
export interface TriggeringRun {
  id: number;
  /** The event of that run, such as pull_request. */
  event: string;
  headSha: string;
  headBranch: string | null;
  /** Where the commit was pushed, "owner/name": the fork, for a fork's pull request. */
  headRepository: { fullName: string; owner: string } | null;
}

const Payload = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    event: z.string(),
    head_sha: ObjectId,
    head_branch: z.string().min(1).nullable(),
    head_repository: z.object({ full_name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }).nullable(),
  }),
});

/** The triggering run of a workflow_run event; null for other events. */
export function triggeringRun(context: { eventName: string | undefined; payload: unknown }): TriggeringRun | null {
  if (context.eventName !== 'workflow_run') return null;
  const parsed = Payload.safeParse(context.payload);
  if (!parsed.success)
    throw new Error('the workflow_run event payload has no valid workflow_run (id, event, head_sha, head_branch, head_repository)');
  const run = parsed.data.workflow_run;
  return {
    id: run.id,
    event: run.event,
    headSha: run.head_sha,
    headBranch: run.head_branch,
    headRepository: run.head_repository && { fullName: run.head_repository.full_name, owner: run.head_repository.owner.login },
  };
}

const OpenPullRequest = z.object({
  number: z.number().int().positive(),
  head: z.object({ sha: ObjectId, ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ sha: ObjectId }),
});

export type Lookup = { found: PullRequest } | { found: null; reason: string };

/**
 * The open pull request of this repository that the triggering run built, asked of GitHub: its head is the run's
 * repository and branch, at the run's very commit. For a fork, workflow_run.pull_requests is empty, and nothing
 * in the run's artifact may name the pull request, since the pull request's own code wrote it.
 */
export async function pullRequestOfRun(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  run: TriggeringRun,
): Promise<Lookup> {
  if (!PULL_REQUEST_EVENTS.includes(run.event))
    return { found: null, reason: `the triggering run was a ${run.event} run, not a pull request's` };
  const head = run.headRepository;
  if (head === null || run.headBranch === null) return { found: null, reason: 'the triggering run names no head repository and branch' };
  const matches: z.infer<typeof OpenPullRequest>[] = [];
  const pages = client.paginate.iterator(client.rest.pulls.list, {
    ...repository,
    state: 'open',
    head: `${head.owner}:${run.headBranch}`,
    per_page: 100,
  });
  for await (const page of pages) {
    if (!Array.isArray(page.data)) throw new Error('GitHub answered the list of pull requests with something other than a list');
    for (const item of page.data) {
      const parsed = OpenPullRequest.safeParse(item);
      if (!parsed.success)
        throw new Error(`GitHub answered with a pull request that lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
      const pr = parsed.data;
      // GitHub's owner and repository names ignore case; a branch name and a commit id do not.
      const sameRepository = pr.head.repo?.full_name.toLowerCase() === head.fullName.toLowerCase();
      if (sameRepository && pr.head.ref === run.headBranch && pr.head.sha === run.headSha) matches.push(pr);
    }
  }
  const where = `${head.fullName}:${run.headBranch} at ${run.headSha.slice(0, 7)}`;
  if (matches.length === 0)
    return { found: null, reason: `no open pull request has the head ${where} (it was closed, or pushed to since)` };
  if (matches.length > 1) {
    return {
      found: null,
      reason: `${matches.length} open pull requests have the head ${where} (#${matches.map((m) => m.number).join(', #')}), and the run does not say which one it built`,
    };
  }
  const [pr] = matches as [z.infer<typeof OpenPullRequest>];
  return { found: { ...repository, number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, readOnlyToken: false } };
}
