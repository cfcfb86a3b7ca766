import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { gitRepository, type GitRepository } from '../fixtures/repository.js';

/** `aivss-gate diff` from the built CLI on a git repository made in the test: a base commit and a head. */
const CLI = path.resolve('dist/cli/index.js');
const example = (file: string) => readFileSync(path.resolve('examples', file), 'utf8');

function repository(files: Record<string, string>): GitRepository {
  const repo = gitRepository();
  repo.commit(files);
  repo.git('tag', 'base');
  return repo;
}

async function diff(root: string, ...args: string[]) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'diff', 'base', 'HEAD', '--format', 'json', ...args], {
      cwd: root,
    });
    return { code: 0, report: Report.parse(JSON.parse(stdout)) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (e.code !== 1) throw new Error(`exit ${e.code}: ${e.stderr}`, { cause: error });
    return { code: 1, report: Report.parse(JSON.parse(e.stdout)) };
  }
}

const FAQ = 'threat-models/faq-bot.threat-model.yaml';
const base = () => repository({ [FAQ]: example('faq-bot.threat-model.yaml') });

describe('aivss-gate diff', () => {
  it('shows a raised score with its delta and the factor that moved', async () => {
    const repo = base();
    repo.commit({ [FAQ]: example('faq-bot.threat-model.yaml').replace('autonomy: 0\n', 'autonomy: 1\n') });
    const { code, report } = await diff(repo.root);
    expect(code).toBe(0);
    expect(report.models[0]).toMatchObject({ base: { score: 3.8 }, score: 3.9, delta: 0.1 });
    expect(report.models[0]!.changes.map((c) => c.message)).toContain('Autonomy of Action 0.00 → 1.00');
  });

  it('shows a lowered score', async () => {
    const repo = base();
    repo.commit({ [FAQ]: example('faq-bot.threat-model.yaml').replace('context: 0.5\n', 'context: 0\n') });
    const { report } = await diff(repo.root);
    expect(report.models[0]!.delta).toBeLessThan(0);
  });

  it('fails when a threat model is removed, and only warns under on-removed: warn', async () => {
    const repo = repository({
      [FAQ]: example('faq-bot.threat-model.yaml'),
      'threat-models/ops.yaml': example('release-ops-agent.threat-model.yaml'),
    });
    repo.commit({ 'threat-models/ops.yaml': null });
    const failed = await diff(repo.root, '--fail-on', 'critical', '--on-removed', 'fail');
    expect(failed.code).toBe(1);
    expect(failed.report.comparison!.removed).toMatchObject([
      { file: 'threat-models/ops.yaml', agentId: 'release-ops-agent', score: 9.8, gate: { outcome: 'fail' } },
    ]);
    expect(failed.report.reasons[0]).toBe('threat-models/ops.yaml: the threat model was removed in this pull request');
    const warned = await diff(repo.root, '--on-removed', 'warn');
    expect(warned.code).toBe(0);
  });

  it('follows a renamed file by its agent id', async () => {
    const repo = base();
    repo.commit({ [FAQ]: null, 'threat-models/bots/faq.yaml': example('faq-bot.threat-model.yaml') });
    const { code, report } = await diff(repo.root);
    expect(code).toBe(0);
    expect(report.comparison!.removed).toEqual([]);
    expect(report.models[0]).toMatchObject({ file: 'threat-models/bots/faq.yaml', base: { file: FAQ }, delta: 0 });
    expect(report.models[0]!.changes[0]).toMatchObject({ kind: 'renamed' });
  });

  it('judges a pull request that loosens the threshold under the base threshold', async () => {
    const repo = repository({ '.aivss-gate.yml': 'fail-on: high\n', 'threat-models/ops.yaml': example('micro-agent.threat-model.yaml') });
    repo.commit({ '.aivss-gate.yml': 'fail-on: critical\n' });
    const { code, report } = await diff(repo.root);
    expect(code).toBe(1);
    expect(report.policy.failOn).toEqual({ band: 'high', threshold: 7 });
    expect(report.comparison!.policyChanges).toEqual([{ key: 'fail-on', effect: 'loosened', message: 'fail-on high → critical' }]);
  });

  it('does not apply a waiver added in the same pull request', async () => {
    const repo = repository({ 'threat-models/ops.yaml': example('micro-agent.threat-model.yaml') });
    repo.commit({
      '.aivss-gate.yml': 'waivers:\n  - { model: micro-agent-enriched, owner: "@sec", reason: sandbox soon, expires: "2999-01-01" }\n',
    });
    const { code, report } = await diff(repo.root);
    expect(code).toBe(1);
    expect(report.comparison!.pendingWaivers).toMatchObject([{ model: 'micro-agent-enriched', owner: '@sec' }]);
    expect(report.models[0]!.gate.outcome).toBe('fail');
  });

  it('applies a merged waiver, and fails naming it once it has expired', async () => {
    const config = (expires: string) =>
      `waivers:\n  - { model: micro-agent-enriched, owner: "@sec", reason: sandbox soon, expires: "${expires}" }\n`;
    const live = repository({
      '.aivss-gate.yml': config('2999-01-01'),
      'threat-models/ops.yaml': example('micro-agent.threat-model.yaml'),
    });
    live.commit({ 'README.md': 'unrelated\n' });
    const waived = await diff(live.root);
    expect(waived.code).toBe(0);
    expect(waived.report.models[0]!.gate).toMatchObject({ outcome: 'warn', waivers: [{ owner: '@sec', expired: false }] });

    const expired = repository({
      '.aivss-gate.yml': config('2020-01-01'),
      'threat-models/ops.yaml': example('micro-agent.threat-model.yaml'),
    });
    expired.commit({ 'README.md': 'unrelated\n' });
    const failed = await diff(expired.root);
    expect(failed.code).toBe(1);
    expect(failed.report.models[0]!.gate.reasons).toContain(
      'the waiver for micro-agent-enriched by @sec, until 2020-01-01 has expired: renew it or fix the risk',
    );
  });

  it('shows the base and head factor sums of an unscored listing whose factors change', async () => {
    const listing = example('micro-agent.listing.txt');
    const repo = repository({ 'threat-models/micro-agent.txt': listing });
    repo.commit({ 'threat-models/micro-agent.txt': listing.replace('| Autonomy of Action | 0.70 |', '| Autonomy of Action | 1.00 |') });
    const { report } = await diff(repo.root, '--on-unscored', 'warn');
    expect(report.models[0]).toMatchObject({ status: 'unscored', factorSum: 4.7, base: { status: 'unscored', factorSum: 4.4 } });
    expect(report.models[0]!.changes.map((c) => c.message)).toContain('factor sum 4.4 → 4.7');
    const text = await promisify(execFile)(process.execPath, [CLI, 'diff', 'base', 'HEAD', '--on-unscored', 'warn'], { cwd: repo.root });
    expect(text.stdout).toContain('unscored 4.7/10 ▲0.3');
    expect(text.stdout).toContain('changed: factor sum 4.4 → 4.7');
  });

  it('exits 2 with advice when the base revision is not in the clone', async () => {
    const repo = base();
    const result = await promisify(execFile)(process.execPath, [CLI, 'diff', 'no-such-ref'], { cwd: repo.root }).catch((e) => e);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fetch-depth: 0');
  });
});
