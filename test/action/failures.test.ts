import { readFile } from 'node:fs/promises';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { ACTIONS_BOT, FakeGitHub, REPLIES } from '../e2e/fake-github.js';
import { HEAD_SHA, OWNER, PR_NUMBER, REPO, type RunOptions } from '../e2e/runner.js';
import { NO_WAITS, runInProcess, warnings, type InProcessRun } from './harness.js';

vi.mock('@actions/core', async (real) => (await import('./fake-actions.js')).fakeCore(await real()));

/**
 * Failing infrastructure, in process: whatever the GitHub API does, the exit status is the verdict, the outputs
 * and the job summary are written, one warning explains the failure. The client's waits are injected: the
 * tests check the waits it asks for (in its log) and the attempts it makes, and sit through none of them.
 */

const LIST = /^\/repos\/octo-org\/agents\/issues\/42\/comments$/;
const ONE = /^\/repos\/octo-org\/agents\/issues\/comments\/\d+$/;
const PULL = /^\/repos\/octo-org\/agents\/pulls\/42$/;
const MARKER = '<!-- aivss-gate:header= -->';

const PASSING: RunOptions['files'] = { 'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' } };
const FAILING: RunOptions['files'] = { ...PASSING, 'threat-models/deploy.yaml': { fixture: 'critical.threat-model.yaml' } };
const FILES = { pass: PASSING, fail: FAILING };

async function startApi(): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER, headSha: HEAD_SHA });
  onTestFinished(() => api.stop());
  return api;
}

const waitsAskedFor = (result: InProcessRun) => result.log.filter((line) => / rate limit on .*: retrying in \d+ s$/.test(line));

interface Failure {
  name: string;
  /** Our comment exists before the run, so the write is a PATCH rather than a POST. */
  existing?: true;
  fault: (api: FakeGitHub) => void;
  /** The request that fails, and how many times the action sends it: once, or with its bounded retries. */
  failing: { method: string; path: RegExp; attempts: number };
  /** The rate-limit waits the client asks for, in its log. */
  waits?: string[];
  explains: RegExp;
}

const SECONDARY_WAITS = (method: string, path: string) =>
  [1, 2].map(() => `GitHub secondary rate limit on ${method} ${path}: retrying in 1 s`);
const LIST_URL = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const ONE_URL = '/repos/{owner}/{repo}/issues/comments/{comment_id}';

const FAILURES: Failure[] = [
  {
    name: '429 with retry-after, every time',
    fault: (api) => api.script('POST', LIST, REPLIES.secondaryRateLimit(429), 10),
    failing: { method: 'POST', path: LIST, attempts: 3 },
    waits: SECONDARY_WAITS('POST', LIST_URL),
    explains: /rate limit refused the request \(429\)/,
  },
  {
    name: 'secondary rate limit 403 on update, every time',
    existing: true,
    fault: (api) => api.script('PATCH', ONE, REPLIES.secondaryRateLimit(403), 10),
    failing: { method: 'PATCH', path: ONE, attempts: 3 },
    waits: SECONDARY_WAITS('PATCH', ONE_URL),
    explains: /rate limit refused the request \(403\)/,
  },
  {
    name: '500 on the listing, every time',
    fault: (api) => api.script('GET', LIST, REPLIES.serverError, 10),
    failing: { method: 'GET', path: LIST, attempts: 3 },
    explains: /GitHub's API failed with 500/,
  },
  {
    name: 'a connection reset on the listing, every time',
    fault: (api) => api.script('GET', LIST, 'reset', 10),
    failing: { method: 'GET', path: LIST, attempts: 3 },
    explains: /the connection to GitHub failed/,
  },
  {
    name: '401 on the listing',
    fault: (api) => api.script('GET', LIST, REPLIES.unauthorized),
    failing: { method: 'GET', path: LIST, attempts: 1 },
    explains: /the token was refused \(401\): check the github-token input/,
  },
  {
    name: '404 on the pull request',
    fault: (api) => api.script('GET', PULL, REPLIES.notFound),
    failing: { method: 'GET', path: PULL, attempts: 1 },
    explains: /not visible to this token \(404\)/,
  },
  {
    name: '422 "body too long" on create',
    fault: (api) => api.script('POST', LIST, REPLIES.bodyTooLong),
    failing: { method: 'POST', path: LIST, attempts: 1 },
    explains: /GitHub refused the comment \(422: Body is too long \(maximum is 65536 characters\)\)/,
  },
  {
    name: '429 without retry-after: an open-ended wait, not waited for',
    fault: (api) => api.script('POST', LIST, REPLIES.secondaryRateLimit(429, null), 10),
    failing: { method: 'POST', path: LIST, attempts: 1 },
    explains: /rate limit refused the request \(429\)/,
  },
  {
    name: 'a primary rate limit that resets in an hour: not waited for',
    fault: (api) => api.script('GET', LIST, REPLIES.primaryRateLimit(3600)),
    failing: { method: 'GET', path: LIST, attempts: 1 },
    explains: /rate limit refused the request \(403\)/,
  },
  {
    name: '500 on create: not retried, GitHub may have created it',
    fault: (api) => api.script('POST', LIST, REPLIES.serverError),
    failing: { method: 'POST', path: LIST, attempts: 1 },
    explains: /GitHub's API failed with 500/,
  },
  {
    name: 'a connection reset on create',
    fault: (api) => api.script('POST', LIST, 'reset'),
    failing: { method: 'POST', path: LIST, attempts: 1 },
    explains: /the connection to GitHub failed \(other side closed\)/,
  },
];

