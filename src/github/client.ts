import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { IncompleteAnswer, LONGEST_RATE_LIMIT_WAIT_S, RATE_LIMIT_RETRIES, RequestTimeout } from './errors.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** The client, made on first use: a run that makes no API call never loads this module's code. */
export type LazyClient = () => Promise<GitHubClient>;

const SERVER_ERROR_RETRIES = 2;
// Without retry-after, GitHub asks for "at least a minute" after a secondary rate limit: an open-ended wait that
// plugin-throttling would fill in as 60 s. Counted as longer than we wait, it gives up at once instead.
const UNSTATED_SECONDARY_WAIT_S = Number.POSITIVE_INFINITY;

// plugin-throttling spaces writes 1 s apart and counts every GraphQL query as a write, so a comment update waited
// a second after the identity query. A run makes a few writes, one after the other: rate limits that GitHub
// reports are still honoured below, but nothing waits before one is reported.
const UNPACED_WRITES = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });

/** Every wait of the client: a run uses REAL_TIMING; tests set their own, so that no test sits through a wait. */
export interface Timing {
  /** How long one second of a wait lasts, in ms: the backoff between retries, and the pauses rate limits ask for. */
  secondMs: number;
  /** The time limit on one request. */
  requestTimeoutMs: number;
}

// GitHub ends a REST request it cannot serve within 10 s; the rest of the time limit is room for the network.
export const REAL_TIMING: Timing = { secondMs: 1000, requestTimeoutMs: 15_000 };

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Every request, its answer's body included, has the time limit: the body is read whole here, so an answer
 * that stalls halfway is a RequestTimeout, one that is cut short a failed request, and a successful JSON answer
 * that does not parse an IncompleteAnswer, never an empty or partial result.
 */
function wholeAnswers(fetch: typeof globalThis.fetch, limitMs: number): typeof globalThis.fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(limitMs);
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
      body = await response.arrayBuffer();
    } catch (error) {
      if (timeout.aborted) throw new RequestTimeout(limitMs);
      throw error;
    }
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // An error's status says enough; a success must carry the whole of what it says it carries.
    if (response.ok && !NULL_BODY_STATUSES.has(response.status) && JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
      try {
        JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        throw new IncompleteAnswer(init?.method ?? 'GET', url);
      }
    }
    const whole = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // @octokit/request reports the answer's URL, which a new Response leaves empty.
    Object.defineProperty(whole, 'url', { value: response.url });
    return whole;
  };
}

/** Statuses whose answer has no body: a Response refuses to be made with one. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

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
      request: { ...defaults.request, fetch: wholeAnswers(defaults.request?.fetch ?? globalThis.fetch, timing.requestTimeoutMs) },
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
        write: UNPACED_WRITES(),
        notifications: UNPACED_WRITES(),
        retryAfterBaseValue: timing.secondMs,
      },
    },
    retry,
    throttling,
  );
}
