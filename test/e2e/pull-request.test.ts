import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { FakeGitHub, TOKEN, type CommitFile } from './fake-github.js';
import { gitRepository, type FileChange } from '../fixtures/repository.js';
import { FIXTURES, OWNER, PR_NUMBER, REPO, RUN_ID, runAction, type RunOptions } from './runner.js';
import { multitoolErrors } from '../sarif-multitool.js';

/**
 * The bundle on a pull request of a real git repository made here: a base commit and a head commit, the head
 * checked out as the workspace, and the payload's base.sha and head.sha the two commits.
 */

const LIST = `/repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments`;
const COMMENTED = [`GET ${LIST}`, `GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`, `POST ${LIST}`, `GET ${LIST}`];

const fixture = async (name: string) => readFile(path.join(FIXTURES, name), 'utf8');
const LOW = await fixture('low.threat-model.yaml');
const CRITICAL = await fixture('critical.threat-model.yaml');
/** The same agent, 8.3 high: a CVSS base of 8.0, attacked, no mitigation. */
const HIGH = LOW.replace(/cvss: .*/, 'cvss: 8.0')
  .replace('mitigationFactor: strong', 'mitigationFactor: none')
  .replace('threatMultiplier: unreported', 'threatMultiplier: attacked');
const SUPPORT = await readFile(path.resolve('examples/support-agent.threat-model.json'), 'utf8');
const MODEL = 'threat-models/lookup.yaml';

interface PullRequestRepo {
  workspace: string;
  baseSha: string;
  headSha: string;
}

async function pullRequestRepo(base: Record<string, FileChange>, head: Record<string, FileChange>): Promise<PullRequestRepo> {
  const repo = gitRepository(path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-pr-')), 'checkout'));
  const baseSha = repo.commit(base, 'base');
  const headSha = repo.commit(head, 'head');
  return { workspace: repo.root, baseSha, headSha };
}

async function startApi(): Promise<FakeGitHub> {
  const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER });
  onTestFinished(() => api.stop());
  return api;
}

async function run(api: FakeGitHub, pr: PullRequestRepo, options: Partial<RunOptions> = {}) {
  api.headSha = pr.headSha;
  const result = await runAction({ apiUrl: api.url, workspace: pr.workspace, baseSha: pr.baseSha, headSha: pr.headSha, ...options });
  expect(result.stderr).toBe('');
  expect(result.stdout).not.toContain(TOKEN);
  expect(api.violations).toEqual([]);
  const report = result.outputs['report-json'] ? Report.parse(JSON.parse(await readFile(result.outputs['report-json'], 'utf8'))) : null;
  return { ...result, report, comment: api.comments[0]?.body ?? '' };
}

/** Markdown without its backslash escapes, to read what a reviewer sees. */
const shown = (markdown: string) => markdown.replace(/\\(.)/g, '$1');

