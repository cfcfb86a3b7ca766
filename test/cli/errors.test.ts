import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

/**
 * What the CLI writes when it cannot give a verdict: one labelled line per problem on stderr, exit status 2,
 * never a stack trace, and never a line the Actions runner would read as a workflow command, whatever the files hold.
 */

async function cli(args: string[], cwd: string, stdout?: Writable) {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    cwd,
    stdout: stdout ?? sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env: {},
  });
  return { code, stdout: out, stderr: err };
}

const repo = (files: Record<string, string> = {}) => {
  const root = mkdtempSync(path.join(tmpdir(), 'aivss-cli-errors-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text);
  return root;
};

/** Lines the runner would act on: `::command` at the start of a line, or `##[command]` anywhere in it. */
const commandLines = (text: string) =>
  text.split(/\r\n|[\n\r\u2028\u2029\u0085]/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe('errors of the CLI', () => {
  it('a config key that holds workflow commands reaches stderr as labelled, inert text', async () => {
    const root = repo({
      '.aivss-gate.yml': '"x\\n::set-output name=verdict::pass\\n##[error]forged": 1\nfail-on: "\\n::stop-commands::t"\n',
    });
    const { code, stderr } = await cli(['check'], root);
    expect(code).toBe(2);
    expect(commandLines(stderr)).toEqual([]);
    for (const line of stderr.trimEnd().split('\n')) expect(line).toMatch(/^aivss-gate: \.aivss-gate\.yml:[12]: /);
  });

  it.each([
    ['--root that does not exist', ['check', '--root', 'missing'], /^aivss-gate: --root: .*missing is not a folder that exists\n$/],
    [
      '--output into a missing folder',
      ['check', '--output', 'missing/report.json'],
      /^aivss-gate: cannot write missing\/report\.json: it or its folder does not exist\n$/,
    ],
    ['convert of a missing file', ['convert', 'missing.txt'], /^aivss-gate: cannot read missing\.txt: it or its folder does not exist\n$/],
    [
      '--config outside the root',
      ['check', '--config', '../elsewhere.yml'],
      /^aivss-gate: --config: \.\.\/elsewhere\.yml is outside the repository root /,
    ],
  ])('%s: one line, exit 2', async (_what, args, expected) => {
    const { code, stderr } = await cli(args, repo({ 'a.threat-model.yaml': 'x: 1\n' }));
    expect(code).toBe(2);
    expect(stderr).toMatch(expected);
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  it('an unexpected error is one line and exit 2, with no stack trace', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('the pipe broke'));
      },
    });
    broken.write = () => {
      throw new TypeError('the pipe broke');
    };
    const { code, stderr } = await cli(['schema'], repo(), broken);
    expect(code).toBe(2);
    expect(stderr).toBe('aivss-gate: unexpected error: the pipe broke\n');
  });
});

describe('any config text', () => {
  const pieces = [
    'fail-on: ',
    'waivers:\n  - model: a\n    owner: b\n    reason: c\n    expires: ',
    '2027-13-01',
    '2027-02-30',
    'include: ',
    '[',
    ']',
    '{',
    '}',
    '"',
    "'",
    '\\n',
    '\\u2028',
    '\n',
    '  ',
    '- ',
    ': ',
    '::set-output name=verdict::pass',
    '::error::x',
    '##[error]',
    '%0A',
    '\t',
    '&a ',
    '*a',
    '!!str ',
    '__proto__',
    '.nan',
    '1e400',
    'high',
    '7.5',
    '#',
    '\u001b[31m',
    '\u202e',
    'limits:\n  max-files: ',
  ];
  const configText = fc.oneof(
    fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 120 }),
  );

  it('makes the CLI exit 0, 1 or 2 with no stack trace and no workflow command in its output', async () => {
    const root = repo();
    await fc.assert(
      fc.asyncProperty(configText, async (text) => {
        writeFileSync(path.join(root, '.aivss-gate.yml'), text);
        const { code, stdout, stderr } = await cli(['check'], root);
        expect([0, 1, 2]).toContain(code);
        expect(commandLines(stdout + stderr)).toEqual([]);
        expect(stderr).not.toMatch(STACK_FRAME);
        expect(stderr).not.toMatch(/RangeError|TypeError/);
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('the same for any threat-model text, in a .yaml, a .json or a .md file, in every format', async () => {
    const root = repo();
    mkdirSync(path.join(root, 'threat-models'));
    await fc.assert(
      fc.asyncProperty(
        configText,
        fc.constantFrom('yaml', 'json', 'md'),
        fc.constantFrom('text', 'markdown', 'json'),
        async (text, extension, format) => {
          rmSync(path.join(root, 'threat-models'), { recursive: true, force: true });
          mkdirSync(path.join(root, 'threat-models'));
          writeFileSync(path.join(root, 'threat-models', `model.${extension}`), text);
          const { code, stdout, stderr } = await cli(['check', '--format', format], root);
          expect([0, 1, 2]).toContain(code);
          expect(commandLines(format === 'json' ? stderr : stdout + stderr)).toEqual([]);
          expect(stderr).not.toMatch(STACK_FRAME);
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });
});
