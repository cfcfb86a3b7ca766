import { z } from 'zod';
import type { GitHubClient } from './client.js';
import { listPages } from './listing.js';

/** A git object id: SHA-1, or SHA-256 for repositories that use it. */
export const ObjectId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);

export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

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
  const pages = listPages(
    client,
    'GET /repos/{owner}/{repo}/pulls',
    { ...repository, state: 'open', head: `${head.owner}:${run.headBranch}`, per_page: 100 },
    'the list of pull requests',
  );
  for await (const page of pages) {
    for (const item of page.items) {
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
