import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { decode } from '../discover/read.js';
import { plainText } from '../render/escape.js';
import { ModelReport, ReportOutline, type Report } from '../report/schema.js';
import { InputError } from './inputs.js';

/**
 * What the gate itself writes under its default limits (10,000 files, 64 MiB a side), as compact JSON, with room
 * to spare: the densest report measured, of minimal threats that a pull request all replaces, makes about 4 bytes
 * of report a byte of model (the threat, then a change for it and for the base's one it replaces), 255 MiB for
 * 64 MiB a side; invalid files of 51 problems each add 11 KB a file, about 100 MiB more at 10,000 files
 * (test/action/saved-report.test.ts measures both). Under V8's longest string, 512 MiB.
 */
export const SAVED_REPORT_MAX_BYTES = 384 * 1024 * 1024;
const ISSUES_SHOWN = 5;

/**
 * A report saved by another run, such as an artifact of a fork's pull request: untrusted, so it must be a regular
 * file within the size limit and a report that the schema accepts whole, with no key the schema does not know.
 * The file is held as bytes, then as text, then as parsed JSON, each let go once the next is made; the models are
 * checked one at a time, each replacing its parsed JSON, so that two copies of the report are never held.
 */
export async function readSavedReport(file: string): Promise<Report> {
  const refuse = (why: string) => new InputError(`input report: ${plainText(file, 200)} ${why}`);
  const data = parseJson(textOf(await readBounded(file, refuse), refuse), refuse);
  const rawModels = (data as { models?: unknown } | null)?.models;
  const models: unknown[] = Array.isArray(rawModels) ? rawModels : [];
  const modelIssues = [];
  for (const [i, model] of models.entries()) {
    const checked = ModelReport.safeParse(model);
    if (checked.success) models[i] = checked.data;
    else modelIssues.push(...checked.error.issues.map((issue) => ({ ...issue, path: ['models', i, ...issue.path] })));
  }
  const outline = ReportOutline.safeParse(data);
  const issues = [...(outline.success ? [] : outline.error.issues), ...modelIssues];
  if (!outline.success || issues.length > 0) {
    const shown = issues.map((i) => plainText(`${i.path.join('.') || 'the report'}: ${i.message}`, 200));
    const more = shown.length > ISSUES_SHOWN ? ` (and ${shown.length - ISSUES_SHOWN} more)` : '';
    throw refuse(`is not an aivss-gate report that this version can publish: ${shown.slice(0, ISSUES_SHOWN).join('; ')}${more}`);
  }
  return { ...outline.data, models: outline.data.models as ModelReport[] };
}

async function readBounded(file: string, refuse: (why: string) => InputError): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ELOOP' ? 'is a symbolic link, which is not followed' : `cannot be opened (${code ?? 'error'})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse('is not a regular file');
    if (stats.size > SAVED_REPORT_MAX_BYTES) throw refuse(`is ${stats.size} bytes, over the limit of ${SAVED_REPORT_MAX_BYTES} bytes`);
    const bytes = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(bytes, 0, stats.size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function textOf(bytes: Buffer, refuse: (why: string) => InputError): string {
  const read = decode(bytes);
  if (!read.ok) throw refuse(read.message);
  return read.text;
}

function parseJson(text: string, refuse: (why: string) => InputError): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw refuse('is not JSON');
  }
}
