import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VALIDATOR = path.join(ROOT, 'node_modules/.bin/action-validator');
const WORKFLOWS = path.join(ROOT, '.github/workflows');

/** Runs @action-validator/cli, which checks the file against the action or workflow schema (by its name). */
async function validate(file: string): Promise<string> {
  try {
    await promisify(execFile)(VALIDATOR, [file]);
    return '';
  } catch (error) {
    return (error as { stderr?: string }).stderr || String(error);
  }
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  permissions?: unknown;
  concurrency?: { group?: string };
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

const workflowFiles = (await readdir(WORKFLOWS)).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
const readWorkflow = async (file: string) => ({ text: await readFile(path.join(WORKFLOWS, file), 'utf8'), parsed: parse(await readFile(path.join(WORKFLOWS, file), 'utf8')) as Workflow });

describe('action.yml', () => {
  test('is a valid action running dist/index.js on node24', async () => {
    const text = await readFile(path.join(ROOT, 'action.yml'), 'utf8');
    const action = parse(text) as { runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    // @action-validator 0.6.0, the latest, predates the node24 runtime: validate everything else under node20.
    const copy = path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-action-')), 'action.yml');
    await writeFile(copy, text.replace(/^(\s*using:\s*)node24\s*$/m, '$1node20'));
    expect(await validate(copy)).toBe('');
  });

  test('has no default for an option the config file can set, so the file is not overridden', async () => {
    const { inputs } = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    for (const name of ['config-file', 'paths', 'fail-on', 'on-unscored', 'on-removed', 'warn-only', 'report']) expect(inputs[name]!.default, name).toBeUndefined();
    expect(inputs['github-token']!.default).toBe('${{ github.token }}');
  });
});

describe.each(workflowFiles)('.github/workflows/%s', (file) => {
  test('is a valid workflow', async () => {
    expect(await validate(path.join(WORKFLOWS, file))).toBe('');
  });

  test('grants nothing at the top, pins every action by commit, and keeps no credentials in the checkout', async () => {
    const { text, parsed } = await readWorkflow(file);
    expect(parsed.permissions).toEqual({});
    expect(parsed.concurrency?.group).toMatch(/github\.event\.pull_request\.number/);
    for (const job of Object.values(parsed.jobs)) {
      expect(job.permissions?.contents).toBe('read');
      for (const step of job.steps.filter((s) => s.uses !== undefined && !s.uses.startsWith('./'))) {
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        // The version the commit is, for a reader and for update tools.
        expect(text).toMatch(new RegExp(`${step.uses!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d`));
        if (step.uses!.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });
});

test('the aivss-gate workflow runs this repository as the action, on its policy and on examples/', async () => {
  const { parsed } = await readWorkflow('aivss-gate.yml');
  const [job] = Object.values(parsed.jobs);
  expect(job!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  const runs = job!.steps.filter((s) => s.uses === './').map((s) => s.with ?? {});
  expect(runs).toEqual([{}, { paths: 'examples', 'warn-only': 'true', 'comment-header': 'examples' }]);
});