describe('a pull request is judged against its base commit, read with git from the checkout', () => {
  test('a raised score fails, with its delta in the comment', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ [MODEL]: LOW }, { [MODEL]: HIGH });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'fail', 'max-score': '8.3', 'max-severity': 'high', models: '1', failed: '1' });
    expect(api.calls()).toEqual(COMMENTED);
    expect(result.comment).toContain('| 3.8 → 8.3 ▲4.5 |');
    expect(shown(result.comment)).toContain(`compared with the base, commit ${pr.baseSha.slice(0, 7)}`);
    expect(shown(result.comment)).toContain('AIVSS 3.8 → 8.3');
    expect(result.summary).toContain('3.8 → 8.3 ▲4.5');
    expect(result.report!.models[0]).toMatchObject({ base: { score: 3.8 }, score: 8.3, delta: 4.5 });
    expect(result.stdout).toContain(`comparing with the base commit ${pr.baseSha.slice(0, 7)}, read with git`);
  });

  test('a lowered score passes, with its delta', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ [MODEL]: HIGH }, { [MODEL]: LOW });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: 'pass', 'max-score': '3.8', failed: '0' });
    expect(api.calls()).toEqual(COMMENTED);
    expect(result.comment).toContain('| 8.3 → 3.8 ▼4.5 |');
  });

  test('a removed threat-model file fails the gate and is listed first', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ [MODEL]: LOW, 'threat-models/support.json': SUPPORT }, { 'threat-models/support.json': null });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'fail', models: '1', failed: '1' });
    expect(result.report!.comparison!.removed).toMatchObject([
      { file: 'threat-models/support.json', agentId: 'support-agent', gate: { outcome: 'fail' } },
    ]);
    expect(result.report!.reasons[0]).toBe('threat-models/support.json: the threat model was removed in this pull request');
    const removed = result.comment.indexOf('- **Removed** ');
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThan(result.comment.indexOf('| | Model |'));
    expect(shown(result.comment)).toContain('(threat-models/support.json), last scored 4.1: **fails**');
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringContaining('removed in this pull request'),
    ]);
  });

  test('on-removed: warn turns the removal into a warning', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ [MODEL]: LOW, 'threat-models/support.json': SUPPORT }, { 'threat-models/support.json': null });
    const result = await run(api, pr, { with: { 'on-removed': 'warn' } });
    expect(result.exitCode).toBe(0);
    expect(result.report!.comparison!.removed).toMatchObject([{ gate: { outcome: 'warn' } }]);
  });

  test('a renamed file is the same model: no removal, a rename among its changes', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ [MODEL]: LOW }, { [MODEL]: null, 'threat-models/bots/lookup-bot.yaml': LOW });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(0);
    expect(result.report!.comparison!.removed).toEqual([]);
    expect(result.report!.models[0]).toMatchObject({ file: 'threat-models/bots/lookup-bot.yaml', base: { file: MODEL }, delta: 0 });
    expect(result.report!.models[0]!.changes).toEqual([{ kind: 'renamed', message: `renamed from ${MODEL}`, layer: null, threat: null }]);
    expect(result.comment).not.toContain('**Removed**');
    expect(shown(result.comment)).toContain(
      `- **Renamed** [Lookup Bot](https://github.com/${OWNER}/${REPO}/blob/${pr.headSha}/threat-models/bots/lookup-bot.yaml#L1), renamed from ${MODEL}`,
    );
    expect(shown(result.comment)).toContain(`renamed from ${MODEL}`);
    expect(result.comment).toContain('| 3.8 = |');
  });

  test('a threshold loosened in the pull request waits for the merge: the run is judged under the base policy', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ '.aivss-gate.yml': 'fail-on: high\n', [MODEL]: HIGH }, { '.aivss-gate.yml': 'fail-on: critical\n' });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'fail', failed: '1' });
    expect(result.report!.policy.failOn).toEqual({ band: 'high', threshold: 7 });
    expect(result.report!.comparison!.policyChanges).toEqual([{ key: 'fail-on', effect: 'loosened', message: 'fail-on high → critical' }]);
    expect(shown(result.comment)).toContain(
      '**What this pull request changes**\n\n- **Policy loosened** fail-on high → critical: takes effect after the merge; this run uses the base policy',
    );
  });

  test('an input cannot loosen it either: it applies to both sides, and the base config is read all the same', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo({ '.aivss-gate.yml': 'fail-on: high\n', [MODEL]: HIGH }, { 'README.md': 'unrelated\n' });
    const result = await run(api, pr, { with: { 'fail-on': 'critical' } });
    // The input is the workflow's, and the workflow file is the pull request's too: see docs/action.md.
    expect(result.report!.policy.failOn.band).toBe('critical');
    expect(result.exitCode).toBe(0);
  });

  test('a waiver added in the pull request is listed as new and not applied', async () => {
    const api = await startApi();
    const waiver = 'waivers:\n  - { model: lookup-bot, owner: "@sec", reason: sandboxed next sprint, expires: "2999-01-01" }\n';
    const pr = await pullRequestRepo({ [MODEL]: HIGH }, { '.aivss-gate.yml': waiver });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.comparison!.pendingWaivers).toEqual([
      { model: 'lookup-bot', owner: '@sec', reason: 'sandboxed next sprint', expires: '2999-01-01' },
    ]);
    expect(result.report!.models[0]!.gate).toMatchObject({ outcome: 'fail', waivers: [] });
    expect(shown(result.comment)).toContain(
      '- **New waiver** for lookup-bot by @\u2060sec until 2999-01-01: sandboxed next sprint (applies after the merge)',
    );
  });

  test('an expired waiver fails, naming it', async () => {
    const api = await startApi();
    const waiver = 'waivers:\n  - { model: lookup-bot, owner: "@sec", reason: sandboxed next sprint, expires: "2020-01-01" }\n';
    const pr = await pullRequestRepo({ '.aivss-gate.yml': waiver, [MODEL]: HIGH }, { 'README.md': 'unrelated\n' });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.reasons).toEqual([
      expect.stringContaining('the waiver for lookup-bot by @sec, until 2020-01-01 has expired: renew it or fix the risk'),
    ]);
    expect(shown(result.comment)).toContain('the waiver for lookup-bot by @\u2060sec, until 2020-01-01 has expired');
    expect(result.annotations.find((a) => a.level === 'error')!.message).toContain('has expired');
  });

  test('paths select the same files on both sides; working-directory scopes the base commit too', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo(
      {
        'services/agents/models/lookup.yaml': LOW,
        'services/agents/models/notes.png': 'not a model',
        'services/agents/other/support.json': SUPPORT,
      },
      { 'services/agents/models/lookup.yaml': HIGH, 'services/agents/other/support.json': null },
    );

    const result = await run(api, pr, { with: { 'working-directory': 'services/agents', paths: 'models' } });

    expect(result.report!.discovery.include).toEqual(['models/**/*.{yaml,yml,json,md,markdown,txt}']);
    expect(result.report!.models.map((m) => [m.file, m.base?.file, m.delta])).toEqual([['models/lookup.yaml', 'models/lookup.yaml', 4.5]]);
    // support.json, outside paths, was removed without failing the gate for it.
    expect(result.report!.comparison!.removed).toEqual([]);
    expect(result.annotations.filter((a) => a.properties.file).map((a) => a.properties.file)).toEqual([
      'services/agents/models/lookup.yaml',
    ]);
  });
});