const CASES = FAILURES.flatMap((failure) => (['pass', 'fail'] as const).map((verdict) => ({ ...failure, verdict })));

describe('a failing GitHub API never changes the verdict, and is explained once', () => {
  test.for(CASES)('$name, verdict $verdict', async (failure) => {
    const api = await startApi();
    const old = failure.existing ? api.addComment(ACTIONS_BOT, `${MARKER}\nold`) : null;
    failure.fault(api);

    const result = await runInProcess({ files: FILES[failure.verdict], apiUrl: api.url });

    expect(result.exitCode).toBe(failure.verdict === 'fail' ? 1 : 0);
    expect(result.outputs).toMatchObject({ verdict: failure.verdict, models: String(Object.keys(FILES[failure.verdict]).length) });
    expect(result.outputs['comment-id']).toBeUndefined();
    expect(JSON.parse(await readFile(result.outputs['report-json']!, 'utf8'))).toMatchObject({ verdict: failure.verdict });
    expect(result.summary).toContain(failure.verdict === 'fail' ? 'AIVSS gate failed' : 'AIVSS gate passed');

    expect(warnings(result)).toEqual([expect.stringMatching(failure.explains)]);
    expect(warnings(result)[0]).toContain('The verdict stands');
    expect(result.log.filter((line) => line.includes('could not write the pull-request comment'))).toEqual([]);
    expect(api.requests.filter((r) => r.method === failure.failing.method && failure.failing.path.test(r.path))).toHaveLength(
      failure.failing.attempts,
    );
    expect(waitsAskedFor(result)).toEqual(failure.waits ?? []);
    expect(api.comments.map((c) => c.body)).toEqual(old ? [old.body] : []);
    expect(api.violations).toEqual([]);
  });
});

describe('the waits the client asks for', () => {
  test('429 with retry-after and a secondary rate limit 403 are retried after the wait GitHub asks for', async () => {
    const api = await startApi();
    api.script('GET', LIST, REPLIES.secondaryRateLimit(429, '3'));
    api.script('POST', LIST, REPLIES.secondaryRateLimit(403));

    const result = await runInProcess({ files: PASSING, apiUrl: api.url });

    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 429',
      'GET 200',
      'GET 200',
      'POST 403',
      'POST 201',
      'GET 200',
    ]);
    expect(waitsAskedFor(result)).toEqual([
      expect.stringMatching(/^GitHub secondary rate limit on GET \S+\/issues\/42\/comments\?per_page=100: retrying in 3 s$/),
      `GitHub secondary rate limit on POST ${LIST_URL}: retrying in 1 s`,
    ]);
    expect(warnings(result)).toEqual([]);
    expect(api.comments).toHaveLength(1);
  });

  test('a primary rate limit that resets within the minute is waited for until the reset', async () => {
    const api = await startApi();
    api.script('GET', LIST, REPLIES.primaryRateLimit(30));
    const result = await runInProcess({ files: PASSING, apiUrl: api.url });
    // plugin-throttling waits until one second past the reset, which it reads against the clock.
    const waits = waitsAskedFor(result).map((line) => Number(/^GitHub primary rate limit on GET .*: retrying in (\d+) s$/.exec(line)?.[1]));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(31);
    expect(warnings(result)).toEqual([]);
    expect(api.comments).toHaveLength(1);
  });

  test('a retry-after longer than a minute is not waited for', async () => {
    const api = await startApi();
    api.script('GET', LIST, REPLIES.secondaryRateLimit(429, '61'));
    const result = await runInProcess({ files: PASSING, apiUrl: api.url });
    expect(api.calls()).toEqual([`GET /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`]);
    expect(waitsAskedFor(result)).toEqual([]);
    expect(warnings(result)).toEqual([expect.stringContaining('rate limit refused the request (429)')]);
  });

  test('a 502 then success: retried', async () => {
    const api = await startApi();
    api.script('GET', LIST, REPLIES.badGateway);
    const result = await runInProcess({ files: PASSING, apiUrl: api.url });
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 502', 'GET 200', 'GET 200', 'POST 201', 'GET 200']);
    expect(warnings(result)).toEqual([]);
  });

  test('502 every time on an update: two retries, then a warning', async () => {
    const api = await startApi();
    api.script('PATCH', ONE, REPLIES.badGateway, 10);
    api.addComment(ACTIONS_BOT, `${MARKER}\nold`);
    const result = await runInProcess({ files: FAILING, apiUrl: api.url });
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect(warnings(result)).toEqual([expect.stringContaining('failed with 502')]);
    expect(result.exitCode).toBe(1);
  });

  // The first request of the run gets no answer: no other request has to beat the short time limit.
  test('a server that never answers is given up on after the request time limit, and not asked again', async () => {
    const api = await startApi();
    api.script('GET', LIST, 'no answer');
    const result = await runInProcess({ files: PASSING, apiUrl: api.url, timing: { ...NO_WAITS, requestTimeoutMs: 200 } });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`]);
    expect(warnings(result)).toEqual([expect.stringContaining('GitHub did not answer within 0.2 s')]);
    expect(result.exitCode).toBe(0);
  });
});
