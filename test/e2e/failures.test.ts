import { readFile } from 'node:fs/promises';
import { describe, test, type ExpectStatic, type TestContext } from 'vitest';
import { ACTIONS_BOT, FakeGitHub, REPLIES, REVIEWER, TOKEN, type ScriptedReply } from './fake-github.js';
import { HEAD_SHA, OWNER, PR_NUMBER, REPO, runAction, type ActionRun, type RunOptions } from './runner.js';

/**
 * Failing infrastructure: whatever the GitHub API does, the exit status is the verdict, the outputs and the job
 * summary are written, and one warning explains the failure. Then two runs of one
 * pull request at once, and what reaches the log. Each test has its own fake server, so they run concurrently.
 */

const LIST = /^\/repos\/octo-org\/agents\/issues\/42\/comments$/;
const PULL = /^\/repos\/octo-org\/agents\/pulls\/42$/;
const MARKER = '<!-- aivss-gate:header= -->';
const COMMENT_FAILED = 'could not write the pull-request comment';

const PASSING: RunOptions['files'] = { 'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' } };
const FAILING: RunOptions['files'] = { ...PASSING, 'threat-models/deploy.yaml': { fixture: 'critical.threat-model.yaml' } };
const FILES = { pass: PASSING, fail: FAILING };
type Verdict = keyof typeof FILES;

async function startApi({ onTestFinished }: TestContext, headSha = HEAD_SHA): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER, headSha });
  onTestFinished(() => api.stop());
  return api;
}

/** The bundle against the fake, with what every run must hold: no stderr, no token, no forged command in the log. */
async function run(expect: ExpectStatic, api: FakeGitHub, options: Partial<RunOptions> = {}): Promise<ActionRun> {
  const result = await runAction({ files: PASSING, apiUrl: api.url, ...options });
  expect(result.stderr).toBe('');
  expect(result.stdout).not.toContain(TOKEN);
  for (const command of result.commands)
    expect(command).toMatch(/^::(error|warning|notice)( title=aivss-gate%3A [^,:]+,file=[^,:]+,line=\d+)?::/);
  expect(legacyCommands(result)).toEqual([]);
  expect(api.violations).toEqual([]);
  return result;
}

/** Lines that are no `::` command but that the runner reads as one in the legacy form `##[command]`, anywhere in a line. */
const legacyCommands = (result: ActionRun) =>
  result.stdout.split('\n').filter((line) => !line.trimStart().startsWith('::') && line.includes('##['));
const warnings = (result: ActionRun) => result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const linesWith = (result: ActionRun, text: string) => result.stdout.split('\n').filter((line) => line.includes(text));

interface Failure {
  name: string;
  fault: (api: FakeGitHub) => void;
  /** The request that fails; the action sends it once. */
  failing: { method: string; path: RegExp };
  explains: RegExp;
}

// Failures that no retry waits for; the retries, rate-limit waits and time limits are tested in process, with the
// client's waits injected (test/action/failures.test.ts).
const FAILURES: Failure[] = [
  {
    name: '401 on the listing',
    fault: (api) => api.script('GET', LIST, REPLIES.unauthorized),
    failing: { method: 'GET', path: LIST },
    explains: /the token was refused \(401\): check the github-token input/,
  },
  {
    name: '422 "body too long" on create',
    fault: (api) => api.script('POST', LIST, REPLIES.bodyTooLong),
    failing: { method: 'POST', path: LIST },
    explains: /GitHub refused the comment \(422: Body is too long \(maximum is 65536 characters\)\)/,
  },
  {
    name: '429 without retry-after: an open-ended wait, not waited for',
    fault: (api) => api.script('POST', LIST, REPLIES.secondaryRateLimit(429, null), 10),
    failing: { method: 'POST', path: LIST },
    explains: /rate limit refused the request \(429\)/,
  },
  {
    name: 'a connection reset on create',
    fault: (api) => api.script('POST', LIST, 'reset'),
    failing: { method: 'POST', path: LIST },
    explains: /the connection to GitHub failed \(other side closed\)/,
  },
];

const CASES = FAILURES.flatMap((failure) => (['pass', 'fail'] as const).map((verdict) => ({ ...failure, verdict })));

