import { mkdir, mkdtemp, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { SAVED_REPORT_MAX_BYTES } from '../../src/action/saved-report.js';
import { ACTIONS_BOT, FakeGitHub, TOKEN } from './fake-github.js';
import { HEAD_SHA, OWNER, REPO, RUN_ID, runAction, workflowRunPayload, type ActionRun, type RunOptions } from './runner.js';

/**
 * The fork recipe's second workflow: a workflow_run run that publishes the report a pull_request run saved. It
 * checks nothing out; the report is untrusted, and the pull request is the one GitHub's API names.
 */

/** The number GitHub's API gives the fork's pull request: nothing else in these runs says 77. */
const FORK_PR = 77;
const FORK = 'mallory/agents';
const BRANCH = 'feature';
const LIST = `/repos/${OWNER}/${REPO}/issues/${FORK_PR}/comments`;
const PULLS = `GET /repos/${OWNER}/${REPO}/pulls`;
const ARTIFACT = 'aivss-gate-report/report.json';

type SavedReport = Record<string, unknown> & { models: Record<string, unknown>[]; reasons: string[]; comparison: Record<string, unknown> };
let saved: SavedReport;

beforeAll(async () => {
  // The first workflow: a fork's pull request, gated with the comment off (its token is read-only), which saves the report.
  const gate = await runAction({
    forkOf: FORK,
    with: { comment: 'off' },
    files: {
      'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' },
      'threat-models/deploy.yaml': { fixture: 'critical.threat-model.yaml' },
    },
  });
  expect(gate.exitCode).toBe(1);
  saved = JSON.parse(await readFile(gate.outputs['report-json']!, 'utf8')) as SavedReport;
  expect(saved.comparison).not.toBeNull();
});

async function startApi(): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: FORK_PR });
  api.pulls = [{ number: FORK_PR, headRepository: FORK, headRef: BRANCH, headSha: HEAD_SHA, baseSha: 'b'.repeat(40) }];
  onTestFinished(() => api.stop());
  return api;
}

/** The triggering run: a pull_request run of the fork's branch, whose pull_requests list GitHub leaves empty. */
function payload(change: (run: ReturnType<typeof workflowRunPayload>['workflow_run']) => void = () => {}) {
  const event = workflowRunPayload();
  const [owner, name] = FORK.split('/') as [string, string];
  event.workflow_run.head_repository = {
    ...event.workflow_run.head_repository!,
    full_name: FORK,
    name,
    owner: { ...event.workflow_run.head_repository!.owner, login: owner },
  };
  event.workflow_run.head_branch = BRANCH;
  event.workflow_run.head_sha = HEAD_SHA;
  change(event.workflow_run);
  return event;
}

/** The downloaded artifact, in an otherwise empty workspace: nothing of the pull request is checked out. */
async function artifact(content: string | unknown): Promise<string> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-artifact-'));
  await mkdir(path.join(workspace, path.dirname(ARTIFACT)));
  await writeFile(path.join(workspace, ARTIFACT), typeof content === 'string' ? content : JSON.stringify(content));
  return workspace;
}

