import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { decode } from '../discover/read.js';
import { plainText } from '../render/escape.js';
import { Report } from '../report/schema.js';
import { InputError } from './inputs.js';

export const SAVED_REPORT_MAX_BYTES = 64 * 1024 * 1024;
const ISSUES_SHOWN = 5;

/**
 * A report saved by another run, such as an artifact of a fork's pull request: untrusted, so it must be a regular
 * file within the size limit and a report that the schema accepts whole, with no key the schema does not know.
 */
export async function readSavedReport(file: string): Promise<Report> {
  const refuse = (why: string) => new InputError(`input report: ${plainText(file, 200)} ${why}`);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ELOOP' ? 'is a symbolic link, which is not followed' : `cannot be opened (${code ?? 'error'})`);
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse('is not a regular file');
    if (stats.size > SAVED_REPORT_MAX_BYTES) throw refuse(`is ${stats.size} bytes, over the limit of ${SAVED_REPORT_MAX_BYTES} bytes`);
    bytes = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(bytes, 0, stats.size, 0);
    bytes = bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const read = decode(bytes);
  if (!read.ok) throw refuse(read.message);
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch {
    throw refuse('is not JSON');
  }
  const parsed = Report.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => plainText(`${i.path.join('.') || 'the report'}: ${i.message}`, 200));
    const more = issues.length > ISSUES_SHOWN ? ` (and ${issues.length - ISSUES_SHOWN} more)` : '';
    throw refuse(`is not an aivss-gate report that this version can publish: ${issues.slice(0, ISSUES_SHOWN).join('; ')}${more}`);
  }
  return parsed.data;
}
