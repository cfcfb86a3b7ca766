import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { TOKEN } from './fake-github.js';
import { gitRepository, type FileChange } from '../fixtures/repository.js';
import { FIXTURES, runAction, type ActionRun, type RunOptions } from './runner.js';

/**
 * The config file is pull-request input like any other: committed as a link to .git/config, where
 * actions/checkout keeps the token, or to /dev/zero, it is refused unread; a config-file input cannot leave the
 * working directory; what its text holds (workflow commands, impossible dates) reaches the log as inert words,
 * and no failure shows a stack trace. No API is reachable: every run here fails before it would call one.
 */

/** How actions/checkout persists the token: an extra header, base64 of "x-access-token:<token>". */
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

/** A checkout whose base commit holds a passing model, and whose head (checked out) adds the given files. */
async function checkout(head: Record<string, FileChange>): Promise<{ workspace: string; baseSha: string; headSha: string }> {
  const workspace = path.join(await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-e2e-config-')), 'workspace');
  const repo = gitRepository(workspace);
  const model = await readFile(path.join(FIXTURES, 'low.threat-model.yaml'), 'utf8');
  const baseSha = repo.commit({ 'threat-models/lookup.yaml': model }, 'base');
  const headSha = repo.commit(head, 'head');
  repo.git('config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${BASIC}`);
  return { workspace, baseSha, headSha };
}

/** Failed before a verdict: exit 2, verdict fail, one error annotation; no secret, stack or forged command anywhere. */
function expectCouldNotRun(result: ActionRun): string {
  expect(result.exitCode).toBe(2);
  // The could-not-run report: its outputs, and nothing from the files.
  expect(result.outputs).toMatchObject({
    verdict: 'fail',
    models: '0',
    failed: '0',
    'report-json': expect.stringMatching(/report\.json$/),
  });
  for (const text of [result.stdout, result.stderr, JSON.stringify(result.outputs), result.summary]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(BASIC);
    expect(text).not.toContain('##[');
    expect(text).not.toMatch(/^\s+at .+[(:]\d+/m);
  }
  // A stack trace, if any, goes to the debug log, which the runner shows only when debug logging is on.
  const commands = result.commands.map((c) => c.slice(0, c.indexOf('::', 2) + 2)).filter((c) => c !== '::debug::');
  // On a pull request the run also tries to say so in the comment; with no API here, that is one warning.
  expect(commands.filter((c) => c !== '::warning::')).toEqual(['::error::']);
  expect(commands.length).toBeLessThanOrEqual(2);
  const [failure] = result.annotations;
  expect(failure!.message).toMatch(/^aivss-gate: could not run: /);
  return failure!.message;
}

const run = (options: Partial<RunOptions>) => runAction({ timeoutMs: 20_000, ...options });

describe('a config file committed as a symbolic link', () => {
  test.each(['pull_request', 'push'] as const)('to .git/config holding the token: refused unread on %s, naming the file', async (event) => {
    // The checkout is the pull request's head commit, as actions/checkout makes it with ref: head.sha.
    const message = expectCouldNotRun(await run({ event, ...(await checkout({ '.aivss-gate.yml': { link: '.git/config' } })) }));
    expect(message).toBe(
      'aivss-gate: could not run: .aivss-gate.yml: the config file in the working tree is refused (symbolic links are not followed)',
    );
  });

  test('to /dev/zero, named by the config-file input: refused at once, not read', async () => {
    const { workspace, baseSha } = await checkout({ 'gate.yml': { link: '/dev/zero' } });
    const message = expectCouldNotRun(await run({ event: 'push', workspace, baseSha, with: { 'config-file': 'gate.yml' } }));
    expect(message).toMatch(/^aivss-gate: could not run: gate\.yml: .*symbolic links are not followed/);
  });
});

describe('the config-file and working-directory inputs stay in the workspace', () => {
  test.each([
    ['config-file', '../../outside.yml', /input config-file: "\.\.\/\.\.\/outside\.yml" is outside the working directory/],
    ['config-file', '/etc/passwd', /input config-file: "\/etc\/passwd" is outside the working directory/],
    ['config-file', '.git/../../x.yml', /input config-file: .* is outside the working directory/],
    ['working-directory', 'escape', /input working-directory: "escape" is outside the checkout/],
  ])('%s: %s is refused', async (input, value, reason) => {
    const { workspace, baseSha } = await checkout({ escape: { link: '/tmp' } });
    expect(expectCouldNotRun(await run({ event: 'push', workspace, baseSha, with: { [input]: value } }))).toMatch(reason);
  });
});

describe('what a config file says reaches the log as words', () => {
  test('a key that holds workflow commands: labelled, on one line, inert', async () => {
    const text = '"x\\n::set-output name=verdict::pass\\n##[error]forged": 1\n';
    const message = expectCouldNotRun(await run({ event: 'push', files: { '.aivss-gate.yml': { text } } }));
    expect(message).toMatch(/^aivss-gate: could not run: \.aivss-gate\.yml:1: .*Unrecognized key/);
    expect(message).not.toMatch(/\n/);
  });

  test('an impossible waiver date: the file, line and field, not a RangeError', async () => {
    const text = 'waivers:\n  - model: lookup\n    owner: sec\n    reason: accepted\n    expires: 2027-13-01\n';
    const result = await run({ event: 'push', files: { '.aivss-gate.yml': { text } } });
    expect(expectCouldNotRun(result)).toMatch(/^aivss-gate: could not run: \.aivss-gate\.yml:5: waivers\.0\.expires: not a real date/);
    expect(result.stdout).not.toContain('RangeError');
  });

  test('YAML that does not parse: its line and column in words of our own, none of its text', async () => {
    const text = `fail-on: high\nwaivers: ]${BASIC}\n`;
    const message = expectCouldNotRun(await run({ event: 'push', files: { '.aivss-gate.yml': { text } } }));
    expect(message).toBe('aivss-gate: could not run: .aivss-gate.yml:2:10: a ] or } that closes nothing');
  });
});

describe('an error nobody foresaw', () => {
  test('fails the run with what went wrong, and no stack trace', async () => {
    const result = await run({ event: 'pull_request', payload: { pull_request: null }, files: {} });
    const message = expectCouldNotRun(result);
    expect(message).toMatch(
      /^aivss-gate: could not run: an unexpected error: Error: the pull_request event payload has no valid pull_request/,
    );
    expect(result.commands.filter((c) => c.startsWith('::debug::aivss-gate: Error: '))).toHaveLength(1);
  });
});
