import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { reportJsonChunks, writeChunks, writeReportFiles } from '../../src/action/report-file.js';
import { check } from '../../src/engine.js';
import { resolveConfig } from '../../src/policy/config.js';
import type { Report } from '../../src/report/schema.js';
import { useTempDirs } from '../fixtures/index.js';

const tempDir = useTempDirs();

const compact = (report: Report) => `${JSON.stringify(report)}\n`;

test('the report file is the report as compact JSON, written a model at a time', async () => {
  const report = await check({ root: 'examples', config: resolveConfig(null), today: '2026-01-01' });
  expect(report.models.length).toBeGreaterThan(2);
  // A pattern that reads like the placeholder of the models, before them in the report, changes nothing.
  const unmatched = ['aivss-gate:models', '"models":[', '"models":["aivss-gate:models"]'];
  const tricky = { ...report, discovery: { ...report.discovery, unmatched } };

  const chunks = [...reportJsonChunks(tricky)];
  const files = await writeReportFiles(tricky, (file) => file, await tempDir({}));

  expect(chunks.join('')).toBe(compact(tricky));
  expect(await readFile(files.json, 'utf8')).toBe(compact(tricky));
  // One chunk a model, and two around them: no chunk grows with the number of models.
  expect(chunks).toHaveLength(report.models.length + 2);
});

test('a report without models is written as it is', async () => {
  const report = { ...(await check({ root: 'examples', config: resolveConfig(null), today: '2026-01-01' })), models: [] };
  expect([...reportJsonChunks(report)].join('')).toBe(compact(report));
});

test('chunks are written together, a megabyte or so at a time, in their order', async () => {
  const chunks = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(600_000));
  const file = `${await tempDir({})}/chunks.txt`;
  await writeChunks(file, chunks);
  expect(await readFile(file, 'utf8')).toBe(chunks.join(''));
});