describe('what a pull request cannot do with waivers, scores and layers', () => {
  const WAIVER = 'waivers:\n  - { model: lookup-bot, owner: "@sec", reason: sandboxed next sprint, expires: "2999-01-01" }\n';
  const gateOf = (result: Awaited<ReturnType<typeof run>>, file: string) => result.report!.models.find((m) => m.file === file)!.gate;

  test('a new agent given a waived agent id fails: the waiver stays with the model it was granted for', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo(
      { '.aivss-gate.yml': WAIVER, [MODEL]: HIGH },
      {
        [MODEL]: LOW.replace('id: lookup-bot', 'id: lookup-legacy'),
        'threat-models/ops.yaml': CRITICAL.replace('id: deploy-agent', 'id: lookup-bot'),
      },
    );

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.models.find((m) => m.file === 'threat-models/ops.yaml')!.base).toBeNull();
    expect(gateOf(result, 'threat-models/ops.yaml')).toMatchObject({
      outcome: 'fail',
      reasons: [
        'score 10.0 is at or above fail-on high (7.0)',
        `the waiver for lookup-bot by @sec, until 2999-01-01 was granted for the model at ${MODEL} in the base; this is a new model`,
      ],
      waivers: [{ model: 'lookup-bot', expired: false, applies: false }],
    });
    expect(shown(result.comment)).toContain('this is a new model');
    expect(result.comment).not.toContain('waived by');
  });

  test('a waived model raised above the score it was waived at fails; at that score it still warns', async () => {
    const api = await startApi();
    const raised = await run(
      api,
      await pullRequestRepo(
        { '.aivss-gate.yml': WAIVER, [MODEL]: HIGH },
        { [MODEL]: CRITICAL.replace('id: deploy-agent', 'id: lookup-bot') },
      ),
    );
    expect(raised.exitCode).toBe(1);
    expect(gateOf(raised, MODEL).reasons).toContain(
      'score 10.0 is above the 8.3 the waiver for lookup-bot by @sec, until 2999-01-01 was granted for',
    );

    const same = await run(api, await pullRequestRepo({ '.aivss-gate.yml': WAIVER, [MODEL]: HIGH }, { 'README.md': 'unrelated\n' }));
    expect(same.exitCode).toBe(0);
    expect(gateOf(same, MODEL)).toMatchObject({ outcome: 'warn', waivers: [{ applies: true }] });
  });

  test('deleting the CVSS base of a failing model fails as a lost score, even under on-unscored: warn', async () => {
    const api = await startApi();
    const config = 'on-unscored: warn\n';
    const pr = await pullRequestRepo({ '.aivss-gate.yml': config, [MODEL]: HIGH }, { [MODEL]: HIGH.replace(/ {2}cvss: .*\n/, '') });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(gateOf(result, MODEL)).toMatchObject({
      outcome: 'fail',
      reasons: ['the model lost its score in this pull request: scored 8.3 in the base, it has no CVSS base now'],
    });

    const warned = await run(
      api,
      await pullRequestRepo(
        { '.aivss-gate.yml': `${config}on-removed: warn\n`, [MODEL]: HIGH },
        { [MODEL]: HIGH.replace(/ {2}cvss: .*\n/, '') },
      ),
    );
    expect(warned.exitCode).toBe(0);
    expect(gateOf(warned, MODEL).outcome).toBe('warn');
  });

  test('rewriting a scored model as an unscored listing fails as a lost score', async () => {
    const api = await startApi();
    const listing = await readFile(path.resolve('examples/micro-agent.listing.txt'), 'utf8');
    // The same agent as the listing's: a rename is matched by agent id.
    const native = (await readFile(path.resolve('examples/micro-agent.threat-model.yaml'), 'utf8')).replace(
      'id: micro-agent-enriched',
      'id: micro-agent',
    );
    const pr = await pullRequestRepo(
      { '.aivss-gate.yml': 'on-unscored: warn\n', 'threat-models/micro.yaml': native },
      { 'threat-models/micro.yaml': null, 'threat-models/micro.txt': listing },
    );

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.models[0]).toMatchObject({
      file: 'threat-models/micro.txt',
      status: 'unscored',
      base: { file: 'threat-models/micro.yaml' },
    });
    expect(result.report!.models[0]!.gate.reasons[0]).toBe(
      'the model lost its score in this pull request: scored 7.0 in the base, it has no CVSS base now',
    );
  });

  test('deleting every threat of a layer empties it, even when its summary stays', async () => {
    const api = await startApi();
    const threats =
      '    threats:\n      - { id: LB-1, title: Prompt injection from a document, severity: low, likelihood: low, status: open }\n';
    const withThreat = LOW.replace(
      '  L3: { status: mapped, summary: No tools. }',
      `  L3:\n    status: mapped\n    summary: No tools.\n${threats}`,
    );
    const pr = await pullRequestRepo({ [MODEL]: withThreat }, { [MODEL]: LOW });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.models[0]!.changes).toEqual([
      { kind: 'layer-emptied', message: 'L3 emptied: 1 threat is gone', layer: 'L3', threat: null },
    ]);
    expect(gateOf(result, MODEL).reasons).toEqual(['layer L3 was emptied in this pull request']);
    expect(shown(result.comment)).toContain('**Layer emptied**');
  });
});

