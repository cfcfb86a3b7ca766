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
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { if?: string; needs?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

const EXAMPLES = path.join(ROOT, 'docs/workflows');
const yamlFiles = async (folder: string) => (await readdir(folder)).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
const workflowFiles = await yamlFiles(WORKFLOWS);
const exampleFiles = await yamlFiles(EXAMPLES);
const readWorkflow = async (file: string, folder = WORKFLOWS) => {
  const text = await readFile(path.join(folder, file), 'utf8');
  return { text, parsed: parse(text) as Workflow };
};

/** Every action other than this one pinned by commit, with the version it is in a comment; checkouts keep no credentials. */
function expectPinned(text: string, steps: readonly Step[], ownAction: (uses: string) => boolean): void {
  for (const step of steps.filter((s) => s.uses !== undefined && !ownAction(s.uses))) {
    expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40}$/);
    // The version the commit is, for a reader and for update tools.
    expect(text).toMatch(new RegExp(`${step.uses!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d`));
    if (step.uses!.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
  }
}

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
    for (const name of ['config-file', 'paths', 'fail-on', 'on-unscored', 'on-removed', 'warn-only', 'report'])
      expect(inputs[name]!.default, name).toBeUndefined();
    expect(inputs['github-token']!.default).toBe('${{ github.token }}');
  });
});

describe.each(workflowFiles)('.github/workflows/%s', (file) => {
  test('is a valid workflow', async () => {
    // @action-validator 0.6.0 predates the attestations permission: validate everything else without it.
    const { text } = await readWorkflow(file);
    const copy = path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-workflow-')), file);
    await writeFile(copy, text.replace(/^ +attestations: write\b.*\n/m, ''));
    expect(await validate(copy)).toBe('');
  });

  test('grants nothing at the top, pins every action by commit, and keeps no credentials in the checkout', async () => {
    const { text, parsed } = await readWorkflow(file);
    expect(parsed.permissions).toEqual({});
    for (const job of Object.values(parsed.jobs)) expectPinned(text, job.steps, (uses) => uses.startsWith('./'));
  });
});

describe.each(workflowFiles.filter((file) => file !== 'release.yml'))('.github/workflows/%s', (file) => {
  test('runs one at a time per pull request, and every job only reads the repository', async () => {
    const { parsed } = await readWorkflow(file);
    expect(parsed.concurrency?.group).toMatch(/github\.event\.pull_request\.number/);
    for (const job of Object.values(parsed.jobs)) expect(job.permissions?.contents).toBe('read');
  });
});

