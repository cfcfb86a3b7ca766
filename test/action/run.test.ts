import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { ACTIONS_BOT, FakeGitHub, REPLIES } from '../e2e/fake-github.js';
import { FIXTURES, HEAD_SHA, OWNER, PR_NUMBER, REPO, workflowRunPayload, type RunOptions } from '../e2e/runner.js';
import { temporaryFolder } from '../fixtures/repository.js';
import { runInProcess, warnings } from './harness.js';

vi.mock('@actions/core', async (real) => (await import('./fake-actions.js')).fakeCore(await real()));

/** src/action/run.ts in process against the loopback fake (see harness.ts); test/e2e runs the bundle the same way. */

const LOW = { fixture: 'low.threat-model.yaml' };
const CRITICAL = { fixture: 'critical.threat-model.yaml' };
/** A fixture under another agent id: two files may not share one. */
const renamed = (fixture: string, id: string) => ({
  text: readFileSync(path.join(FIXTURES, fixture), 'utf8').replace(/^ {2}id: .*$/m, `  id: ${id}`),
});
const PASSING: RunOptions['files'] = { 'threat-models/lookup.yaml': LOW };
const FAILING: RunOptions['files'] = {
  ...PASSING,
  'threat-models/deploy.yaml': CRITICAL,
  'threat-models/ops.yaml': renamed('critical.threat-model.yaml', 'ops-agent'),
};
const MARKER = '<!-- aivss-gate:header= -->';

async function startApi(): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER, headSha: HEAD_SHA });
  onTestFinished(() => api.stop());
  return api;
}