describe('what a reviewer reads first', () => {
  const OPS = readFileSync(path.resolve('examples/release-ops-agent.threat-model.yaml'), 'utf8');
  const WITHOUT_ROA2 = OPS.replace(/ {4}threats:\n {6}- id: ROA-2\n( {8}.*\n)+/, '    threats: []\n');
  const WAIVER =
    'waivers:\n  - { model: release-ops-agent, layer: L3, threat: ROA-3, owner: "@sec", reason: break-glass only, expires: "2999-01-01" }\n';
  const dir = 'services/agents';

  test('the change list, worst first; links to the head commit, its files and lines, and the run; top threats of every model; waived wording; SARIF for code scanning', async () => {
    const api = await startApi();
    const pr = await pullRequestRepo(
      {
        [`${dir}/.aivss-gate.yml`]: WAIVER,
        [`${dir}/${MODEL}`]: HIGH,
        [`${dir}/threat-models/support.json`]: SUPPORT,
        [`${dir}/threat-models/ops.yaml`]: OPS,
      },
      { [`${dir}/${MODEL}`]: LOW, [`${dir}/threat-models/support.json`]: null, [`${dir}/threat-models/ops.yaml`]: WITHOUT_ROA2 },
    );

    const result = await run(api, pr, { with: { 'working-directory': dir } });

    expect(result.exitCode).toBe(1);
    const comment = shown(result.comment);
    const blob = `https://github.com/${OWNER}/${REPO}/blob/${pr.headSha}/${dir}`;
    // The change list comes before the table, worst first.
    const changes = comment.split('**What this pull request changes**\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(changes).toEqual([
      '- **Removed** Customer Support Agent (threat-models/support.json), last scored 4.1: **fails**: the threat model was removed in this pull request',
      // ROA-2 was the only threat of L2: its removal empties the layer, which is worse than a threat removed.
      `- **Layer emptied** [Release Ops Agent](${blob}/threat-models/ops.yaml#L1): L2`,
      `- **Self-assessed reduction** [Lookup Bot](${blob}/${MODEL}#L1) 8.3 → 3.8 ▼4.5 by CVSS base 8.0 → 5.3 (self-assessed), threat multiplier 1.00 → 0.50 (self-assessed), mitigation factor 1.00 → 0.67 (self-assessed)`,
    ]);
    expect(comment.indexOf('**What this pull request changes**')).toBeLessThan(comment.indexOf('| | Model |'));
    // The commit and the run, then each model and threat at its file and line of the head commit.
    expect(comment).toContain(`commit [${pr.headSha.slice(0, 7)}](https://github.com/${OWNER}/${REPO}/commit/${pr.headSha})`);
    expect(comment).toContain(`[workflow run](https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID})`);
    expect(comment).toContain(`| 🔴 | [Release Ops Agent](${blob}/threat-models/ops.yaml#L1) |`);
    const roa1 = WITHOUT_ROA2.split('\n').indexOf('      - id: ROA-1') + 1;
    expect(comment).toContain(`- 🟥 [ROA-1](${blob}/threat-models/ops.yaml#L${roa1}): Injected instructions`);
    expect(comment).toContain('[T6](https://genai.owasp.org/resource/agentic-ai-threats-and-mitigations/)');
    // The top threats: most severe, then most likely; the waived one says so, and nothing calls it failing.
    const top = comment.split('**Open critical and high threats**\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(top.map((line) => /^- \S+ \[([^\]]+)\]/.exec(line)?.[1])).toEqual(['ROA-1', 'ROA-3', 'ROA-7', 'ROA-4', 'ROA-8', 'ROA-5']);
    expect(top[1]).toMatch(/ · _waived by @\u2060sec until 2999-01-01_$/);
    expect(result.summary).toContain(`(https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID})`);

    // SARIF for code scanning, with paths from the repository's top, valid for GitHub's ingestion.
    const sarifFile = result.outputs['sarif-file']!;
    expect(path.dirname(sarifFile)).toBe(path.dirname(result.outputs['report-json']!));
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as import('sarif').Log;
    const uris = new Set(sarif.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri));
    expect(uris).toEqual(new Set([`${dir}/threat-models/ops.yaml`]));
    const roa1Result = sarif.runs[0]!.results!.find((r) => r.ruleId === 'aivss/threat/release-ops-agent/ROA-1')!;
    expect(roa1Result.locations![0]!.physicalLocation!.region!.startLine).toBe(roa1);
    expect(await multitoolErrors(sarifFile)).toEqual([]);
  }, 180_000);
});