describe('the release workflow', () => {
  const release = () => readWorkflow('release.yml');

  test('runs on version tags only, one release at a time, never cancelled halfway', async () => {
    const { parsed } = await release();
    expect(parsed.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(parsed.concurrency).toEqual({ group: 'release-${{ github.ref }}', 'cancel-in-progress': false });
  });

  test('verifies, then publishes, then releases, each job with the least it needs', async () => {
    const { parsed } = await release();
    const jobs = parsed.jobs;
    expect(Object.keys(jobs)).toEqual(['verify', 'publish', 'release']);
    expect([jobs.verify!.needs, jobs.publish!.needs, jobs.release!.needs]).toEqual([undefined, 'verify', 'publish']);
    expect(jobs.verify!.permissions).toEqual({ contents: 'read' });
    expect(jobs.publish!.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    expect(jobs.release!.permissions).toEqual({ contents: 'write' });
  });

  test('checks the tag and the notes, and runs everything CI runs, before anything is published', async () => {
    const runs = (await release()).parsed.jobs.verify!.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('if [ "$TAG" != "v$version" ]');
    expect(runs).toContain('bash scripts/release-notes.sh "${TAG#v}"');
    expect(runs).toContain('bash .ci/run');
  });

  test('publishes the committed bundles with provenance and attests them, running no dependency where it holds the OIDC token', async () => {
    const { steps } = (await release()).parsed.jobs.publish!;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).not.toMatch(/npm (ci|install|run|test)|npx /);
    expect(runs).toContain('npm publish "./$TARBALL" --provenance --access public --ignore-scripts');
    const attest = steps.find((s) => s.uses?.startsWith('actions/attest@'));
    expect(String(attest?.with?.['subject-path']).trim().split('\n')).toEqual([
      'dist/*.js',
      'dist/cli/*.js',
      '${{ steps.pack.outputs.tarball }}',
    ]);
  });

  test('takes the release notes from the CHANGELOG.md section of the version', async () => {
    const notes = promisify(execFile)('bash', [path.join(ROOT, 'scripts/release-notes.sh'), '0.1.0'], { cwd: ROOT });
    expect((await notes).stdout).toMatch(/^The first release\.\n\n### Added\n/);
    expect((await notes).stdout).not.toContain('## [');
    await expect(promisify(execFile)('bash', [path.join(ROOT, 'scripts/release-notes.sh'), '0.1'], { cwd: ROOT })).rejects.toThrow(
      /no section "## \[0\.1\]"/,
    );
  });
});

test('the aivss-gate workflow runs this repository as the action, on its policy and on examples/', async () => {
  const { parsed } = await readWorkflow('aivss-gate.yml');
  const [job] = Object.values(parsed.jobs);
  expect(job!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  const runs = job!.steps.filter((s) => s.uses === './').map((s) => s.with ?? {});
  expect(runs).toEqual([{}, { paths: 'examples', 'warn-only': 'true', 'comment-header': 'examples' }]);
});

/** The example workflows of the docs name this action OWNER/aivss-gate@v1 and tell the reader to pin it. */
const isThisAction = (uses: string) => uses === 'OWNER/aivss-gate@v1';

describe.each(exampleFiles)('docs/workflows/%s', (file) => {
  test('is a valid workflow, grants nothing at the top and pins every other action by commit', async () => {
    expect(await validate(path.join(EXAMPLES, file))).toBe('');
    const { text, parsed } = await readWorkflow(file, EXAMPLES);
    expect(parsed.permissions).toEqual({});
    for (const job of Object.values(parsed.jobs)) expectPinned(text, job.steps, isThisAction);
  });

  test('is shown whole in the README or docs/action.md', async () => {
    const { text } = await readWorkflow(file, EXAMPLES);
    const docs = await Promise.all(['README.md', 'docs/action.md'].map((doc) => readFile(path.join(ROOT, doc), 'utf8')));
    expect(docs.some((doc) => doc.includes(`\`\`\`yaml\n${text}\`\`\``))).toBe(true);
  });
});

describe('the fork recipe', () => {
  test('the pull_request workflow gates with contents: read and the whole history, and uploads the report whatever the verdict', async () => {
    const { parsed } = await readWorkflow('aivss-gate.yml', EXAMPLES);
    expect(Object.keys(parsed.on)).toEqual(['pull_request']);
    const [job] = Object.values(parsed.jobs);
    expect(job!.permissions).toEqual({ contents: 'read' });
    const [checkout, gate, upload] = job!.steps;
    expect(checkout!.with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    expect(gate).toMatchObject({ id: 'gate', uses: 'OWNER/aivss-gate@v1' });
    expect(upload).toMatchObject({
      if: "${{ !cancelled() && steps.gate.outputs.report-json != '' }}",
      with: { name: 'aivss-gate-report', path: '${{ steps.gate.outputs.report-json }}' },
    });
  });

  test('the workflow_run workflow never checks out or runs code, and publishes the artifact of the triggering run', async () => {
    const gate = await readWorkflow('aivss-gate.yml', EXAMPLES);
    const { parsed } = await readWorkflow('aivss-gate-comment.yml', EXAMPLES);
    expect(parsed.on).toEqual({ workflow_run: { workflows: [gate.parsed.name], types: ['completed'] } });
    const [job] = Object.values(parsed.jobs);
    expect(job!.if).toContain("github.event.workflow_run.event == 'pull_request'");
    // A gate that failed, or could not run, uploaded a report all the same: it is published too.
    expect(job!.if).toContain("github.event.workflow_run.conclusion != 'cancelled'");
    expect(job!.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(job!.steps.filter((s) => s.run !== undefined || s.uses?.startsWith('actions/checkout@'))).toEqual([]);
    const [download, publish] = job!.steps;
    expect(download!.with).toMatchObject({
      name: 'aivss-gate-report',
      'run-id': '${{ github.event.workflow_run.id }}',
      'github-token': '${{ github.token }}',
    });
    expect(publish).toEqual({ uses: 'OWNER/aivss-gate@v1', with: { report: `${download!.with!.path as string}/report.json` } });
  });
});

test('the pull_request_target workflow checks out the head as files, without credentials, and runs nothing from it', async () => {
  const { parsed } = await readWorkflow('pull-request-target.yml', EXAMPLES);
  expect(Object.keys(parsed.on)).toEqual(['pull_request_target']);
  const [job] = Object.values(parsed.jobs);
  expect(job!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  expect(job!.steps.map((s) => s.uses)).toEqual([expect.stringMatching(/^actions\/checkout@/), 'OWNER/aivss-gate@v1']);
  expect(job!.steps[0]!.with).toEqual({
    ref: '${{ github.event.pull_request.head.sha }}',
    'persist-credentials': false,
    'fetch-depth': 0,
  });
  expect(job!.steps[1]!.with).toBeUndefined();
});

describe('the code scanning recipe', () => {
  test('uploads the sarif-file output whatever the verdict, with security-events: write, pinned by commit', async () => {
    const { parsed } = await readWorkflow('code-scanning.yml', EXAMPLES);
    const [job] = Object.values(parsed.jobs);
    expect(job!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write' });
    const upload = job!.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toMatchObject({
      if: "${{ !cancelled() && steps.gate.outputs.sarif-file != '' }}",
      with: { sarif_file: '${{ steps.gate.outputs.sarif-file }}' },
    });
    expect(upload!.uses).toMatch(/@[0-9a-f]{40}$/);
  });

  test('action.yml declares the sarif-file output', async () => {
    const { outputs } = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { outputs: Record<string, unknown> };
    expect(outputs['sarif-file']).toBeDefined();
  });
});
