import { readFile } from 'node:fs/promises';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ACTIONS_BOT, FakeGitHub, MALLORY, REPLIES, REVIEWER, TOKEN, type FakeGitHubOptions } from './fake-github.js';
import { HEAD_SHA, OWNER, PR_NUMBER, REPO, RUN_ID, runAction, type ActionRun, type RunOptions } from './runner.js';

const LIST = `/repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`;
const PULL = `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`;
const MARKER = '<!-- aivss-gate:header= -->';

const PASSING: RunOptions['files'] = { 'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' } };
const FAILING: RunOptions['files'] = {
  ...PASSING,
  'threat-models/deploy.yaml': { fixture: 'critical.threat-model.yaml' },
  'threat-models/broken.yaml': { fixture: 'invalid.threat-model.yaml' },
};

async function startApi(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER, ...options });
  onTestFinished(() => api.stop());
  return api;
}

async function run(api: FakeGitHub | null, options: Partial<RunOptions> = {}): Promise<ActionRun> {
  const result = await runAction({ files: PASSING, ...options, ...(api ? { apiUrl: api.url } : {}) });
  expect(result.stderr).toBe('');
  expect(result.stdout).not.toContain(TOKEN);
  // Every workflow command on stdout is one the action meant: no text from a file became a command.
  for (const command of result.commands)
    expect(command).toMatch(/^::(error|warning|notice)( title=aivss-gate%3A [^,:]+,file=[^,:]+,line=\d+)?::/);
  if (api) expect(api.violations).toEqual([]);
  return result;
}

