import * as core from '@actions/core';
import { gitTree, repositoryPrefix } from '../discover/git.js';
import type { Tree } from '../discover/tree.js';
import { plainText } from '../render/escape.js';
import { apiTree } from '../github/commit-tree.js';
import type { LazyClient } from '../github/client.js';
import type { PullRequest } from '../github/pull-requests.js';
import type { Workspace } from './workspace.js';

/** Neither git nor the API could read the base commit: its policy and its models are unknown, so no verdict can pass. */
export class BaseUnreadable extends Error {
  override name = 'BaseUnreadable';
  constructor(commit: string, cause: string) {
    super(
      `the base commit ${commit.slice(0, 7)} of the pull request could not be read (${cause}), so the base policy is unknown and the gate cannot pass. ` +
        'Give actions/checkout `fetch-depth: 0` so that git has the commit, or give the job `contents: read` so that the GitHub API can read it.',
    );
  }
}

/**
 * The base commit of the pull request: read with git when the clone has it (no API call), else through the GitHub
 * API. Whatever fails while it is read, now or while the engine reads its files, is a BaseUnreadable.
 */
export async function baseTree(workspace: Workspace, pr: PullRequest, client: LazyClient | null): Promise<Tree> {
  const short = pr.baseSha.slice(0, 7);
  try {
    const tree = await gitTree(workspace.root, pr.baseSha);
    core.info(`aivss-gate: comparing with the base commit ${short}, read with git.`);
    return failingClosed(tree, (cause) => new BaseUnreadable(pr.baseSha, cause));
  } catch (error) {
    core.info(`aivss-gate: git cannot read the base commit ${short} (${describe(error)}); reading it through the GitHub API.`);
  }
  if (client === null) throw new BaseUnreadable(pr.baseSha, 'it is not in the clone, and the github-token input is empty');
  try {
    // The API lists paths from the repository's top; without git, the checkout is taken to be GITHUB_WORKSPACE.
    const prefix = (await repositoryPrefix(workspace.root)) ?? workspace.prefix;
    const tree = await apiTree(await client(), { owner: pr.owner, repo: pr.repo, commit: pr.baseSha, prefix });
    core.info(`aivss-gate: comparing with the base commit ${short}, read through the GitHub API.`);
    return failingClosed(tree, (cause) => new BaseUnreadable(pr.baseSha, cause));
  } catch (error) {
    throw new BaseUnreadable(pr.baseSha, describe(error));
  }
}

/** A tree whose every read that fails, now or while the engine reads its files, fails with the error of `fail`. */
export function failingClosed(tree: Tree, fail: (cause: string) => Error): Tree {
  const guard =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await read(...args);
      } catch (error) {
        throw fail(describe(error));
      }
    };
  return { label: tree.label, discover: guard(tree.discover), read: guard(tree.read), readConfig: guard(tree.readConfig) };
}

export function describe(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = plainText(error instanceof Error ? error.message : String(error), 300);
  return typeof status === 'number' ? `GitHub answered ${status}: ${message}` : message;
}
