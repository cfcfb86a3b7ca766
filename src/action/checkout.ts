import * as core from '@actions/core';
import { checkedOutCommit, repositoryPrefix } from '../discover/git.js';
import { workingTree, type Tree } from '../discover/tree.js';
import { apiTree } from '../github/commit-tree.js';
import type { LazyClient } from '../github/client.js';
import type { PullRequest } from '../github/pull-requests.js';
import { describe, failingClosed } from './base-commit.js';
import type { Workspace } from './workspace.js';

/** The checkout is not the pull request, and the API could not read the pull request's head either. */
export class HeadUnreadable extends Error {
  override name = 'HeadUnreadable';
  constructor(pr: PullRequest, checkout: string, cause: string) {
    super(
      `the checkout is ${checkout}, not the pull request's head commit ${pr.headSha.slice(0, 7)} (nor GitHub's merge commit of it), ` +
        `and the head could not be read through the GitHub API (${cause}), so there is nothing to judge. Either check out the head ` +
        '(actions/checkout with `ref: ${{ github.event.pull_request.head.sha }}` and `persist-credentials: false`, safe here since ' +
        'aivss-gate only reads files), or let the action read it through the API by giving the job `contents: read`.',
    );
  }
}

/** The pull request's head as the gate reads it; `checkedOut` says whether its files are the checkout's. */
export interface Head {
  tree: Tree;
  checkedOut: boolean;
}

/**
 * What the verdict judges: the checkout when it is the pull request's head commit, or the merge commit GitHub
 * makes of it (its second parent is the head); otherwise, such as the base that pull_request_target checks out,
 * the head commit read through the GitHub API. It fails rather than judge another commit.
 */
export async function headTree(workspace: Workspace, pr: PullRequest, client: LazyClient | null): Promise<Head> {
  const head = pr.headSha.slice(0, 7);
  const checkout = await checkedOutCommit(workspace.root);
  if (checkout?.commit === pr.headSha) {
    core.info(`aivss-gate: judging the checkout, the pull request's head commit ${head}.`);
    return { tree: workingTree(workspace.root), checkedOut: true };
  }
  if (checkout?.parents.length === 2 && checkout.parents[1] === pr.headSha) {
    core.info(`aivss-gate: judging the checkout, GitHub's merge commit ${checkout.commit.slice(0, 7)} of the head commit ${head}.`);
    return { tree: workingTree(workspace.root), checkedOut: true };
  }
  const described = checkout === null ? 'not a commit that git can name' : `commit ${checkout.commit.slice(0, 7)}`;
  core.info(`aivss-gate: the checkout is ${described}, not the pull request's head ${head}: reading the head through the GitHub API.`);
  if (client === null) throw new HeadUnreadable(pr, described, 'the github-token input is empty');
  const fail = (cause: string) => new HeadUnreadable(pr, described, cause);
  try {
    const prefix = (await repositoryPrefix(workspace.root)) ?? workspace.prefix;
    const tree = await apiTree(await client(), { owner: pr.owner, repo: pr.repo, commit: pr.headSha, prefix });
    return { tree: failingClosed(tree, fail), checkedOut: false };
  } catch (error) {
    throw fail(describe(error));
  }
}
