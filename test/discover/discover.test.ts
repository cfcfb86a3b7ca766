import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type Candidate, type DiscoverOptions } from '../../src/discover/discover.js';
import { decode, readCandidate, THREAT_MODEL_LIMIT } from '../../src/discover/read.js';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../../src/policy/config.js';
import { SECRET, VALID_MODEL_YAML, mkfifo, useTempDirs } from '../fixtures/index.js';

const tempRepo = useTempDirs();

const find = (root: string, options: Partial<DiscoverOptions> = {}) =>
  discover({ root, include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE, maxFiles: 10_000, ...options });
const files = (candidates: readonly Candidate[]) => candidates.map((c) => c.file);
const refusalOf = (candidates: readonly Candidate[], file: string) => {
  const candidate = candidates.find((c) => c.file === file);
  expect(candidate, `${file} should be a candidate`).toBeDefined();
  return candidate!.refusal;
};
const read = (root: string, file: string, maxFileBytes = 1024 * 1024) =>
  readCandidate(root, file, { maxBytes: maxFileBytes, label: THREAT_MODEL_LIMIT });

/** A repository with files the default patterns find, and some they must not. */
const TREE = {
  'threat-models/payments.yaml': VALID_MODEL_YAML,
  'threat-models/notes.md': 'notes\n',
  'threat-models/README.md': '# About these models\n',
  'threat-models/sub/deep/agent.json': '{}\n',
  'services/pay/pay.threat-model.yaml': VALID_MODEL_YAML,
  'services/pay/pay.threat-model.yml': VALID_MODEL_YAML,
  'services/pay/pay.threat-model.json': '{}\n',
  'services/pay/pay.threat-model.md': '# x\n',
  'services/pay/pay.threat-model.txt': 'x\n',
  'services/pay/pay.threat-model.xml': '<x/>\n',
  'services/pay/config.yaml': 'a: 1\n',
  'services/README.md': '# services\n',
  'root.threat-model.yaml': VALID_MODEL_YAML,
  '.hidden/h.threat-model.yaml': VALID_MODEL_YAML,
  'node_modules/pkg/threat-models/x.yaml': VALID_MODEL_YAML,
  'node_modules/pkg/x.threat-model.yaml': VALID_MODEL_YAML,
  '.git/threat-models/x.yaml': VALID_MODEL_YAML,
};

const DEFAULT_FOUND = [
  '.hidden/h.threat-model.yaml',
  'root.threat-model.yaml',
  'services/pay/pay.threat-model.json',
  'services/pay/pay.threat-model.md',
  'services/pay/pay.threat-model.txt',
  'services/pay/pay.threat-model.yaml',
  'services/pay/pay.threat-model.yml',
  'threat-models/notes.md',
  'threat-models/payments.yaml',
  'threat-models/sub/deep/agent.json',
];

describe('discover with the default patterns', () => {
  it('finds threat-models/** and **/*.threat-model.*, sorted, skipping node_modules, .git and README.md', async () => {
    const root = await tempRepo(TREE);
    const discovery = await find(root);
    expect(files(discovery.candidates)).toEqual(DEFAULT_FOUND);
    expect(discovery.candidates.every((c) => c.refusal === null)).toBe(true);
    expect(discovery.unmatched).toEqual([]);
  });

  it('finds README.md when the exclude list is empty', async () => {
    const root = await tempRepo(TREE);
    expect(files((await find(root, { exclude: [] })).candidates)).toContain('threat-models/README.md');
  });

  it('never walks into node_modules or .git, even with no exclude patterns', async () => {
    const root = await tempRepo(TREE);
    const found = files((await find(root, { exclude: [] })).candidates);
    expect(found.filter((f) => f.includes('node_modules') || f.includes('.git/'))).toEqual([]);
  });

  it('keeps the first max-files candidates in order and counts the rest, never dropping them silently', async () => {
    const root = await tempRepo(TREE);
    const discovery = await find(root, { maxFiles: 3 });
    expect(files(discovery.candidates)).toEqual(DEFAULT_FOUND.slice(0, 3));
    expect(discovery.overflow).toBe(DEFAULT_FOUND.length - 3);
  });

  it('excludes what the exclude patterns name', async () => {
    const root = await tempRepo(TREE);
    const discovery = await find(root, { exclude: [...DEFAULT_EXCLUDE, 'services/**', '**/*.md'] });
    expect(files(discovery.candidates)).toEqual([
      '.hidden/h.threat-model.yaml',
      'root.threat-model.yaml',
      'threat-models/payments.yaml',
      'threat-models/sub/deep/agent.json',
    ]);
  });

  it('reports the include patterns that matched nothing', async () => {
    const root = await tempRepo({ 'threat-models/a.yaml': VALID_MODEL_YAML });
    const discovery = await find(root, { include: ['threat-models/**', 'models/**', '**/*.threat-model.yaml'] });
    expect(files(discovery.candidates)).toEqual(['threat-models/a.yaml']);
    expect(discovery.unmatched).toEqual(['models/**', '**/*.threat-model.yaml']);
  });

  it('reports both default patterns for an empty repository', async () => {
    const root = await tempRepo({ 'src/index.ts': 'export {};\n' });
    expect(await find(root)).toEqual({ candidates: [], unmatched: DEFAULT_INCLUDE, overflow: 0 });
  });

  it('counts an include pattern whose only files are excluded as matching nothing', async () => {
    const root = await tempRepo({ 'threat-models/README.md': '# About\n' });
    const discovery = await find(root);
    expect(discovery.candidates).toEqual([]);
    expect(discovery.unmatched).toEqual(DEFAULT_INCLUDE);
  });
});

