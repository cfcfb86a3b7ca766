import { mkdtemp, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderSarifChunks } from '../render/sarif.js';
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
  await writeChunks(files.json, reportJsonChunks(report));
  await writeChunks(files.sarif, renderSarifChunks(report, { uriOf }));
  return files;
}

/** Writes the chunks a megabyte or so at a time: a write a chunk, 50,000 of them for a large SARIF log, took seconds. */
export async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length < 1024 * 1024) continue;
      await handle.write(pending);
      pending = '';
    }
    await handle.write(pending);
  } finally {
    await handle.close();
  }
}

const MODELS_MARK = 'aivss-gate:models';

/**
 * `${JSON.stringify(report)}\n`, a model at a time: the report of 10,000 models is about 76 MB of JSON, which as one
 * string (and its copies on the way to the file) was most of the run's peak memory. Compact rather than indented:
 * indentation doubles the size of a report of many threats (see SAVED_REPORT_MAX_BYTES), and the file is for
 * programs (the fork recipe's saved report, jq) rather than for reading.
 */
export function* reportJsonChunks(report: Report): Generator<string> {
  if (report.models.length === 0) {
    yield `${JSON.stringify(report)}\n`;
    return;
  }
  // The top-level key and its placeholder: a quote inside a string value is escaped, so nothing else looks like it.
  const slot = `"models":[${JSON.stringify(MODELS_MARK)}]`;
  const outline = JSON.stringify({ ...report, models: [MODELS_MARK] });
  const at = outline.indexOf(slot);
  yield `${outline.slice(0, at)}"models":[`;
  for (const [i, model] of report.models.entries()) yield `${i > 0 ? ',' : ''}${JSON.stringify(model)}`;
  yield `]${outline.slice(at + slot.length)}\n`;
}
