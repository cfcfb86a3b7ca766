import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { BUNDLE, OWNER, PR_NUMBER, REPO, runAction, type RunOptions } from './runner.js';

/**
 * The GitHub client's code is not in dist/index.js but in chunk files that the first API call loads: runs that make
 * no call never read them. Both are seen by running a copy of the bundle without its chunks.
 */

const PASSING: RunOptions['files'] = { 'threat-models/lookup.yaml': { fixture: 'low.threat-model.yaml' } };

async function withoutChunks(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-entry-only-'));
  const dist = path.dirname(BUNDLE);
  const chunks = (await readdir(dist)).filter((file) => file.endsWith('.js') && file !== 'index.js');
  expect(chunks).not.toEqual([]);
  for (const file of ['index.js', 'package.json']) await copyFile(path.join(dist, file), path.join(folder, file));
  return path.join(folder, 'index.js');
}

describe('the chunks of the bundle', () => {
  test('a push run, and a pull request with comment off, read none of them', async () => {
    const bundle = await withoutChunks();
    const push = await runAction({ bundle, event: 'push', files: PASSING });
    expect(push.stderr).toBe('');
    expect(push.exitCode).toBe(0);
    expect(push.outputs.verdict).toBe('pass');
    expect(push.stdout).toContain('no pull request in this push event');
    const off = await runAction({ bundle, files: PASSING, with: { comment: 'off' } });
    expect(off.stderr).toBe('');
    expect(off.exitCode).toBe(0);
    expect(off.commands).toEqual([]);
  });

  test('hold the GitHub client: without them, the comment fails and the verdict stands', async () => {
    const api = await FakeGitHub.start({ owner: OWNER, repo: REPO, issueNumber: PR_NUMBER });
    onTestFinished(() => api.stop());
    const result = await runAction({ bundle: await withoutChunks(), files: PASSING, apiUrl: api.url });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.annotations).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('could not write the pull-request comment') }),
    ]);
    expect(api.requests).toEqual([]);
  });
});