describe('a gate on a pull request', () => {
  test('records the verdict, writes the summary and annotations, then creates the comment and then updates it', async () => {
    const api = await startApi();
    const first = await runInProcess({ files: FAILING, apiUrl: api.url });

    expect(first.exitCode).toBe(1);
    expect(first.outputs).toMatchObject({ verdict: 'fail', models: '3', failed: '2', 'max-severity': 'critical' });
    expect(first.failed).toEqual([expect.stringMatching(/^AIVSS gate failed: .* \(and 1 more, listed in the log and the job summary\)$/)]);
    expect(first.summary).toContain('AIVSS gate failed');
    expect(first.annotations.filter((a) => a.level === 'error').map((a) => a.properties.file)).toEqual([
      'threat-models/deploy.yaml',
      'threat-models/ops.yaml',
    ]);
    expect(api.comments).toHaveLength(1);
    expect(first.outputs['comment-id']).toBe(String(api.comments[0]!.id));
    expect(first.log).toContain(`aivss-gate: pull-request comment created (${first.outputs['comment-url']}).`);
    expect(first.clientsMade).toBe(1);
    expect(JSON.parse(await readFile(first.outputs['report-json']!, 'utf8'))).toMatchObject({ verdict: 'fail' });

    const second = await runInProcess({ files: PASSING, apiUrl: api.url });
    expect(second.exitCode).toBe(0);
    expect(second.failed).toEqual([]);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('AIVSS gate passed');
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  test('warn-only keeps the step green on a failing verdict, and says so', async () => {
    const result = await runInProcess({ files: FAILING, with: { 'warn-only': 'true', comment: 'off' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.annotations).toContainEqual(expect.objectContaining({ level: 'notice', message: expect.stringContaining('warn-only') }));
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
  });

  test('comment: off asks nothing of the API; an empty token leaves a warning instead of a comment', async () => {
    const api = await startApi();
    const off = await runInProcess({ files: PASSING, apiUrl: api.url, with: { comment: 'off' } });
    expect(off.log).toContain('aivss-gate: comment is off.');
    expect(off.clientsMade).toBe(0);
    const tokenless = await runInProcess({ files: PASSING, apiUrl: api.url, with: { 'github-token': '' } });
    expect(warnings(tokenless)).toEqual([expect.stringContaining('the github-token input is empty')]);
    expect(api.requests).toEqual([]);
  });

  test('recreate deletes our comment and posts a new one; on-failure posts nothing on a pass', async () => {
    const api = await startApi();
    const old = api.addComment(ACTIONS_BOT, `${MARKER}\nold`);
    await runInProcess({ files: PASSING, apiUrl: api.url, with: { comment: 'recreate' } });
    expect(api.comments.map((c) => c.id)).not.toContain(old.id);
    expect(api.comments).toHaveLength(1);

    const quiet = await startApi();
    const result = await runInProcess({ files: PASSING, apiUrl: quiet.url, with: { comment: 'on-failure' } });
    expect(quiet.comments).toEqual([]);
    expect(result.outputs['comment-id']).toBeUndefined();
  });

  test('a failed comment is one warning, and the verdict stands', async () => {
    const api = await startApi();
    api.script('POST', /comments$/, REPLIES.forbidden);
    const result = await runInProcess({ files: PASSING, apiUrl: api.url, forkOf: 'mallory/agents' });
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([expect.stringContaining('pull requests from forks get a read-only token')]);
  });

  test('paths replace the include patterns, on both sides; working-directory narrows the checkout', async () => {
    const files: RunOptions['files'] = {
      'agents/threat-models/lookup.yaml': LOW,
      'agents/threat-models/deploy.yaml': CRITICAL,
      'agents/extra/ops.yaml': renamed('low.threat-model.yaml', 'ops-bot'),
    };
    const result = await runInProcess({
      files,
      with: { comment: 'off', 'working-directory': 'agents', paths: 'threat-models/lookup.yaml\nextra' },
    });
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(await readFile(result.outputs['report-json']!, 'utf8')) as { models: { file: string }[] };
    expect(report.models.map((m) => m.file)).toEqual(['extra/ops.yaml', 'threat-models/lookup.yaml']);
  });
});

describe('events without a pull request', () => {
  test('a push gates and writes the summary, and posts nothing', async () => {
    const api = await startApi();
    const result = await runInProcess({ event: 'push', files: FAILING, apiUrl: api.url });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toContain('AIVSS gate failed');
    expect(result.log).toContain('aivss-gate: no pull request in this push event, so no comment.');
    expect(api.requests).toEqual([]);
    expect(result.clientsMade).toBe(0);
  });
});

describe('the base commit', () => {
  const BASE = 'b'.repeat(40);

  test('is read through the API when git does not have it', async () => {
    const api = await startApi();
    api.commits.set(BASE, { 'threat-models/lookup.yaml': await readFile('test/fixtures/models/low.threat-model.yaml', 'utf8') });
    const result = await runInProcess({ files: PASSING, apiUrl: api.url, baseSha: BASE, with: { comment: 'off' } });
    expect(result.log).toContain(`aivss-gate: comparing with the base commit bbbbbbb, read through the GitHub API.`);
    expect(result.exitCode).toBe(0);
    expect(result.clientsMade).toBe(1);
    const report = JSON.parse(await readFile(result.outputs['report-json']!, 'utf8')) as { models: { delta: number | null }[] };
    expect(report.models[0]!.delta).toBe(0);
  });

  test('that neither git nor the API can read fails the run (exit 2), naming both ways out', async () => {
    const api = await startApi();
    const result = await runInProcess({ files: PASSING, apiUrl: api.url, baseSha: BASE, with: { 'github-token': '' } });
    expect(result.exitCode).toBe(2);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.failed).toEqual([expect.stringContaining('the github-token input is empty')]);
    const unreadable = await runInProcess({ files: PASSING, apiUrl: api.url, baseSha: BASE });
    expect(unreadable.exitCode).toBe(2);
    expect(unreadable.failed).toEqual([expect.stringContaining('fetch-depth: 0')]);
  });
});

describe('inputs', () => {
  test.for([
    [{ 'fail-on': 'severe' }, 'input fail-on: '],
    [{ 'warn-only': 'yes' }, 'input warn-only: '],
    [{ comment: 'sometimes' }, 'input comment: '],
    [{ 'comment-header': 'a\nb' }, 'input comment-header: '],
    [{ 'working-directory': '../elsewhere' }, 'input working-directory: '],
    [{ paths: '../outside.yaml' }, 'input paths: '],
    [{ report: 'report.json', 'fail-on': 'low' }, 'input report: '],
  ] as const)('%j fails the step with exit status 2, naming the input', async ([given, message]) => {
    const result = await runInProcess({ files: PASSING, with: { ...given } });
    expect(result.exitCode).toBe(2);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.failed).toEqual([expect.stringContaining(message)]);
  });

  test('a band name is read whatever its case', async () => {
    const result = await runInProcess({ files: FAILING, with: { 'fail-on': 'Critical', comment: 'off' } });
    expect(result.outputs).toMatchObject({ failed: '2' });
  });
});

describe('a saved report (workflow_run)', () => {
  async function savedReport(): Promise<string> {
    const gate = await runInProcess({ files: FAILING, with: { comment: 'off' } });
    const workspace = temporaryFolder();
    await writeFile(path.join(workspace, 'report.json'), await readFile(gate.outputs['report-json']!, 'utf8'));
    return workspace;
  }

  function triggering(headSha = HEAD_SHA) {
    const event = workflowRunPayload();
    Object.assign(event.workflow_run, { head_sha: headSha, head_branch: 'feature' });
    return event;
  }

  /** The second run of the fork recipe: the saved report of `workspace`, published for the triggering run. */
  const publishing = (api: FakeGitHub, workspace: string) =>
    runInProcess({ event: 'workflow_run', workspace, payload: triggering(), apiUrl: api.url, with: { report: 'report.json' } });

  test('is posted on the pull request the API names, and the step stays green', async () => {
    const api = await startApi();
    // The head repository of GitHub's example workflow_run payload.
    api.pulls = [
      { number: PR_NUMBER, headRepository: 'octo-org/octo-repo', headRef: 'feature', headSha: HEAD_SHA, baseSha: 'b'.repeat(40) },
    ];
    const workspace = await savedReport();
    const result = await publishing(api, workspace);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.log).toContain('aivss-gate: the saved report failed its gate; this run only publishes it, so the step stays green.');
    expect(api.comments).toHaveLength(1);
  });

  test('without a pull request for the run, or on another event, posts nothing', async () => {
    const api = await startApi();
    const workspace = await savedReport();
    const orphan = await publishing(api, workspace);
    expect(warnings(orphan)).toEqual([expect.stringContaining('no pull-request comment for run')]);
    const push = await runInProcess({ event: 'push', workspace, apiUrl: api.url, with: { report: 'report.json' } });
    expect(push.log).toContain('aivss-gate: a saved report is posted on workflow_run events only, not push, so no comment.');
    expect(api.comments).toEqual([]);
  });

  test('an API failure while looking up the pull request is one warning', async () => {
    const api = await startApi();
    api.script('GET', /\/pulls$/, REPLIES.unauthorized);
    const workspace = await savedReport();
    const result = await publishing(api, workspace);
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([expect.stringContaining('the token was refused (401)')]);
  });

  test('a report off the schema is refused (exit 2)', async () => {
    const workspace = temporaryFolder({ 'report.json': '{"verdict":"pass"}' });
    const result = await runInProcess({ event: 'workflow_run', workspace, payload: triggering(), with: { report: 'report.json' } });
    expect(result.exitCode).toBe(2);
    expect(result.failed).toEqual([expect.stringContaining('report.json')]);
  });
});
