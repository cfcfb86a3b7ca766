import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine.js';
import { logErrors } from '../sarif-multitool.js';
import { resolveConfig } from '../../src/policy/config.js';
import { MAX_RESULTS, renderSarif, renderSarifChunks } from '../../src/render/sarif.js';
import type { ModelReport, Report } from '../../src/report/schema.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

async function examplesReport(): Promise<Report> {
  return check({ root: EXAMPLES, config: resolveConfig(null, { include: ['**/*'] }), today: '2026-12-01' });
}

describe('renderSarif', () => {
  it('passes the SARIF Multitool with GitHub ingestion rules at zero errors', async () => {
    const log = renderSarif(await examplesReport(), { uriOf: (file) => `examples/${file}` });
    expect(log.runs[0]!.results!.length).toBeGreaterThan(0);
    expect(await logErrors(log)).toEqual([]);
  }, 150_000);

  it('has one result per failing, unscored or invalid model and per open threat, at its file and line', async () => {
    const report = await examplesReport();
    const log = renderSarif(report);
    const results = log.runs[0]!.results!;
    const flagged = report.models.filter((m) => m.status !== 'scored' || m.gate.outcome !== 'pass');
    const open = report.models.flatMap((m) => m.layers.flatMap((l) => l.threats.filter((t) => t.status === 'open')));
    expect(results).toHaveLength(flagged.length + open.length);
    for (const result of results) {
      const rule = log.runs[0]!.tool.driver.rules![result.ruleIndex!]!;
      expect(rule.id).toBe(result.ruleId);
      expect(Number(rule.properties!['security-severity'])).toBeGreaterThan(0);
      expect(rule.properties!.tags).toContain('security');
      expect(rule.help!.markdown).toBeTruthy();
      expect(rule.fullDescription!.text).toBeTruthy();
      const where = result.locations![0]!.physicalLocation!;
      expect(report.models.map((m) => m.file)).toContain(where.artifactLocation!.uri);
      expect(where.region!.startLine).toBeGreaterThan(0);
    }
  });

  it('lists model results first, then threats from the most severe down, so that the limits cut the least severe', async () => {
    const log = renderSarif(await examplesReport());
    const rules = log.runs[0]!.tool.driver.rules!;
    const ranks = log.runs[0]!.results!.map((r) =>
      r.ruleId!.startsWith('aivss/threat/') ? 10 - Number(rules[r.ruleIndex!]!.properties!['security-severity']) : 0,
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBeGreaterThan(2);
  });

  it("gives a failing model's rule its AIVSS score as security-severity", async () => {
    const report = await examplesReport();
    const failing = report.models.find((m) => m.status === 'scored' && m.gate.outcome === 'fail')!;
    const rule = renderSarif(report).runs[0]!.tool.driver.rules!.find((r) => r.id === `aivss/score/${failing.agentId}`)!;
    expect(rule.properties!['security-severity']).toBe(failing.score!.toFixed(1));
  });

  it('tags threat rules with their MAESTRO layer and taxonomy ids, linked in the help', async () => {
    const rules = renderSarif(await examplesReport()).runs[0]!.tool.driver.rules!;
    const tagged = rules.find((r) => (r.properties!.tags as string[]).some((t) => t.startsWith('mitre-atlas/')))!;
    expect(tagged.properties!.tags).toEqual(expect.arrayContaining(['security', expect.stringMatching(/^maestro\/(L[1-7]|CL)$/)]));
    expect(tagged.help!.markdown).toMatch(/\]\(https:\/\/atlas\.mitre\.org\/techniques\/AML\.T\d{4}/);
  });

  it('keeps fingerprints stable across runs and when a model moves within its file', async () => {
    const report = await examplesReport();
    const moved: Report = { ...report, models: report.models.map((m) => ({ ...m, line: m.line + 7 })) };
    const prints = (r: Report) => renderSarif(r).runs[0]!.results!.map((x) => x.partialFingerprints);
    expect(prints(moved)).toEqual(prints(report));
    expect(new Set(prints(report).map((p) => p!['aivssGate/v1'])).size).toBe(prints(report).length);
  });

  /** The first model with threats, copied into three models of `perLayer` open threats on each layer. */
  async function manyThreats(perLayer: number, text: (i: number) => string): Promise<Report> {
    const report = await examplesReport();
    const model = report.models.find((m) => m.layers.some((l) => l.threats.length > 0))!;
    const threat = model.layers.flatMap((l) => l.threats)[0]!;
    const layers = model.layers.map((l) => ({
      ...l,
      threats: Array.from({ length: perLayer }, (_, i) => ({
        ...threat,
        id: `${l.id}-${i}`,
        title: text(i),
        description: text(i),
        status: 'open' as const,
      })),
    }));
    const models: ModelReport[] = Array.from({ length: 3 }, (_, i) => ({ ...model, agentId: `agent-${i}`, file: `m${i}.yaml`, layers }));
    return { ...report, models };
  }

  const leftOut = (log: Log) => log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.message.text;

  it("keeps at most GitHub's 25,000 results a run and says how many it left out", async () => {
    const report = await manyThreats(1200, (i) => `threat ${i}`);
    const log = renderSarif(report);
    expect(log.runs[0]!.results).toHaveLength(MAX_RESULTS);
    expect(leftOut(log)).toBe(`${3 * 7 * 1200 - MAX_RESULTS} more findings are left out to stay within GitHub's limits for one upload.`);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(MAX_RESULTS);
  });

  it('stays within the gzipped size budget however long the texts are, cutting the least severe', async () => {
    // Base64 of a hash chain: deterministic text that gzip can hardly shrink.
    const random = (i: number) => {
      const blocks = [createHash('sha512').update(String(i)).digest()];
      while (blocks.length < 48) blocks.push(createHash('sha512').update(blocks.at(-1)!).digest());
      return Buffer.concat(blocks).toString('base64');
    };
    const report = await manyThreats(40, random);
    const budget = 200_000;
    const log = renderSarif(report, { maxGzippedBytes: budget });
    expect(gzipSync(JSON.stringify(log)).length).toBeLessThanOrEqual(budget);
    const kept = log.runs[0]!.results!.length;
    expect(kept).toBeGreaterThan(0);
    expect(leftOut(log)).toBe(`${3 * 7 * 40 - kept} more findings are left out to stay within GitHub's limits for one upload.`);
    expect(JSON.stringify(renderSarif(report)).length).toBeGreaterThan(budget);
    // What the action writes is the same log, compact, a rule or a result at a time.
    const chunks = [...renderSarifChunks(report, { maxGzippedBytes: budget })];
    expect(chunks.join('')).toBe(`${JSON.stringify(log)}\n`);
    expect(chunks).toHaveLength(log.runs[0]!.tool.driver.rules!.length + kept + 3);
  });
});
