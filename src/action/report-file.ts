import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../report/schema.js';

/** Writes the full JSON report under the runner's temporary folder (a fresh folder per run) and returns its path. */
export async function writeReportFile(report: Report, tempDir = process.env.RUNNER_TEMP || os.tmpdir()): Promise<string> {
  const folder = await mkdtemp(path.join(tempDir, 'aivss-gate-'));
  const file = path.join(folder, 'report.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