describe.concurrent('a failing GitHub API never changes the verdict, and is explained once', () => {
  test.for(CASES)('$name, verdict $verdict', async (failure, context) => {
    const { expect } = context;
    const api = await startApi(context);
    failure.fault(api);

    const result = await run(expect, api, { files: FILES[failure.verdict as Verdict] });

    expect(result.exitCode).toBe(failure.verdict === 'fail' ? 1 : 0);
    expect(result.outputs).toMatchObject({
      verdict: failure.verdict,
      models: String(Object.keys(FILES[failure.verdict as Verdict]).length),
    });
    expect(result.outputs['comment-id']).toBeUndefined();
    expect(JSON.parse(await readFile(result.outputs['report-json']!, 'utf8'))).toMatchObject({ verdict: failure.verdict });
    expect(result.summary).toContain(failure.verdict === 'fail' ? 'AIVSS gate failed' : 'AIVSS gate passed');

    expect(warnings(result)).toEqual([expect.stringMatching(failure.explains)]);
    expect(warnings(result)[0]).toContain('The verdict stands');
    expect(linesWith(result, COMMENT_FAILED)).toHaveLength(1);
    expect(api.requests.filter((r) => r.method === failure.failing.method && failure.failing.path.test(r.path))).toHaveLength(1);
    expect(api.comments).toEqual([]);
  });
});

interface BrokenListing {
  name: string;
  fault: (api: FakeGitHub) => void;
  explains: RegExp;
}

const CONFLICT: ScriptedReply = { status: 409, body: { message: 'Conflict', documentation_url: 'https://docs.github.com/rest' } };

