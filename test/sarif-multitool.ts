import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Log } from 'sarif';

/** Microsoft's SARIF Multitool with GitHub's ingestion rules: the errors it finds in a file, or none. */
export async function multitoolErrors(input: string): Promise<string[]> {
  const output = path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-sarif-')), 'validation.sarif');
  const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  await promisify(execFile)(multitool, ['validate', input, '--rule-kind', 'Gh;Sarif', '--output', output], { timeout: 120_000 });
  const validation = JSON.parse(await readFile(output, 'utf8')) as Log;
  return (validation.runs[0]?.results ?? []).filter((r) => r.level === 'error').map((r) => `${r.ruleId}: ${JSON.stringify(r.message)}`);
}

/** The same, for a log in memory. */
export async function logErrors(log: Log): Promise<string[]> {
  const input = path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-sarif-')), 'report.sarif');
  await writeFile(input, JSON.stringify(log));
  return multitoolErrors(input);
}
