import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/action/inputs.js';
import { reportJsonChunks } from '../../src/action/report-file.js';
import { readSavedReport, SAVED_REPORT_MAX_BYTES } from '../../src/action/saved-report.js';
import { workingTree } from '../../src/discover/tree.js';
import { comparePullRequest } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import type { Report } from '../../src/report/schema.js';
import { LAYER_IDS } from '../../src/spec/layers.js';
import { useTempDirs } from '../fixtures/index.js';

const tempDir = useTempDirs();
const MiB = 1024 * 1024;
const DEFAULTS = resolveConfig(null).limits;

const FACTORS =
  '{autonomy: 0.5, planning: 0.5, self-modification: 0.5, tool-use: 0.5, memory: 0.5, contextual-awareness: 0.5, identity: 0.5, multi-agent: 0.5, non-determinism: 0.5, opacity: 0.5}';

/** A valid model of about `bytes` bytes, of as many threats as fit, each as small as the schema allows. */
function minimalThreats(agent: string, idPrefix: string, bytes: number): string {
  const threat = (n: number) => `      - {id: ${idPrefix}${n}, title: x, severity: low, likelihood: low, status: open}\n`;
  const top = `formatVersion: 1\nagent: {id: ${agent}, name: A}\naivss: {cvss: 5, factors: ${FACTORS}}\nlayers:\n`;
  const perLayer = Math.min(500, Math.floor((bytes - top.length - 7 * 40) / threat(99_999).length / 7));
  let n = 0;
  const layers = LAYER_IDS.map(
    (id) => `  ${id}:\n    status: mapped\n    threats:\n${Array.from({ length: perLayer }, () => threat(n++)).join('')}`,
  );
  return top + layers.join('');
}

/** A small model that fails validation with as many problems as a report keeps (50, then "and N more"). */
const manyProblems = (agent: string) =>
  `formatVersion: 1\nagent: {id: ${agent}, name: A}\naivss: {cvss: 5}\nlayers:\n  L1:\n    status: mapped\n    threats:\n` +
  `      - {id: t, title: x, severity: low, likelihood: low, status: open, tags: [${Array.from({ length: 50 }, (_, i) => `X${i}`).join(', ')}]}\n`;

/** The pull request's report, and the head's bytes. */
async function pullRequest(base: Record<string, string>, head: Record<string, string>): Promise<{ report: Report; bytes: number }> {
  const report = await comparePullRequest({
    base: workingTree(await tempDir(base)),
    head: workingTree(await tempDir(head)),
    overrides: {},
    today: '2026-01-01',
  });
  return { report, bytes: Object.values(head).reduce((sum, text) => sum + Buffer.byteLength(text), 0) };
}

const written = (report: Report) => Buffer.byteLength([...reportJsonChunks(report)].join(''));

describe('a saved report', () => {
  it('can be as large as the gate writes under the default limits', async () => {
    // The densest report: a pull request that replaces every minimal threat of the base (1 MiB a side, scaled up).
    const files = (side: string) =>
      Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`threat-models/m${i}.yaml`, minimalThreats(`agent-${i}`, side, MiB / 4)]));
    const dense = await pullRequest(files('b'), files('h'));
    expect(dense.report.summary).toMatchObject({ models: 4, invalid: 0 });
    const densePerByte = written(dense.report) / dense.bytes;
    // Invalid files, each with as many problems as a report keeps.
    const invalid = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`threat-models/m${i}.yaml`, manyProblems(`a${i}`)]));
    const junk = await pullRequest(invalid, invalid);
    expect(junk.report.summary.invalid).toBe(20);
    expect(junk.report.models[0]!.errors).toHaveLength(51);
    const perInvalidFile = written(junk.report) / 20;

    const worst = densePerByte * DEFAULTS['max-total-bytes'] + perInvalidFile * DEFAULTS['max-files'];
    // About 255 MiB of threats and changes and 100 MiB of problems.
    expect(worst).toBeGreaterThan(340 * MiB);
    expect(worst).toBeLessThan(SAVED_REPORT_MAX_BYTES);
  });

  it('reads back as the report that was written', async () => {
    const { report } = await pullRequest(
      { 'threat-models/a.yaml': minimalThreats('a', 'b', 4096), 'threat-models/bad.yaml': manyProblems('bad') },
      { 'threat-models/a.yaml': minimalThreats('a', 'h', 4096), 'threat-models/bad.yaml': manyProblems('bad') },
    );
    const file = path.join(await tempDir({}), 'report.json');
    await writeFile(file, reportJsonChunks(report));
    expect(await readSavedReport(file)).toEqual(report);
  });

  it('names the model and the key that the schema refuses, model by model', async () => {
    const { report } = await pullRequest({}, { 'threat-models/a.yaml': minimalThreats('a', 'h', 2048) });
    const folder = await tempDir({});
    const save = async (data: unknown) => {
      const file = path.join(folder, 'report.json');
      await writeFile(file, JSON.stringify(data));
      return readSavedReport(file).then(
        () => 'accepted',
        (error: unknown) => (error instanceof InputError ? error.message : 'crashed'),
      );
    };
    const model = report.models[0]!;
    expect(await save({ ...report, models: [model, { ...model, score: '10' }, { ...model, extra: 1 }] })).toMatch(
      /is not an aivss-gate report that this version can publish: models\.1\.score: .*; models\.2: Unrecognized key: "extra"$/,
    );
    expect(await save({ ...report, verdict: 'passed', models: [{ ...model, score: '10' }] })).toMatch(/: verdict: .*; models\.0\.score: /);
    expect(await save({ ...report, couldNotRun: 'no base' })).toMatch(/the report: a report of a gate that could not run/);
  });
});