async function publish(api: FakeGitHub, workspace: string, options: Partial<RunOptions> = {}): Promise<ActionRun> {
  const result = await runAction({
    apiUrl: api.url,
    event: 'workflow_run',
    workspace,
    payload: payload(),
    ...options,
    with: { report: ARTIFACT, ...options.with },
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).not.toContain(TOKEN);
  for (const command of result.commands) expect(command).toMatch(/^::(error|warning|notice)::/);
  expect(api.violations).toEqual([]);
  return result;
}

const warnings = (result: ActionRun) => result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('the comment from a saved report', () => {
  test('is posted on the pull request GitHub names for the triggering run; the step mirrors the verdict in its outputs only', async () => {
    const api = await startApi();
    const result = await publish(api, await artifact(saved));

    expect(api.calls()).toEqual([PULLS, `GET ${LIST}`, `GET /repos/${OWNER}/${REPO}/pulls/${FORK_PR}`, `POST ${LIST}`, `GET ${LIST}`]);
    expect(Object.fromEntries(api.requests[0]!.query)).toEqual({ state: 'open', head: `mallory:${BRANCH}`, per_page: '100' });
    const [comment] = api.comments;
    expect(comment!.body.split('\n')[0]).toBe('<!-- aivss-gate:header= -->');
    expect(comment!.body).toContain('AIVSS gate failed');
    // Links name the run that made the report and its head commit, not this run.
    expect(comment!.body).toContain(`commit [${HEAD_SHA.slice(0, 7)}](https://github.com/${OWNER}/${REPO}/commit/${HEAD_SHA})`);
    expect(comment!.body).toMatch(/\[workflow run\]\(https:\/\/github\.com\/octo-org\/agents\/actions\/runs\/(\d+)\)/);
    expect(comment!.body).not.toContain(`/actions/runs/${RUN_ID})`);
    expect(comment!.body).toContain('Deploy Agent');
    expect(result.summary).toContain('AIVSS gate failed');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      verdict: 'fail',
      'max-score': '10.0',
      'max-severity': 'critical',
      models: '2',
      failed: '1',
      'comment-id': String(comment!.id),
    });
    expect(result.outputs['comment-url']).toContain(`/pull/${FORK_PR}#issuecomment-`);
    expect(JSON.parse(await readFile(result.outputs['report-json']!, 'utf8'))).toEqual(saved);
    expect(result.stdout).toContain('this run only publishes it');
    // No file annotations: the files are not in this run's checkout, and its check belongs to the default branch.
    expect(result.annotations.filter((a) => a.properties.file)).toEqual([]);
  });

  test('a gate that could not run saves a report all the same, and the comment says so in place of an older verdict', async () => {
    // The first workflow, with a config file it cannot read: exit 2, and a report to upload.
    const gate = await runAction({
      forkOf: FORK,
      with: { comment: 'off' },
      files: { '.aivss-gate.yml': { text: 'fail-on: sometimes\n' }, 'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' } },
    });
    expect(gate.exitCode).toBe(2);
    expect(gate.outputs).toMatchObject({ verdict: 'fail', models: '0', failed: '0' });
    expect(gate.summary).toContain('AIVSS gate could not run');
    const report = JSON.parse(await readFile(gate.outputs['report-json']!, 'utf8')) as SavedReport;
    expect(report).toMatchObject({ verdict: 'fail', models: [], couldNotRun: expect.stringContaining('fail-on') });

    const api = await startApi();
    api.addComment(ACTIONS_BOT, '<!-- aivss-gate:header= -->\n### ✅ AIVSS gate passed');
    const result = await publish(api, await artifact(report));

    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('fail');
    expect(api.comments).toHaveLength(1);
    const [headline, , reason] = api.comments[0]!.body.replace(/\\(.)/g, '$1').split('\n').slice(1);
    expect(headline).toBe('### ❌ AIVSS gate could not run');
    expect(reason).toMatch(/^The gate could not run: .*fail-on/);
    expect(api.comments[0]!.body).toContain(`commit ${HEAD_SHA.slice(0, 7)}`);
  });

  test('a second run for the same pull request updates the same comment', async () => {
    const api = await startApi();
    const workspace = await artifact(saved);
    await publish(api, workspace);
    await publish(api, workspace, { with: { comment: 'update' } });
    expect(api.comments).toHaveLength(1);
    expect(api.calls().slice(5)).toEqual([PULLS, `GET ${LIST}`, 'POST graphql']);
  });

  test("a triggering run whose commit is no open pull request's head posts nothing", async () => {
    const api = await startApi();
    api.pulls[0]!.headSha = 'd00dfeedca1ab1e0ddba11feedfacade00000002';

    const result = await publish(api, await artifact(saved));

    expect(api.calls()).toEqual([PULLS]);
    expect(api.comments).toEqual([]);
    expect(warnings(result)).toEqual([
      expect.stringContaining(`no open pull request has the head ${FORK}:${BRANCH} at ${HEAD_SHA.slice(0, 7)}`),
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['comment-id']).toBeUndefined();
  });

  test('two open pull requests with that head: it does not guess', async () => {
    const api = await startApi();
    api.pulls.push({ ...api.pulls[0]!, number: 78 });
    const result = await publish(api, await artifact(saved));
    expect(api.calls()).toEqual([PULLS]);
    expect(warnings(result)).toEqual([expect.stringContaining('2 open pull requests have the head')]);
  });

  test("a triggering run that was no pull request's (push) posts nothing and asks nothing", async () => {
    const api = await startApi();
    const result = await publish(api, await artifact(saved), { payload: payload((run) => (run.event = 'push')) });
    expect(api.requests).toEqual([]);
    expect(warnings(result)).toEqual([expect.stringContaining('the triggering run was a push run')]);
  });
});

