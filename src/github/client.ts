import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

const SERVER_ERROR_RETRIES = 2;
export const RATE_LIMIT_RETRIES = 2;
export const LONGEST_RATE_LIMIT_WAIT_S = 60;
// Without retry-after, GitHub asks for "at least a minute" after a secondary rate limit: an open-ended wait that
// plugin-throttling would fill in as 60 s. Counted as longer than we wait, it gives up at once instead.
const UNSTATED_SECONDARY_WAIT_S = Number.POSITIVE_INFINITY;

/** Every wait of the client: a run uses REAL_TIMING; tests set their own, so that no test sits through a wait. */
export interface Timing {
  /** How long one second of a wait lasts, in ms: the backoff between retries, and the pauses rate limits ask for. */
  secondMs: number;
  /** The time limit on one request. */
  requestTimeoutMs: number;
}

// GitHub ends a REST request it cannot serve within 10 s; the rest of the time limit is room for the network.
export const REAL_TIMING: Timing = { secondMs: 1000, requestTimeoutMs: 15_000 };

/** Raised when GitHub does not answer a request within the time limit. */
export class RequestTimeout extends Error {
  // Named like an abort so that @octokit/request passes it through untouched: plugin-retry would otherwise retry
  // it as a 500 and multiply the wait for a server that does not answer.
  override name = 'AbortError';
  constructor(limitMs: number) {
    super(`GitHub did not answer within ${limitMs / 1000} s`);
  }
}

function withTimeout(fetch: typeof globalThis.fetch, limitMs: number): typeof globalThis.fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(limitMs);
    try {
      return await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (error) {
      if (timeout.aborted) throw new RequestTimeout(limitMs);
      throw error;
    }
  };
}

function limitHandler(kind: string) {
  return (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT_S;
    // Giving up is explained once, by the warning about the comment.
    if (retrying) core.info(`GitHub ${kind} rate limit on ${options.method} ${options.url}: retrying in ${retryAfter} s`);
    return retrying;
  };
}

/**
 * The Octokit of @actions/github (GITHUB_API_URL, proxy settings) with bounded retries: server errors a few
 * times with a short backoff, rate limits when GitHub asks to wait at most a minute, and a time limit on every
 * request so that a server that never answers cannot hold the job.
 */
export function createClient(token: string, options: { timing?: Timing; baseUrl?: string } = {}): GitHubClient {
  const timing = options.timing ?? REAL_TIMING;
  return getOctokit(
    token,
    {
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      request: { ...defaults.request, fetch: withTimeout(defaults.request?.fetch ?? globalThis.fetch, timing.requestTimeoutMs) },
      // 403 and 429 are left to plugin-throttling, which honours retry-after and the rate-limit reset.
      retry: {
        retries: SERVER_ERROR_RETRIES,
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
        retryAfterBaseValue: timing.secondMs,
      },
      throttle: {
        onRateLimit: limitHandler('primary'),
        onSecondaryRateLimit: limitHandler('secondary'),
        fallbackSecondaryRateRetryAfter: UNSTATED_SECONDARY_WAIT_S,
        retryAfterBaseValue: timing.secondMs,
      },
    },
    retry,
    throttling,
  );
}
