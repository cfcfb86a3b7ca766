import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeInside } from '../../src/discover/read.js';
import { commitTree, type CommitEntry } from '../../src/discover/commit-tree.js';
import { comparePullRequest, loadConfig } from '../../src/engine.js';
import { ConfigError, type Config } from '../../src/policy/config.js';
import { workingTree } from '../../src/discover/tree.js';
import { SECRET, mkfifo, useTempDirs } from '../fixtures/index.js';

/**
 * The config file is read like a threat model: a regular file inside the root, within a size limit. A pull
 * request that commits it as a link to .git/config (where actions/checkout keeps the token) or to a device
 * gets a refusal that names the file and quotes nothing.
 */

const tempRepo = useTempDirs();
const GIT_CONFIG = `[core]\n\trepositoryformatversion = 0\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`;

async function refusal(load: () => Promise<Config>): Promise<ConfigError> {
  const error = await load().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).message).not.toContain(SECRET);
  return error as ConfigError;
}

describe('the config file of the working tree', () => {
  it('is refused as a link to a file holding a token, naming the file and quoting nothing', async () => {
    const root = await tempRepo({ 'git-config': GIT_CONFIG });
    await symlink('git-config', path.join(root, '.aivss-gate.yml'));
    const error = await refusal(() => loadConfig(root, undefined, {}));
    expect(error.lines).toEqual(['.aivss-gate.yml: the config file in the working tree is refused (symbolic links are not followed)']);
  });

  it('is refused as a link to /dev/zero, or as a named pipe, without reading (or waiting on) it', async () => {
    const root = await tempRepo();
    await symlink('/dev/zero', path.join(root, '.aivss-gate.yml'));
    expect((await refusal(() => loadConfig(root, undefined, {}))).message).toMatch(/symbolic links are not followed/);
    mkfifo(path.join(root, 'pipe.yml'));
    expect((await refusal(() => loadConfig(root, 'pipe.yml', {}))).message).toMatch(/^pipe\.yml: .*not a regular file/);
  });

  it('is refused above 1 MiB', async () => {
    const root = await tempRepo({ '.aivss-gate.yml': `# ${'x'.repeat(1024 * 1024)}\n` });
    expect((await refusal(() => loadConfig(root, undefined, {}))).message).toMatch(/over the limit of 1048576 bytes for a config file\)$/);
  });

  it('is read when it is a regular file, and its absence means the defaults', async () => {
    const root = await tempRepo({ '.aivss-gate.yml': 'fail-on: critical\n' });
    expect((await loadConfig(root, undefined, {}))['fail-on']).toBe('critical');
    expect((await loadConfig(await tempRepo(), undefined, {}))['fail-on']).toBe('high');
  });

  it('is refused as a link on either side of a pull request: the base commit and the working tree', async () => {
    const linked = await tempRepo({ 'git-config': GIT_CONFIG });
    await symlink('git-config', path.join(linked, '.aivss-gate.yml'));
    const compare = (base: CommitEntry[], head: string) => () =>
      comparePullRequest({ base: commit(base), head: workingTree(head), overrides: {} }).then(() => ({}) as Config);
    const link: CommitEntry = { path: '.aivss-gate.yml', mode: '120000', object: 'b'.repeat(40), size: 10 };
    expect((await refusal(compare([link], await tempRepo()))).lines).toEqual([
      '.aivss-gate.yml: the config file in the commit aaaaaaa is refused (is not a regular file in this commit)',
    ]);
    expect((await refusal(compare([], linked))).lines).toEqual([
      '.aivss-gate.yml: the config file in the working tree is refused (symbolic links are not followed)',
    ]);
    const large: CommitEntry = { path: '.aivss-gate.yml', mode: '100644', object: 'c'.repeat(40), size: 1024 * 1024 + 1 };
    expect((await refusal(compare([large], await tempRepo()))).lines).toEqual([
      '.aivss-gate.yml: the config file in the commit aaaaaaa is refused (is 1048577 bytes, over the limit of 1048576 bytes for a config file)',
    ]);
  });
});

const commit = (entries: CommitEntry[]) =>
  commitTree({ commit: 'a'.repeat(40), entries, prefix: '', readBlob: () => Promise.reject(new Error('a link is never read')) });

describe('relativeInside: a path given by a person, kept inside the root', () => {
  it.each([
    ['.aivss-gate.yml', '.aivss-gate.yml'],
    ['config/gate.yml', 'config/gate.yml'],
    ['./config/../gate.yml', 'gate.yml'],
    ['..notes.yml', '..notes.yml'],
    ['/repo/config/gate.yml', 'config/gate.yml'],
  ])('%s is %s', (given, expected) => {
    expect(relativeInside('/repo', given)).toBe(expected);
  });

  it.each(['../other/.aivss-gate.yml', '..', '/etc/passwd', '/repo-other/x.yml', 'config/../../x.yml'])('%s leaves it', (given) => {
    expect(relativeInside('/repo', given)).toBeNull();
  });
});

describe('a config file that is not YAML', () => {
  it('is refused at its line and column, without a word of its text', async () => {
    const root = await tempRepo({ '.aivss-gate.yml': GIT_CONFIG });
    const error = await refusal(() => loadConfig(root, undefined, {}));
    expect(error.lines).toEqual([
      '.aivss-gate.yml:2:2: unexpected text here: check the indentation and the colons on this line and the one above',
    ]);
    await writeFile(path.join(root, '.aivss-gate.yml'), `fail-on: high\nwaivers: ]${SECRET}\n`);
    expect((await refusal(() => loadConfig(root, undefined, {}))).lines).toEqual(['.aivss-gate.yml:2:10: a ] or } that closes nothing']);
  });
});