describe('a saved report is untrusted', () => {
  const refused = async (content: string | unknown, expected: string) => {
    const api = await startApi();
    const result = await publish(api, await artifact(content));
    expect(result.exitCode).toBe(2);
    // A report all the same, which says that the gate could not run.
    expect(result.outputs).toMatchObject({ verdict: 'fail', models: '0', failed: '0', 'report-json': expect.any(String) });
    expect(api.requests).toEqual([]);
    expect(result.annotations.find((a) => a.level === 'error')!.message).toContain(expected);
    return result;
  };

  test('a field the schema does not know, such as one naming another pull request, refuses the whole report', async () => {
    await refused(
      { ...saved, pullRequest: { number: 1 } },
      'is not an aivss-gate report that this version can publish: the report: Unrecognized key: "pullRequest"',
    );
    await refused(
      { ...saved, models: [{ ...saved.models[0], issue: 1 }, ...saved.models.slice(1)] },
      'models.0: Unrecognized key: "issue"',
    );
  });

  test('a report off the schema is refused', async () => {
    await refused({ ...saved, verdict: 'passed' }, 'verdict');
    await refused({ ...saved, models: [{ ...saved.models[0], score: '10' }] }, 'models.0.score');
    await refused({ ...saved, schemaVersion: 2 }, 'schemaVersion');
    await refused('{"verdict": "pass"', 'is not JSON');
    await refused('\u0000binary', 'is a binary file');
  });

  test('a link instead of the file, or a file over the size limit, is refused unread', async () => {
    const api = await startApi();
    const workspace = await artifact('');
    const target = path.join(workspace, ARTIFACT);
    await truncate(target, SAVED_REPORT_MAX_BYTES + 1);
    const big = await publish(api, workspace);
    expect(big.exitCode).toBe(2);
    expect(big.annotations[0]!.message).toContain(
      `is ${SAVED_REPORT_MAX_BYTES + 1} bytes, over the limit of ${SAVED_REPORT_MAX_BYTES} bytes`,
    );

    const linked = await artifact(saved);
    await symlink('/etc/passwd', path.join(linked, 'link.json'));
    const link = await publish(api, linked, { with: { report: 'link.json' } });
    expect(link.exitCode).toBe(2);
    expect(link.annotations[0]!.message).toContain('is a symbolic link, which is not followed');
    expect(api.requests).toEqual([]);
  });

  test('strings that try markdown, HTML, mentions, links, our marker or workflow commands are rendered inert', async () => {
    const api = await startApi();
    const attack =
      '<!-- aivss-gate:header= --> <img src=x onerror=alert(1)> <script>x</script> @octocat #1 [click](https://evil.example) ![i](https://evil.example/i.png)';
    const forged = structuredClone(saved);
    forged.models[0]!.name = `${attack}\n::warning::forged`;
    forged.models[0]!.file = `threat-models/${attack}.yaml`;
    forged.reasons = [`${attack}\n::error::forged`, ...forged.reasons];
    forged.comparison.base = attack;

    const result = await publish(api, await artifact(forged));

    const body = api.comments[0]!.body;
    expect(body.indexOf('<!-- aivss-gate')).toBe(0);
    expect(body.lastIndexOf('<!-- aivss-gate')).toBe(0);
    expect(body).not.toMatch(/<img|<script|@octocat|#1\b|https?:\/\/evil/);
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;x&lt;/script&gt; @\u2060octocat');
    const kinds = new Set<string>();
    const urls: string[] = [];
    const visit = (node: { type: string; url?: string; children?: unknown[] }) => {
      kinds.add(node.type);
      if (node.type === 'link') urls.push(node.url!);
      for (const child of node.children ?? []) visit(child as typeof node);
    };
    visit(fromMarkdown(body));
    expect(
      urls.filter(
        (url) => !url.startsWith(`https://github.com/${OWNER}/${REPO}/`) && !/^https:\/\/(genai\.owasp\.org|atlas\.mitre\.org)\//.test(url),
      ),
    ).toEqual([]);
    for (const kind of ['image', 'linkReference', 'imageReference', 'definition', 'code']) expect(kinds).not.toContain(kind);
    expect(result.stdout).not.toMatch(/^::(warning|error)::forged/m);
    expect(result.exitCode).toBe(0);
  });

  test('a tool version or layer names carrying markup are refused, and reach neither the comment nor the summary', async () => {
    const api = await startApi();
    const attack = '<img src=x> <a href="https://evil.example">click</a> @octocat\n\n### ✅ AIVSS gate passed\n';
    const forged = structuredClone(saved);
    (forged.tool as { version: string }).version = `0.1.0\n\n${attack}`;
    for (const model of forged.models) for (const layer of model.layers as { name: string }[]) layer.name = attack;

    const result = await publish(api, await artifact(forged));

    for (const markdown of [...api.comments.map((c) => c.body), result.summary]) {
      expect(markdown).not.toMatch(/<img|<a |@octocat|^#+ ✅/m);
    }
    expect(result.exitCode).toBe(2);
    expect(api.requests).toEqual([]);
    const error = result.annotations.find((a) => a.level === 'error')!.message;
    expect(error).toContain('tool.version: ');
    expect(error).toContain('models.0.layers.0.name: ');
  });

  test('report and the inputs of a scan do not go together', async () => {
    const api = await startApi();
    const result = await publish(api, await artifact(saved), { with: { 'fail-on': 'low' } });
    expect(result.exitCode).toBe(2);
    expect(result.annotations[0]!.message).toContain('input report: a saved report is published as it is; leave out fail-on');
    expect(api.requests).toEqual([]);
  });
});
