import { plainText } from '../render/escape.js';
import { RequestTimeout } from './client.js';

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : null;
}

function messageOf(error: unknown): string {
  return plainText(error instanceof Error ? error.message : String(error), 200);
}

/** Why the comment could not be written and what to do about it, for a warning; the verdict never depends on it. */
export function explainCommentFailure(error: unknown, pr: { readOnlyToken: boolean }): string {
  return `aivss-gate could not write the pull-request comment: ${cause(error, pr)} The verdict stands; the job summary has the full report.`;
}

function cause(error: unknown, pr: { readOnlyToken: boolean }): string {
  if (error instanceof RequestTimeout) return `${error.message}; the next run will bring the comment up to date.`;
  const status = statusOf(error);
  const rateLimited = /rate limit/i.test(messageOf(error));
  if (status === 429 || (status === 403 && rateLimited)) {
    return `GitHub's rate limit asks for a longer wait than aivss-gate allows (${status}); the next run will bring the comment up to date.`;
  }
  if (status === 401) return 'the token was refused (401): check the github-token input.';
  if (status === 403 && pr.readOnlyToken) {
    return 'pull requests from forks get a read-only token (403), so there is no comment; the gate, the annotations and the job summary work as usual.';
  }
  if (status === 403) {
    return 'the token may not write comments (403): give the job `permissions: pull-requests: write` (or pass a github-token that can).';
  }
  if (status === 404) {
    return 'the pull request is not visible to this token (404): check the github-token input and give the job `permissions: pull-requests: write`.';
  }
  if (status !== null && status >= 500) {
    return `GitHub's API failed with ${status}; the next run will bring the comment up to date.`;
  }
  return `${status === null ? '' : `GitHub answered ${status}: `}${messageOf(error)}.`;
}
