import { linkContext, type LinkContext } from '../render/links.js';
import type { Workspace } from './workspace.js';

/**
 * Where the comment's links point: this repository on this server (GITHUB_SERVER_URL, so GitHub Enterprise Server
 * too), at the commit the report describes, with paths from the repository's top. Null, and no links, when a part
 * is missing or not what it should be.
 */
export function linkContextOf(workspace: Workspace, sha: string | null, runId: number | null, env = process.env): LinkContext | null {
  if (!sha) return null;
  return linkContext({
    server: env.GITHUB_SERVER_URL || 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
    sha,
    runId: runId !== null && Number.isSafeInteger(runId) ? runId : null,
    prefix: workspace.prefix,
  });
}

/** The run of this job, from GITHUB_RUN_ID. */
export function currentRunId(env = process.env): number | null {
  const id = Number(env.GITHUB_RUN_ID);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