/** Each fault hits the first page of the comments, or with `skip` 1 the second, where our comment is. */
const BROKEN_LISTINGS: BrokenListing[] = [
  { name: 'stalled halfway', fault: (api) => api.script('GET', LIST, 'stalled'), explains: /GitHub did not answer within 15 s/ },
  { name: 'cut short, every time', fault: (api) => api.script('GET', LIST, 'cut short', 10), explains: /the connection to GitHub failed/ },
  {
    name: 'said to be JSON but not JSON, every time',
    fault: (api) => api.script('GET', LIST, { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"id": 1,' }, 10),
    explains: /GitHub's answer to GET \/repos\/octo-org\/agents\/issues\/42\/comments is not complete JSON/,
  },
  { name: 'JSON null', fault: (api) => api.script('GET', LIST, { status: 200, body: null }), explains: /something other than a list/ },
  {
    name: 'an object with a count and a list',
    fault: (api) => api.script('GET', LIST, { status: 200, body: { total_count: 0, comments: [] } }),
    explains: /something other than a list/,
  },
  {
    name: 'a next page that fails with 409, every time',
    fault: (api) => api.script('GET', LIST, CONFLICT, 10, 1),
    explains: /GitHub answered 409: Conflict/,
  },
  {
    name: 'a next page on another host, which would get the token',
    fault: (api) =>
      api.script('GET', LIST, {
        status: 200,
        headers: { link: '<http://127.0.0.2:9/repositories/1/issues/42/comments?page=2>; rel="next"' },
        body: [],
      }),
    explains: /GitHub's next page of the list of comments is not on the API's host/,
  },
  {
    name: 'a next page that fails with 500, every time',
    fault: (api) => api.script('GET', LIST, REPLIES.serverError, 10, 1),
    explains: /GitHub's API failed with 500/,
  },
];

describe.concurrent('a listing of the comments that is not whole is a failure, never "no comment"', () => {
  test.for(BROKEN_LISTINGS)('$name: no write, one warning, the verdict stands', { timeout: 60_000 }, async (broken, context) => {
    const { expect } = context;
    const api = await startApi(context);
    for (let i = 0; i < 100; i++) api.addComment(REVIEWER, `review ${i}`);
    api.addComment(ACTIONS_BOT, `${MARKER}\nold`);
    const before = api.comments.map((c) => c.body);
    broken.fault(api);

    const result = await run(expect, api, { files: FAILING });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(api.requests.filter((r) => r.method !== 'GET' && r.path !== 'graphql')).toEqual([]);
    expect(api.comments.map((c) => c.body)).toEqual(before);
    expect(warnings(result)).toEqual([expect.stringMatching(broken.explains)]);
    expect(warnings(result)[0]).toContain('The verdict stands');
  });
});

const NEWER_SHA = 'd00dfeedca1ab1e0ddba11feedfacade00000002';
const describes = (sha: string) => `commit [${sha.slice(0, 7)}]`;
/** The bodies the runs wrote (POST or PATCH). */
const written = (api: FakeGitHub) =>
  api.requests
    .filter((r) => (r.method === 'POST' && LIST.test(r.path)) || r.method === 'PATCH')
    .map((r) => (r.body as { body: string }).body);

describe.concurrent('two runs of one pull request at once', () => {
  test.for([{ existing: false }, { existing: true }])(
    "an older commit's run and a newer one's, started together, leave one comment: the newer commit's (a comment before: $existing)",
    async ({ existing }, context) => {
      const { expect } = context;
      const api = await startApi(context, NEWER_SHA);
      if (existing) api.addComment(ACTIONS_BOT, `${MARKER}\nan earlier commit's report`);
      // Both have listed the comments before either asks for the pull request's head.
      api.barrier('GET', PULL, 2);

      const [older, newer] = await Promise.all([
        run(expect, api, { headSha: HEAD_SHA, files: FAILING }),
        run(expect, api, { headSha: NEWER_SHA }),
      ]);

      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain(describes(NEWER_SHA));
      expect(written(api).filter((body) => body.includes(describes(HEAD_SHA)))).toEqual([]);
      expect(older.stdout).toContain('pull-request comment left to the run of the newer head commit');
      expect(older.outputs['comment-id']).toBeUndefined();
      expect(newer.outputs['comment-id']).toBe(String(api.comments[0]!.id));
      expect([older.exitCode, newer.exitCode]).toEqual([1, 0]);
    },
  );

  test("an older commit's run that ends after the newer one's has written does not overwrite it", async (context) => {
    const { expect } = context;
    const api = await startApi(context, NEWER_SHA);
    await run(expect, api, { headSha: NEWER_SHA });
    const older = await run(expect, api, { headSha: HEAD_SHA, files: FAILING });

    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain(describes(NEWER_SHA));
    expect(api.calls().slice(4)).toEqual([
      `GET /repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`,
      'POST graphql',
      `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`,
    ]);
    expect(older.exitCode).toBe(1);
  });

  test('two runs of one commit that both found no comment and both posted one leave one', async (context) => {
    const { expect } = context;
    const api = await startApi(context);
    api.barrier('GET', PULL, 2);

    const runs = await Promise.all([run(expect, api), run(expect, api)]);

    expect(api.requests.filter((r) => r.method === 'POST' && LIST.test(r.path))).toHaveLength(2);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain(describes(HEAD_SHA));
    // Every run keeps the newest: only the earlier post is deleted, by one run or by both.
    const deleted = api.requests.filter((r) => r.method === 'DELETE').map((r) => Number(r.path.split('/').at(-1)));
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((id) => id < api.comments[0]!.id)).toBe(true);
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(runs.flatMap(warnings)).toEqual([]);
  });
});

describe.concurrent('the log', () => {
  test('a file name holding a legacy workflow command stays data: no line turns into ##[stop-commands] or ##[set-output]', async ({
    expect,
  }) => {
    const stop = 'threat-models/##[stop-commands]token.yaml';
    const output = 'threat-models/x ##[set-output name=verdict;]pass.yaml';
    const result = await runAction({
      event: 'push',
      files: { [stop]: { fixture: 'critical.threat-model.yaml' }, [output]: { fixture: 'invalid.threat-model.yaml' } },
    });

    expect(result.stderr).toBe('');
    expect(legacyCommands(result)).toEqual([]);
    expect(result.stdout).toContain(`aivss-gate: ${stop.replace('##[', '##\u2060[')}: score 10.0`);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    // Annotations are `::` commands, read as such before the legacy form is tried: their file stays exact.
    expect(result.annotations.flatMap((a) => a.properties.file ?? []).sort()).toEqual([stop, output].sort());
  });
});
