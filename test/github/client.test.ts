import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { createClient, REAL_TIMING, type Timing } from '../../src/github/client.js';
import { explainCommentFailure, RequestTimeout } from '../../src/github/errors.js';
import { FakeGitHub, REPLIES } from '../e2e/fake-github.js';
import { recorded, resetRecorded } from '../action/fake-actions.js';

vi.mock('@actions/core', async (real) => (await import('../action/fake-actions.js')).fakeCore(await real()));

/**
 * The client's retries, rate-limit waits and time limit, against the loopback fake, with its Timing injected:
 * the tests read the waits it asks for (its log) and count its attempts, and sit through no wait.
 */

const OWNER = 'octo-org';
const REPO = 'agents';
const NO_WAITS: Timing = { secondMs: 0, requestTimeoutMs: 30_000 };
const COMMENTS = /^\/repos\/octo-org\/agents\/issues\/42\/comments$/;

async function client(timing = NO_WAITS) {
  resetRecorded();
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: 42 });
  onTestFinished(() => api.stop());
  return { api, github: createClient('a-token', { timing, baseUrl: api.url }) };
}

const create = (github: ReturnType<typeof createClient>, request = {}) =>
  github.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 42, body: 'x', request });
const list = (github: ReturnType<typeof createClient>) => github.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 42 });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the request succeeded'),
    (error: unknown) => error,
  );

describe('createClient', () => {
  test('waits a second of a run per second GitHub asks for, and a time limit of 15 s', () => {
    expect(REAL_TIMING).toEqual({ secondMs: 1000, requestTimeoutMs: 15_000 });
  });

  test('retries a secondary rate limit twice after the wait retry-after asks for, then gives up', async () => {
    const { api, github } = await client();
    api.script('POST', COMMENTS, REPLIES.secondaryRateLimit(429, '7'), 10);
    const error = await failure(create(github));
    expect(api.requests).toHaveLength(3);
    expect(recorded.log).toEqual([
      'GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments: retrying in 7 s',
      'GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments: retrying in 7 s',
    ]);
    expect(explainCommentFailure(error, { readOnlyToken: false })).toContain('rate limit refused the request (429)');
  });

  test('retries a server error twice on a read, never on a create', async () => {
    const { api, github } = await client();
    api.script('GET', COMMENTS, REPLIES.serverError, 10);
    await failure(list(github));
    expect(api.requests).toHaveLength(3);
    api.script('POST', COMMENTS, REPLIES.serverError);
    await failure(create(github, { retries: 0 }));
    expect(api.requests).toHaveLength(4);
  });

  test.for([
    ['401', REPLIES.unauthorized],
    ['404', REPLIES.notFound],
    ['422', REPLIES.bodyTooLong],
  ] as const)('does not retry a %s', async ([, reply]) => {
    const { api, github } = await client();
    api.script('POST', COMMENTS, reply);
    await failure(create(github));
    expect(api.requests).toHaveLength(1);
    expect(recorded.log).toEqual([]);
  });

  test('gives up on a request with no answer after the time limit, once, and names the limit', async () => {
    const { api, github } = await client({ ...NO_WAITS, requestTimeoutMs: 150 });
    api.script('GET', COMMENTS, 'no answer');
    const error = await failure(list(github));
    expect(error).toBeInstanceOf(RequestTimeout);
    expect((error as Error).message).toBe('GitHub did not answer within 0.15 s');
    expect(api.requests).toHaveLength(1);
  });
});

describe('explainCommentFailure', () => {
  test.for([
    [{ status: 403, response: { headers: {} } }, { readOnlyToken: false }, 'permissions: pull-requests: write'],
    [{ status: 403, response: { headers: {} } }, { readOnlyToken: true }, 'pull requests from forks get a read-only token'],
    [{ status: 503, response: { headers: {} } }, { readOnlyToken: false }, "GitHub's API failed with 503"],
    [{ status: 418, message: 'teapot', response: { headers: {} } }, { readOnlyToken: false }, 'GitHub answered 418: '],
    [new Error('socket hang up'), { readOnlyToken: false }, 'socket hang up.'],
  ] as const)('%j', ([error, pr, explains]) => {
    const text = explainCommentFailure(error, pr);
    expect(text).toContain(explains);
    expect(text).toMatch(
      /^aivss-gate could not write the pull-request comment: .* The verdict stands; the job summary has the full report\.$/,
    );
  });
});
