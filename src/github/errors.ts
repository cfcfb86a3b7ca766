import { plainText } from '../render/escape.js';

// The client's bounds and the errors it raises live here, apart from its code (./client.ts), so that a run that
// makes no API call does not load that code to explain a failure it cannot have.
export const RATE_LIMIT_RETRIES = 2;
export const LONGEST_RATE_LIMIT_WAIT_S = 60;

/** Raised when GitHub does not answer a request within the time limit. */
export class RequestTimeout extends Error {
  // Named like an abort so that @octokit/request passes it through untouched: plugin-retry would otherwise retry
  // it as a 500 and multiply the wait for a server that does not answer.
  override name = 'AbortError';
  constructor(limitMs: number) {
    super(`GitHub did not answer within ${limitMs / 1000} s`);
  }
}

/**
 * Raised when an answer that says it is JSON does not parse: cut short, or not JSON at all. @octokit/request
 * would read it as its raw text, and an empty body as no data, which a listing takes for an empty page.
 */
export class IncompleteAnswer extends Error {
  override name = 'IncompleteAnswer';
  constructor(method: string, url: string) {
    super(`GitHub's answer to ${method} ${new URL(url).pathname} is not complete JSON`);
  }
}

/** What an Octokit RequestError carries; anything else thrown has none of it. */
interface ApiError {
  status?: unknown;
  request?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

function statusOf(error: unknown): number | null {
  const status = (error as ApiError | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : null;
}

function messageOf(error: unknown): string {
  return plainText(error instanceof Error ? error.message : String(error), 200);
}

/** @octokit/request reports a request that got no HTTP answer at all (a reset, a refused connection) as a 500 without a response. */
function connectionFailed(error: unknown): boolean {
  const api = error as ApiError | null;
  return api?.request !== undefined && api.response === undefined;
}

/** GitHub's own words for a validation error (422), such as "Body is too long (maximum is 65536 characters)". */
function validationMessages(error: unknown): string {
  const data = (error as ApiError | null)?.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const details = Array.isArray(data?.errors)
    ? data.errors.map((e: { message?: unknown } | null) => e?.message).filter((m) => typeof m === 'string')
    : [];
  const messages = details.length > 0 ? details : typeof data?.message === 'string' ? [data.message] : [];
  return plainText(messages.length > 0 ? messages.join('; ') : messageOf(error), 200);
}

function rateLimited(error: unknown, status: number | null): boolean {
  if (status === 429) return true;
  return (
    status === 403 && ((error as ApiError).response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(messageOf(error)))
  );
}

/** Why the comment could not be written and what to do about it, for a warning; the verdict never depends on it. */
export function explainCommentFailure(error: unknown, pr: { readOnlyToken: boolean }): string {
  return `aivss-gate could not write the pull-request comment: ${cause(error, pr)} The verdict stands; the job summary has the full report.`;
}

const NEXT_RUN = 'the next run will bring the comment up to date.';

function cause(error: unknown, pr: { readOnlyToken: boolean }): string {
  if (error instanceof RequestTimeout) return `${error.message}; ${NEXT_RUN}`;
  // @octokit/request wraps what the fetch throws.
  const incomplete = [error, (error as { cause?: unknown } | null)?.cause].find((e) => e instanceof IncompleteAnswer);
  if (incomplete) return `${incomplete.message}; ${NEXT_RUN}`;
  const status = statusOf(error);
  if (status === 500 && connectionFailed(error)) return `the connection to GitHub failed (${messageOf(error)}); ${NEXT_RUN}`;
  if (rateLimited(error, status)) {
    return `GitHub's rate limit refused the request (${status}) beyond what aivss-gate waits for (${RATE_LIMIT_RETRIES} retries, ${LONGEST_RATE_LIMIT_WAIT_S} s at most each); ${NEXT_RUN}`;
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
  if (status === 422) return `GitHub refused the comment (422: ${validationMessages(error)}).`;
  if (status !== null && status >= 500) return `GitHub's API failed with ${status}; ${NEXT_RUN}`;
  return `${status === null ? '' : `GitHub answered ${status}: `}${messageOf(error)}.`;
}