const warnings = (result: ActionRun) => result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('the pull-request comment', () => {
  test('the first run creates it, after the verdict and outputs are recorded', async () => {
    const api = await startApi();
    const result = await run(api, { files: FAILING });

    expect(result.exitCode).toBe(1);
    expect(api.calls()).toEqual([`GET ${LIST}`, PULL, `POST ${LIST}`, `GET ${LIST}`]);
    expect(api.requests[0]!.query.get('per_page')).toBe('100');
    expect(api.comments).toHaveLength(1);
    const [comment] = api.comments;
    expect(comment!.body.split('\n')[0]).toBe(MARKER);
    expect(comment!.body).toContain(`commit [${HEAD_SHA.slice(0, 7)}](https://github.com/${OWNER}/${REPO}/commit/${HEAD_SHA})`);
    expect(comment!.body).toContain(`[workflow run](https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID})`);
    expect(comment!.body).toContain('AIVSS gate failed');
    expect(result.outputs).toMatchObject({
      verdict: 'fail',
      'max-score': '10.0',
      'max-severity': 'critical',
      models: '3',
      failed: '2',
      'comment-id': String(comment!.id),
      'comment-url': `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-${comment!.id}`,
    });
    const report = JSON.parse(await readFile(result.outputs['report-json']!, 'utf8')) as { verdict: string; models: unknown[] };
    expect(report.verdict).toBe('fail');
    expect(report.models).toHaveLength(3);
    expect(result.summary).toContain('AIVSS gate failed');
    expect(result.summary).toContain('Deploy Agent');
  });

  test('the second run updates it in place (PATCH), and an unchanged report is not written again', async () => {
    const api = await startApi();
    await run(api);
    const [first] = api.comments;
    api.headSha = 'd00dfeedca1ab1e0ddba11feedfacade00000002';
    const second = await run(api, { headSha: 'd00dfeedca1ab1e0ddba11feedfacade00000002' });
    const third = await run(api, { headSha: 'd00dfeedca1ab1e0ddba11feedfacade00000002' });

    expect(api.calls()).toEqual([
      `GET ${LIST}`,
      PULL,
      `POST ${LIST}`,
      `GET ${LIST}`,
      `GET ${LIST}`,
      'POST graphql',
      PULL,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${first!.id}`,
      `GET ${LIST}`,
      'POST graphql',
    ]);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('commit [d00dfee](');
    expect(second.outputs['comment-id']).toBe(String(first!.id));
    expect(third.outputs['comment-id']).toBe(String(first!.id));
    expect(third.stdout).toContain('pull-request comment unchanged');
    expect([second.exitCode, third.exitCode]).toEqual([0, 0]);
  });

  test('our marker on page 3 of 250 comments is found; a marker another user pasted is ignored', async () => {
    const api = await startApi();
    api.addComment(MALLORY, `${MARKER}\nI pasted the marker so that the bot edits my comment.`);
    for (let i = 1; i < 230; i++) api.addComment(REVIEWER, `review note ${i}`);
    const ours = api.addComment(ACTIONS_BOT, `${MARKER}\nan older report`);
    for (let i = 231; i < 250; i++) api.addComment(REVIEWER, `review note ${i}`);
    expect(api.comments).toHaveLength(250);

    await run(api);

    expect(api.calls()).toEqual([
      `GET ${LIST}`,
      'POST graphql',
      `GET ${LIST}`,
      `GET ${LIST}`,
      PULL,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${ours.id}`,
    ]);
    expect(api.requests.filter((r) => r.path === LIST).map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
    expect(api.comments[0]!.body).toContain('I pasted the marker');
    expect(ours.body).toContain('AIVSS gate passed');
  });

  test('a first comment among 250 costs one pass over them and one write; the race check asks only for newer comments', async () => {
    const api = await startApi();
    // Written an hour ago.
    for (let i = 0; i < 250; i++) api.addComment(REVIEWER, `review note ${i}`).updatedAt -= 3_600_000;

    await run(api);

    expect(api.calls()).toEqual([`GET ${LIST}`, `GET ${LIST}`, `GET ${LIST}`, PULL, `POST ${LIST}`, `GET ${LIST}`]);
    const listings = api.requests.filter((r) => r.path === LIST && r.method === 'GET');
    expect(listings.map((r) => r.query.get('page'))).toEqual([null, '2', '3', null]);
    expect(listings.slice(0, 3).every((r) => r.query.get('since') === null)).toBe(true);
    // Only comments updated since a minute before the pass: here, the one just posted.
    expect(Date.parse(listings[3]!.query.get('since')!)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(api.comments).toHaveLength(251);
  });

  test("a foreign marker alone is ignored: a new comment is posted and the other user's is left alone", async () => {
    const api = await startApi();
    const foreign = api.addComment(MALLORY, `${MARKER}\nfake report`);

    const result = await run(api);

    expect(api.calls()).toEqual([`GET ${LIST}`, 'POST graphql', PULL, `POST ${LIST}`, `GET ${LIST}`]);
    expect(foreign.body).toBe(`${MARKER}\nfake report`);
    expect(result.outputs['comment-id']).not.toBe(String(foreign.id));
  });

  test('a token that writes as a user (a PAT) finds its own comment, not the bot one', async () => {
    const me = { login: 'release-bot-user', id: 5_150_150, type: 'User' as const };
    const api = await startApi({ viewer: me });
    api.addComment(ACTIONS_BOT, `${MARKER}\nwritten by the workflow token`);
    const mine = api.addComment(me, `${MARKER}\nwritten by the PAT`);

    await run(api);

    expect(api.calls()).toEqual([`GET ${LIST}`, 'POST graphql', PULL, `PATCH /repos/${OWNER}/${REPO}/issues/comments/${mine.id}`]);
  });

  test('two comment-headers keep two comments', async () => {
    const api = await startApi();
    await run(api, { with: { 'comment-header': 'agents' } });
    await run(api, { with: { 'comment-header': 'tools' } });
    await run(api, { with: { 'comment-header': 'agents' } });

    expect(api.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- aivss-gate:header=agents -->',
      '<!-- aivss-gate:header=tools -->',
    ]);
    expect(api.calls().filter((c) => c.startsWith('POST /') || c.startsWith('PATCH'))).toHaveLength(2);
  });

  test('recreate deletes our comment and posts a new one', async () => {
    const api = await startApi();
    const old = api.addComment(ACTIONS_BOT, `${MARKER}\nold`);

    const result = await run(api, { with: { comment: 'recreate' } });

    expect(api.calls()).toEqual([
      `GET ${LIST}`,
      'POST graphql',
      PULL,
      `DELETE /repos/${OWNER}/${REPO}/issues/comments/${old.id}`,
      `POST ${LIST}`,
      `GET ${LIST}`,
    ]);
    expect(api.comments).toHaveLength(1);
    expect(result.outputs['comment-id']).toBe(String(api.comments[0]!.id));
  });

  test('on-failure posts nothing on a pass, but keeps an existing comment up to date', async () => {
    const api = await startApi();
    await run(api, { with: { comment: 'on-failure' } });
    expect(api.calls()).toEqual([`GET ${LIST}`]);

    await run(api, { with: { comment: 'on-failure' }, files: FAILING });
    await run(api, { with: { comment: 'on-failure' } });
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('AIVSS gate passed');
  });

  test('comment: off makes no API call at all', async () => {
    const api = await startApi();
    const result = await run(api, { with: { comment: 'off' }, files: FAILING });
    expect(api.requests).toEqual([]);
    expect(result.exitCode).toBe(1);
  });

  test('a push event gates and writes the summary, and posts nothing', async () => {
    const api = await startApi();
    const result = await run(api, { event: 'push', files: FAILING });
    expect(api.requests).toEqual([]);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.outputs['comment-id']).toBeUndefined();
    expect(result.summary).toContain('AIVSS gate failed');
  });

  test('GitHub Enterprise Server: the API under /api/v3 and GraphQL at /api/graphql', async () => {
    const api = await startApi({ basePath: '/api/v3', description: 'ghes-3.19' });
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const ours = api.addComment(ACTIONS_BOT, `${MARKER}\nold`);

    await run(api);

    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${LIST}`,
      'POST graphql',
      PULL,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${ours.id}`,
    ]);
    expect(ours.body).toContain('AIVSS gate passed');
  });
});

