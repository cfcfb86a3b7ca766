import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type Candidate } from '../../src/discover/discover.js';
import { includePatterns, PathOutsideRoot } from '../../src/discover/paths.js';
import { DEFAULT_EXCLUDE } from '../../src/policy/config.js';
import { SECRET, VALID_MODEL_YAML, mkfifo, useTempDirs } from '../fixtures/index.js';

/** Paths named to check (the CLI's arguments, the action's paths input) become the include patterns. */

const tempRepo = useTempDirs();

const TREE = {
  'threat-models/payments.yaml': VALID_MODEL_YAML,
  'services/pay/pay.threat-model.yaml': VALID_MODEL_YAML,
  'services/pay/notes.md': '# x\n',
  'services/pay/pay.threat-model.xml': '<x/>\n',
  'services/pay/config.yaml': 'a: 1\n',
  'services/README.md': '# services\n',
};

/** What discover finds in `root` for the named paths. */
async function named(root: string, paths: string[]) {
  const include = await includePatterns(root, paths);
  return discover({ root, include, exclude: DEFAULT_EXCLUDE, maxFiles: 10_000 });
}
const files = (candidates: readonly Candidate[]) => candidates.map((c) => c.file);

describe('includePatterns', () => {
  it('takes a file by itself, relative to the root or absolute inside it', async () => {
    const root = await tempRepo(TREE);
    expect(await includePatterns(root, ['services/pay/config.yaml', path.join(root, 'threat-models/payments.yaml')])).toEqual([
      'services/pay/config.yaml',
      'threat-models/payments.yaml',
    ]);
    expect(files((await named(root, ['services/pay/config.yaml'])).candidates)).toEqual(['services/pay/config.yaml']);
  });

  it('takes the model files of a folder, excluded ones left out, and of the root itself', async () => {
    const root = await tempRepo(TREE);
    expect(files((await named(root, ['services'])).candidates)).toEqual([
      'services/pay/config.yaml',
      'services/pay/notes.md',
      'services/pay/pay.threat-model.yaml',
    ]);
    expect((await named(root, ['.'])).candidates).toHaveLength(4);
  });

  it('matches a name that holds glob characters as it is, and a name that starts with two dots', async () => {
    const root = await tempRepo({ 'threat-models/[a]{b}*.yaml': VALID_MODEL_YAML, 'threat-models/a.yaml': '', '..notes.yaml': '' });
    expect(files((await named(root, ['threat-models/[a]{b}*.yaml', '..notes.yaml'])).candidates)).toEqual([
      '..notes.yaml',
      'threat-models/[a]{b}*.yaml',
    ]);
  });

  it('reports a path that does not exist as a pattern that matched nothing', async () => {
    const root = await tempRepo(TREE);
    expect(await named(root, ['threat-models/missing.yaml'])).toEqual({
      candidates: [],
      unmatched: ['threat-models/missing.yaml'],
      overflow: 0,
    });
  });

  it.each([
    ['an absolute path elsewhere', () => '/etc/passwd'],
    ['a path beside the root', () => '../elsewhere.threat-model.yaml'],
    ['the parent of the root', (root: string) => path.dirname(root)],
  ])('refuses %s', async (_what, given) => {
    const root = await tempRepo(TREE);
    await expect(includePatterns(root, [given(root)])).rejects.toThrow(PathOutsideRoot);
  });

  it('refuses a named symbolic link and a named FIFO unread, and never walks into a linked folder', async () => {
    const outside = await tempRepo({ 'sub/secret.threat-model.yaml': SECRET });
    const root = await tempRepo(TREE);
    await mkdir(path.join(root, 'threat-models'), { recursive: true });
    await symlink('/proc/self/environ', path.join(root, 'threat-models/environ.yaml'));
    mkfifo(path.join(root, 'threat-models/pipe.yaml'));
    await symlink(outside, path.join(root, 'escape'));
    const found = await named(root, ['threat-models/environ.yaml', 'threat-models/pipe.yaml', 'escape/sub']);
    expect(found.candidates).toEqual([
      { file: 'threat-models/environ.yaml', refusal: expect.stringMatching(/symbolic links/) },
      { file: 'threat-models/pipe.yaml', refusal: 'not a regular file' },
    ]);
    // The linked folder is a pattern of its own, which matches nothing: discover never follows the link.
    expect(found.unmatched).toEqual(['escape/sub/**/*.{yaml,yml,json,md,markdown,txt}']);
  });
});
