import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderSarif } from '../render/sarif.js';
import type { Report } from '../report/schema.js';

export interface ReportFiles {
  json: string;
  sarif: string;
}

/**
 * Writes the full JSON report and its SARIF log under the runner's temporary folder (a fresh folder per run) and
 * returns their paths. SARIF names files from the repository's top, as code scanning wants them.
 */
export async function writeReportFiles(
  report: Report,
  uriOf: (file: string) => string,
  tempDir = process.env.RUNNER_TEMP || os.tmpdir(),
): Promise<ReportFiles> {
  const folder = await mkdtemp(path.join(tempDir, 'aivss-gate-'));
  const files = { json: path.join(folder, 'report.json'), sarif: path.join(folder, 'report.sarif') };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.sarif, `${JSON.stringify(renderSarif(report, { uriOf }), null, 2)}\n`);
  return files;
}