describe('a base commit that is not in the clone is read through the GitHub API', () => {
  /** The pull request's two commits, with a checkout that has only the head, as actions/checkout's fetch-depth: 1 leaves it. */
  async function shallowCheckout(base: Record<string, FileChange>, head: Record<string, FileChange>): Promise<PullRequestRepo> {
    const full = await pullRequestRepo(base, head);
    const shallow = path.join(path.dirname(full.workspace), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${full.workspace}`, shallow], { stdio: 'pipe' });
    expect(() => execFileSync('git', ['cat-file', '-e', full.baseSha], { cwd: shallow, stdio: 'pipe' })).toThrow();
    return { ...full, workspace: shallow };
  }

  const BASE_FILES = { '.aivss-gate.yml': 'on-invalid: warn\n', [MODEL]: LOW, 'threat-models/link.yaml': { link: 'lookup.yaml' } } as const;

  test('one tree listing, then one blob per base file read; links, submodules and unmatched files are never fetched', async () => {
    const api = await startApi();
    const pr = await shallowCheckout(BASE_FILES, { [MODEL]: HIGH });
    api.commits.set(pr.baseSha, {
      ...BASE_FILES,
      'vendor/agents': { submodule: 'a'.repeat(40) },
      'docs/big.bin': 'x'.repeat(5000),
    } satisfies Record<string, CommitFile>);

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.comment).toContain('| 3.8 → 8.3 ▲4.5 |');
    const blob = (text: string) =>
      `GET /repos/${OWNER}/${REPO}/git/blobs/${execFileSync('git', ['hash-object', '--stdin'], { input: text }).toString().trim()}`;
    expect(api.calls()).toEqual([
      `GET /repos/${OWNER}/${REPO}/git/trees/${pr.baseSha}`,
      blob(BASE_FILES['.aivss-gate.yml']),
      blob(LOW),
      ...COMMENTED,
    ]);
    expect(api.requests[0]!.query.get('recursive')).toBe('1');
    // The link is a model on both sides, refused on both: matched by path, invalid, and only a warning here.
    expect(result.report!.models.find((m) => m.file === 'threat-models/link.yaml')!.errors[0]!.message).toContain(
      'symbolic links are not followed',
    );
    expect(result.report!.models.find((m) => m.file === 'threat-models/link.yaml')!.base).toMatchObject({ status: 'invalid' });
    expect(result.stdout).toContain('reading it through the GitHub API');
  });

  test('a truncated listing fails the run (exit 2) and says how to give git the commit', async () => {
    const api = await startApi();
    const pr = await shallowCheckout({ [MODEL]: LOW }, { [MODEL]: LOW });
    api.commits.set(pr.baseSha, { [MODEL]: LOW });
    api.truncateTrees = true;

    const result = await run(api, pr);

    expect(result.exitCode).toBe(2);
    expect(result.outputs).toMatchObject({ verdict: 'fail', models: '0', failed: '0' });
    expect(result.report).toMatchObject({ verdict: 'fail', couldNotRun: expect.stringContaining('is truncated') });
    expect(api.calls().filter((c) => c.includes('/git/'))).toEqual([`GET /repos/${OWNER}/${REPO}/git/trees/${pr.baseSha}`]);
    const [error] = result.annotations.filter((a) => a.level === 'error');
    expect(error!.message).toContain('is truncated');
    expect(error!.message).toContain('the gate cannot pass');
    expect(error!.message).toContain('fetch-depth: 0');
  });

  test('a token that may not read contents (404) fails the run and names both ways out', async () => {
    const api = await startApi();
    const pr = await shallowCheckout({ [MODEL]: LOW }, { [MODEL]: LOW });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(2);
    expect(api.calls().filter((c) => c.includes('/git/'))).toEqual([`GET /repos/${OWNER}/${REPO}/git/trees/${pr.baseSha}`]);
    expect(result.annotations[0]!.message).toMatch(/GitHub answered 404.*fetch-depth: 0.*contents: read/);
  });

  test('a blob whose content is not the listed blob fails the run', async () => {
    const api = await startApi();
    const pr = await shallowCheckout({ [MODEL]: LOW }, { [MODEL]: LOW });
    api.commits.set(pr.baseSha, { [MODEL]: LOW });
    const sha = execFileSync('git', ['hash-object', '--stdin'], { input: LOW }).toString().trim();
    api.script('GET', /\/git\/blobs\//, {
      status: 200,
      body: {
        sha,
        node_id: 'B_1',
        size: LOW.length,
        url: `${api.url}/x`,
        content: Buffer.from(LOW.replace('0.5', '0.0')).toString('base64'),
        encoding: 'base64',
      },
    });

    const result = await run(api, pr);

    expect(result.exitCode).toBe(2);
    expect(result.annotations[0]!.message).toContain(`content that is not blob ${sha}`);
    // The comment says that the gate could not run, and shows no verdict of the files.
    expect(api.comments).toHaveLength(1);
    expect(shown(result.comment)).toContain(`The gate could not run: the base commit ${pr.baseSha.slice(0, 7)}`);
    expect(result.comment).not.toContain('| Model |');
  });

  test('without a token, a base that git cannot read fails the run without any API call', async () => {
    const api = await startApi();
    const pr = await shallowCheckout({ [MODEL]: LOW }, { [MODEL]: LOW });
    const result = await run(api, pr, { with: { 'github-token': '' } });
    expect(result.exitCode).toBe(2);
    expect(api.requests).toEqual([]);
    expect(result.annotations[0]!.message).toContain('the github-token input is empty');
  });
});

describe("the verdict judges the pull request's head, whatever is checked out", () => {
  /** The pull request's two commits, and the checkout: either of them, a merge of the head into the base, or another commit. */
  async function checkedOut(
    base: Record<string, FileChange>,
    head: Record<string, FileChange>,
    checkout: 'base' | 'head' | 'merge' | 'other',
  ) {
    const pr = await pullRequestRepo(base, head);
    const { git } = gitRepository(pr.workspace);
    if (checkout === 'base') git('checkout', '-q', pr.baseSha);
    if (checkout === 'merge') {
      git('checkout', '-q', pr.baseSha);
      git('merge', '-q', '--no-ff', '-m', 'Merge the head into the base', pr.headSha);
    }
    if (checkout === 'other') {
      git('checkout', '-q', pr.baseSha);
      git('commit', '-q', '--allow-empty', '-m', 'an unrelated commit');
    }
    return { ...pr, checkout: git('rev-parse', 'HEAD') };
  }

  const TREE = (sha: string) => `GET /repos/${OWNER}/${REPO}/git/trees/${sha}`;
  const fileAnnotations = (result: { annotations: { properties: Record<string, string> }[] }) =>
    result.annotations.filter((a) => a.properties.file !== undefined);

  test('pull_request_target with the default checkout (the base): the head is read through the API and judged', async () => {
    const api = await startApi();
    const pr = await checkedOut({ [MODEL]: LOW }, { [MODEL]: HIGH }, 'base');
    api.commits.set(pr.headSha, { [MODEL]: HIGH });

    const result = await run(api, pr, { event: 'pull_request_target' });

    expect(result.exitCode).toBe(1);
    expect(result.report!.models[0]).toMatchObject({ base: { score: 3.8 }, score: 8.3, delta: 4.5 });
    expect(result.stdout).toContain(
      `the checkout is commit ${pr.baseSha.slice(0, 7)}, not the pull request's head ${pr.headSha.slice(0, 7)}: reading the head through the GitHub API`,
    );
    expect(api.calls().slice(0, 2)).toEqual([TREE(pr.headSha), expect.stringMatching(/\/git\/blobs\//)]);
    expect(result.comment).toContain(`commit [${pr.headSha.slice(0, 7)}]`);
    expect(result.comment).toContain('| 3.8 → 8.3 ▲4.5 |');
    // The checkout's files are the base's: no annotation points into them.
    expect(fileAnnotations(result)).toEqual([]);
    expect(result.stdout).toContain("no file annotations, since the files judged are not the checkout's");
  });

  test('pull_request_target with the default checkout and the API failing: exit 2, verdict fail, and the two ways out', async () => {
    const api = await startApi();
    const pr = await checkedOut({ [MODEL]: LOW }, { [MODEL]: HIGH }, 'base');

    const result = await run(api, pr, { event: 'pull_request_target' });

    expect(result.exitCode).toBe(2);
    expect(result.outputs.verdict).toBe('fail');
    const [error] = result.annotations.filter((a) => a.level === 'error');
    expect(error!.message).toContain(
      `the checkout is commit ${pr.baseSha.slice(0, 7)}, not the pull request's head commit ${pr.headSha.slice(0, 7)}`,
    );
    expect(error!.message).toContain('GitHub answered 404');
    expect(error!.message).toContain('`ref: ${{ github.event.pull_request.head.sha }}` and `persist-credentials: false`');
    expect(error!.message).toContain('`contents: read`');
    expect(result.report).toMatchObject({ verdict: 'fail', models: [], couldNotRun: expect.stringContaining('not the pull request') });
    expect(shown(result.comment)).toContain('The gate could not run: the checkout is commit');
  });

  test('pull_request_target with a checkout of the head: the checkout is judged, with no API read', async () => {
    const api = await startApi();
    const pr = await checkedOut({ [MODEL]: LOW }, { [MODEL]: HIGH }, 'head');

    const result = await run(api, pr, { event: 'pull_request_target' });

    expect(result.exitCode).toBe(1);
    expect(result.report!.models[0]).toMatchObject({ score: 8.3, delta: 4.5 });
    expect(result.stdout).toContain(`judging the checkout, the pull request's head commit ${pr.headSha.slice(0, 7)}`);
    expect(api.calls().filter((c) => c.includes('/git/'))).toEqual([]);
    expect(fileAnnotations(result).map((a) => a.properties.file)).toEqual([MODEL]);
  });

  test("pull_request: GitHub's merge commit of the head is judged as the head", async () => {
    const api = await startApi();
    const pr = await checkedOut({ [MODEL]: LOW }, { [MODEL]: HIGH }, 'merge');

    const result = await run(api, pr);

    expect(result.exitCode).toBe(1);
    expect(result.report!.models[0]).toMatchObject({ score: 8.3, delta: 4.5 });
    expect(result.stdout).toContain(
      `judging the checkout, GitHub's merge commit ${pr.checkout.slice(0, 7)} of the head commit ${pr.headSha.slice(0, 7)}`,
    );
    expect(api.calls().filter((c) => c.includes('/git/'))).toEqual([]);
  });

  test('pull_request: an unrelated commit is not judged; the head is read through the API, or the run fails without it', async () => {
    const api = await startApi();
    const pr = await checkedOut({ [MODEL]: LOW }, { [MODEL]: HIGH }, 'other');
    api.commits.set(pr.headSha, { [MODEL]: HIGH });

    const read = await run(api, pr);
    const refused = await run(api, pr, { with: { 'github-token': '' } });

    expect(read.exitCode).toBe(1);
    expect(read.report!.models[0]).toMatchObject({ score: 8.3, delta: 4.5 });
    expect(read.stdout).toContain(`the checkout is commit ${pr.checkout.slice(0, 7)}, not the pull request's head`);
    expect(refused.exitCode).toBe(2);
    expect(refused.annotations[0]!.message).toContain('the github-token input is empty');
    expect(refused.report).toMatchObject({ verdict: 'fail', models: [] });
  });
});