describe('discover: links and special files are candidates with a refusal', () => {
  async function repoWithLinks(): Promise<string> {
    const root = await tempRepo({ ...TREE, 'threat-models/target.yaml': VALID_MODEL_YAML });
    const link = (target: string, name: string) => symlink(target, path.join(root, 'threat-models', name));
    await link('target.yaml', 'inside.yaml');
    await link('../../..', 'up.yaml');
    await link('/proc/self/environ', 'environ.yaml');
    await link('../services', 'linked-dir');
    await link('does-not-exist.yaml', 'dangling.yaml');
    await symlink('../threat-models/target.yaml', path.join(root, 'services', 'linked.threat-model.yaml'));
    return root;
  }

  const LINKS = ['inside.yaml', 'up.yaml', 'environ.yaml', 'linked-dir', 'dangling.yaml'].map((name) => `threat-models/${name}`);

  it('lists each link that matches the patterns, refused, and does not walk into a linked directory', async () => {
    const root = await repoWithLinks();
    const { candidates } = await find(root);
    for (const file of [...LINKS, 'services/linked.threat-model.yaml']) {
      expect(refusalOf(candidates, file)).toMatch(/symbolic links are not followed/);
    }
    expect(refusalOf(candidates, 'threat-models/target.yaml')).toBeNull();
    expect(files(candidates).filter((f) => f.startsWith('threat-models/linked-dir/'))).toEqual([]);
  });

  it.each(LINKS)('refuses to read %s', async (file) => {
    const root = await repoWithLinks();
    const result = await read(root, file);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/symbolic links are not followed|not a regular file/) });
  });

  it('refuses a FIFO without blocking, when listing it and when reading it', async () => {
    const root = await tempRepo(TREE);
    mkfifo(path.join(root, 'threat-models', 'pipe.yaml'));
    const { candidates } = await find(root);
    expect(refusalOf(candidates, 'threat-models/pipe.yaml')).toBe('not a regular file');
    expect(await read(root, 'threat-models/pipe.yaml')).toEqual({ ok: false, message: 'not a regular file' });
  });
});

describe('readCandidate', () => {
  it('reads a regular file as UTF-8 text', async () => {
    const root = await tempRepo({ 'm.yaml': 'name: Café ✓\n' });
    expect(await read(root, 'm.yaml')).toEqual({ ok: true, text: 'name: Café ✓\n', bytes: Buffer.byteLength('name: Café ✓\n') });
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const root = await tempRepo({ 'm.yaml': '\uFEFFa: 1\n' });
    expect(await read(root, 'm.yaml')).toMatchObject({ ok: true, text: 'a: 1\n' });
  });

  it('reads a file at the size limit and refuses one byte more, naming the limit', async () => {
    const root = await tempRepo({ 'fits.yaml': 'a'.repeat(1024), 'big.yaml': `${SECRET}${'a'.repeat(1025 - SECRET.length)}` });
    expect(await read(root, 'fits.yaml', 1024)).toMatchObject({ ok: true, bytes: 1024 });
    const result = await read(root, 'big.yaml', 1024);
    expect(result).toEqual({ ok: false, message: 'is 1025 bytes, over the limit of 1024 bytes (limits.max-file-bytes)' });
  });

  it.each([
    ['a binary file (NUL byte)', Buffer.from(`${SECRET}\0rest`), /binary file/],
    ['invalid UTF-8', Buffer.concat([Buffer.from(SECRET), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]), /not valid UTF-8/],
    ['a lone surrogate encoded in UTF-8', Buffer.concat([Buffer.from(SECRET), Buffer.from([0xed, 0xa0, 0x80])]), /not valid UTF-8/],
    [
      'a Git LFS pointer',
      Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${SECRET}\nsize 12345\n`),
      /Git LFS pointer.*lfs: true/,
    ],
  ])('refuses %s without quoting it', async (_what, content, reason) => {
    const root = await tempRepo({ 'threat-models/m.yaml': content });
    const result = await read(root, 'threat-models/m.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(reason);
    expect(result.message).not.toContain(SECRET);
    expect(result.message).not.toContain('AKIA');
  });

  it('refuses a directory and a missing file', async () => {
    const root = await tempRepo(TREE);
    await mkdir(path.join(root, 'threat-models/dir.yaml'));
    expect(await read(root, 'threat-models/dir.yaml')).toEqual({ ok: false, message: 'not a regular file' });
    expect(await read(root, 'threat-models/missing.yaml')).toEqual({ ok: false, message: 'does not exist', missing: true });
  });

  it('reads through a root given with a trailing separator or as a link', async () => {
    const root = await tempRepo({ 'threat-models/a.yaml': 'a: 1\n' });
    const alias = await tempRepo();
    await symlink(root, path.join(alias, 'repo'));
    expect(await read(`${root}${path.sep}`, 'threat-models/a.yaml')).toMatchObject({ ok: true });
    expect(await read(path.join(alias, 'repo'), 'threat-models/a.yaml')).toMatchObject({ ok: true });
  });
});

describe('decode', () => {
  it('accepts an empty file', () => {
    expect(decode(new Uint8Array())).toEqual({ ok: true, text: '', bytes: 0 });
  });

  it('refuses an LFS pointer only at the start of the file', () => {
    expect(decode(Buffer.from('note: version https://git-lfs.github.com/spec/v1\n'))).toMatchObject({ ok: true });
  });

  it('looks for NUL bytes in the first 8000 bytes', () => {
    const bytes = Buffer.alloc(8000, 0x61);
    bytes[7999] = 0;
    expect(decode(bytes)).toMatchObject({ ok: false, message: expect.stringMatching(/binary/) });
  });
});