describe('API failures never change the verdict', () => {
  test('403 on create: the verdict stands and a warning says which permission to add', async () => {
    const api = await startApi();
    api.script('POST', /comments$/, REPLIES.forbidden);

    const result = await run(api, { files: FAILING });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(api.calls()).toEqual([`GET ${LIST}`, PULL, `POST ${LIST}`]);
    expect(warnings(result)).toEqual([expect.stringContaining('permissions: pull-requests: write')]);
    expect(warnings(result)[0]).toContain('The verdict stands');
  });

  test('403 on a pull request from a fork: the warning explains the read-only token', async () => {
    const api = await startApi();
    api.script('POST', /comments$/, REPLIES.forbidden);

    const result = await run(api, { forkOf: 'mallory/agents' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(warnings(result)).toEqual([expect.stringContaining('pull requests from forks get a read-only token')]);
  });

  test('404 on the listing: a warning, no write', async () => {
    const api = await startApi();
    api.script('GET', /comments$/, REPLIES.notFound);
    const result = await run(api);
    expect(api.calls()).toEqual([`GET ${LIST}`]);
    expect(warnings(result)).toEqual([expect.stringContaining('(404)')]);
    expect(result.exitCode).toBe(0);
  });

  // Retries, rate-limit waits and the request time limit: test/action/failures.test.ts, in process, with the
  // client's waits injected.
  test('a 502 on create is not retried, since GitHub may have created the comment all the same', async () => {
    const api = await startApi();
    api.script('POST', /comments$/, REPLIES.badGateway);
    const result = await run(api);
    expect(api.calls()).toEqual([`GET ${LIST}`, PULL, `POST ${LIST}`]);
    expect(warnings(result)).toEqual([expect.stringContaining('failed with 502')]);
    expect(result.exitCode).toBe(0);
  });
});

describe('what reaches the comment, the log and the annotations', () => {
  test('a threat model that tries to inject markdown, HTML, mentions or our marker is inert', async () => {
    const api = await startApi();
    const result = await run(api, { files: { ...PASSING, 'threat-models/injection.yaml': { fixture: 'injection.threat-model.yaml' } } });
    const body = api.comments[0]!.body;

    expect(body.indexOf('<!-- aivss-gate')).toBe(0);
    expect(body.lastIndexOf('<!-- aivss-gate')).toBe(0);
    const tree = fromMarkdown(body);
    const kinds = new Set<string>();
    const tags: string[] = [];
    const texts: string[] = [];
    const urls: string[] = [];
    const visit = (node: { type: string; value?: string; url?: string; children?: unknown[] }) => {
      kinds.add(node.type);
      if (node.type === 'link') urls.push(node.url!);
      if (node.type === 'html') tags.push(...(node.value!.match(/<[^>]*>/g) ?? []));
      if (node.type === 'text' || node.type === 'inlineCode') texts.push(node.value!);
      for (const child of node.children ?? []) visit(child as typeof node);
    };
    visit(tree);
    // The only links are the renderer's own: this repository at the head commit, the run, the tags' definitions.
    expect(
      urls.filter(
        (url) => !url.startsWith(`https://github.com/${OWNER}/${REPO}/`) && !/^https:\/\/(genai\.owasp\.org|atlas\.mitre\.org)\//.test(url),
      ),
    ).toEqual([]);
    for (const kind of ['image', 'linkReference', 'imageReference', 'definition', 'code']) expect(kinds).not.toContain(kind);
    const allowed = /^<(\/?(details|summary|sub|b|br)|details open|!-- aivss-gate:header= --)>$/;
    expect(tags.filter((tag) => !allowed.test(tag))).toEqual([]);
    expect(tags.filter((tag) => tag.startsWith('<!--'))).toHaveLength(1);
    // A word joiner after "@", "#" or "://" keeps GitHub from notifying anyone or linking anything.
    expect(body).not.toMatch(/@(octocat|admin|everyone|org)|#1\b|GH-2|https?:\/\/evil|www\.evil/);
    expect(texts.join('\n')).toContain('@\u2060octocat');
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<script');
    expect(result.stdout).not.toContain('::set-output');
    expect(result.stdout).not.toContain('::add-mask::');
  });

  test('a file name that looks like a workflow command stays data in the log', async () => {
    const result = await run(null, {
      event: 'push',
      files: { 'threat-models/::warning::forged.yaml': { fixture: 'critical.threat-model.yaml' } },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error' && a.properties.file)?.properties.file).toBe(
      'threat-models/::warning::forged.yaml',
    );
    expect(warnings(result)).toEqual([]);
  });

  test('a report too large for one comment is cut cleanly; the job summary keeps every model', async () => {
    const api = await startApi();
    const files: RunOptions['files'] = {};
    for (let i = 0; i < 40; i++) files[`threat-models/agent-${String(i).padStart(2, '0')}.yaml`] = { text: bigModel(i) };

    const result = await run(api, { files });
    const body = api.comments[0]!.body;

    expect(body.length).toBeLessThan(65_536);
    expect(body.length).toBeGreaterThan(40_000);
    expect(body.split('\n')[0]).toBe(MARKER);
    expect(body).toMatch(/> \[!NOTE\]\n> This report is too long .* The job summary/);
    expect(body.match(/<details/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0);
    expect(body.endsWith('\n')).toBe(true);
    expect(api.calls()).toEqual([`GET ${LIST}`, PULL, `POST ${LIST}`, `GET ${LIST}`]);
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(result.summary).toContain('Agent 39');
    expect(result.summary).not.toContain('[!NOTE]');
  });

  test('a job summary of multi-byte text stays within 1 MiB of UTF-8', async () => {
    const files: RunOptions['files'] = {};
    for (let i = 0; i < 30; i++)
      files[`threat-models/agent-${String(i).padStart(2, '0')}.yaml`] = { text: bigModel(i, '脅威モデル ', 200) };

    const result = await run(null, { event: 'push', files });

    expect(result.summary.length).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(result.summary).toMatch(/> \[!NOTE\]\n> This report is too long .* `report-json`/);
  });
});

describe('annotations', () => {
  test('one per failing model at its file and line, ten per level at most, paths from the checkout root', async () => {
    const files: RunOptions['files'] = {};
    for (let i = 0; i < 12; i++)
      files[`services/agents/threat-models/critical-${String(i).padStart(2, '0')}.yaml`] = { fixture: 'critical.threat-model.yaml' };
    files['services/agents/threat-models/broken.yaml'] = { fixture: 'invalid.threat-model.yaml' };

    const result = await run(null, { event: 'push', files, with: { 'working-directory': 'services/agents' } });

    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    const located = errors.filter((a) => a.properties.file);
    expect(located).toHaveLength(9);
    for (const annotation of located) expect(annotation.properties.file).toMatch(/^services\/agents\/threat-models\//);
    expect(result.stdout).toContain('4 more error annotations left out');
    expect(result.exitCode).toBe(1);
  });

  test('an invalid model is annotated at the line of its first problem; warn-only turns errors into warnings', async () => {
    const result = await run(null, { event: 'push', files: FAILING, with: { 'warn-only': 'true' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    const broken = result.annotations.find((a) => a.properties.file === 'threat-models/broken.yaml')!;
    expect(broken.level).toBe('warning');
    expect(Number(broken.properties.line)).toBeGreaterThan(1);
  });
});

describe('inputs', () => {
  test('an invalid input fails the step with exit status 2 and names the input, before any API call', async () => {
    const api = await startApi();
    const result = await run(api, { with: { 'fail-on': 'extreme' } });
    expect(result.exitCode).toBe(2);
    // A report all the same, which says that the gate could not run.
    expect(result.outputs).toMatchObject({ verdict: 'fail', models: '0', failed: '0', 'report-json': expect.any(String) });
    expect(result.annotations[0]!.message).toContain('fail-on');
    expect(api.requests).toEqual([]);
  });

  test('an explicit input overrides the config file, which overrides the built-in default', async () => {
    const builtIn = await run(null, { event: 'push', files: FAILING });
    expect(builtIn.outputs).toMatchObject({ verdict: 'fail', failed: '2' });
    const files = { ...FAILING, '.aivss-gate.yml': { text: 'fail-on: critical\non-invalid: warn\n' } };
    const fromFile = await run(null, { event: 'push', files });
    expect(fromFile.outputs).toMatchObject({ verdict: 'fail', failed: '1' });
    // The input replaces the file's fail-on; the file's on-invalid still applies.
    const fromInput = await run(null, { event: 'push', files, with: { 'fail-on': 'low' } });
    expect(fromInput.outputs).toMatchObject({ verdict: 'fail', failed: '2' });
  });
});

/** A valid model with long texts everywhere, for a report too large for one comment. */
function bigModel(i: number, filler = 'lorem ipsum dolor sit amet ', repeat = 40): string {
  const long = (label: string, words = repeat) => `${label} ${filler.repeat(words)}`.trim();
  const threats = Array.from({ length: 2 }, (_, t) =>
    [
      `      - id: T-${i}-${t}`,
      `        title: "${long(`Threat ${t}`, 10)}"`,
      `        description: "${long('How it happens')}"`,
      '        severity: high',
      '        likelihood: high',
      '        status: open',
    ].join('\n'),
  ).join('\n');
  const layer = (id: string) =>
    `  ${id}:\n    status: mapped\n    summary: "${long(`Layer ${id}`)}"\n    threats:\n${threats.replace(/T-/g, `${id}-`)}`;
  return [
    'formatVersion: 1',
    'agent:',
    `  id: agent-${i}`,
    `  name: Agent ${String(i).padStart(2, '0')}`,
    `  description: "${long('An agent')}"`,
    'aivss:',
    '  factors: { autonomy: 0.5, planning: 0.5, self-modification: 0, tool-use: 0.5, memory: 0.5, context: 0.5, identity: 0, multi-agent: 0, non-determinism: 0.5, opacity: 0.5 }',
    '  cvss: 5.0',
    'layers:',
    ...['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'].map(layer),
  ].join('\n');
}
