import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { check, evaluateText, loadConfig } from '../../src/engine.js';
import { INIT_HELP, RUBRIC_URL, SCHEMA_URLS, WORKFLOW } from '../../src/cli/init.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_INCLUDE } from '../../src/policy/config.js';

/** `aivss-gate init` in-process, in a folder made for the test. */
function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function init(cwd: string, ...args: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['init', ...args], { cwd, stdout: stdout.stream, stderr: stderr.stream, env: {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function repository(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aivss-init-'));
  mkdirSync(path.join(root, '.git'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const CONFIG = '.aivss-gate.yml';
const WORKFLOW_FILE = '.github/workflows/aivss-gate.yml';
/** Every file under the root, outside .git. */
const listFiles = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(`.git${path.sep}`))
    .sort();

describe('aivss-gate init in a fresh repository', () => {
  it('writes the policy, the workflow and a starter threat model that validates', async () => {
    const root = repository();
    const { code, stdout, stderr } = await init(root, '--agent', 'Support Bot');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const model = 'threat-models/support-bot.threat-model.yaml';
    expect(stdout).toContain(`wrote ${CONFIG}\nwrote ${WORKFLOW_FILE}\nwrote ${model}\n`);
    expect(listFiles(root)).toEqual([WORKFLOW_FILE, CONFIG, model].sort());

    const config = await loadConfig(root, undefined, {});
    expect(config).toMatchObject({ 'fail-on': 'high', 'on-unscored': 'fail', 'on-invalid': 'fail', include: DEFAULT_INCLUDE });
    const report = await check({ root, config });
    expect(report.summary).toMatchObject({ models: 1, invalid: 0, unscored: 1 });
    expect(report.models[0]).toMatchObject({ agentId: 'support-bot', name: 'Support Bot', status: 'unscored', factorSum: 10, errors: [] });
  });

  it('gives a score once the CVSS base is uncommented', async () => {
    const root = repository();
    await init(root, '--agent', 'support-bot');
    const text = read(root, 'threat-models/support-bot.threat-model.yaml').replace('  # cvss: CVSS:4.0', '  cvss: CVSS:4.0');
    const model = evaluateText('starter.yaml', text, await loadConfig(root, undefined, {}));
    expect(model).toMatchObject({ status: 'scored', errors: [] });
    expect(model.score).toBeGreaterThan(9);
  });

  it('wires the editor schemas and explains every factor in a comment', async () => {
    const root = repository();
    await init(root, '--agent', 'bot');
    const model = read(root, 'threat-models/bot.threat-model.yaml');
    expect(model.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URLS.threatModel}`);
    expect(read(root, CONFIG).split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URLS.config}`);
    const factorLines = model.split('\n').filter((line) => /^ {4}[a-z-]+: 1 /.test(line));
    expect(factorLines).toHaveLength(10);
    for (const line of factorLines) expect(line).toMatch(/: 1 +# \S.*0 = /);
    expect(model).toContain(RUBRIC_URL);
  });

  it('points the schema and rubric links at files the npm package ships', () => {
    // A package.json "files" entry: a folder ends with "/", "*" matches within one folder.
    const pattern = (entry: string) =>
      new RegExp(`^${entry.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}${entry.endsWith('/') ? '' : '$'}`);
    const { files } = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
    for (const url of [SCHEMA_URLS.config, SCHEMA_URLS.threatModel, RUBRIC_URL]) {
      const file = url.replace(/^https:\/\/unpkg\.com\/aivss-gate@[\d.]+\//, '');
      expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
      expect(
        files.some((entry) => pattern(entry).test(file)),
        file,
      ).toBe(true);
    }
  });

  it('writes the README workflow, which the workflow tests validate', () => {
    expect(WORKFLOW).toBe(readFileSync('docs/workflows/pull-request.yml', 'utf8'));
  });

  it('names the agent after the repository folder by default', async () => {
    const root = repository();
    await init(root);
    expect(listFiles(root)).toContain(`threat-models/${path.basename(root).toLowerCase()}.threat-model.yaml`);
  });
});

describe('aivss-gate init with files that exist', () => {
  it('never overwrites a file: it says so, skips it and writes the others', async () => {
    const mine = { [CONFIG]: 'fail-on: critical\n', [WORKFLOW_FILE]: 'name: mine\n' };
    const root = repository(mine);
    const { code, stdout } = await init(root, '--agent', 'bot');
    expect(code).toBe(0);
    expect(stdout).toContain(`skipped ${CONFIG}: it exists, left as it is\n`);
    expect(stdout).toContain(`skipped ${WORKFLOW_FILE}: it exists, left as it is\n`);
    expect(stdout).toContain('wrote threat-models/bot.threat-model.yaml\n');
    for (const [file, text] of Object.entries(mine)) expect(read(root, file)).toBe(text);
  });

  it('refuses in one line, exit 2, when a file stands where a folder must be', async () => {
    const root = repository({ '.github': 'not a folder\n' });
    const { code, stdout, stderr } = await init(root, '--agent', 'bot');
    expect(code).toBe(2);
    expect(stdout).toBe(`wrote ${CONFIG}\n`);
    expect(stderr).toMatch(/^aivss-gate: init: \.github\/workflows\/aivss-gate\.yml cannot be written \((ENOTDIR|EEXIST)\)\n$/);
  });

  it('run twice, writes nothing the second time', async () => {
    const root = repository();
    await init(root, '--agent', 'bot');
    const before = Object.fromEntries(listFiles(root).map((f) => [f, read(root, f)]));
    const { code, stdout } = await init(root, '--agent', 'bot');
    expect(code).toBe(0);
    expect(stdout.match(/^skipped /gm)).toHaveLength(3);
    expect(stdout).not.toMatch(/^wrote /m);
    expect(Object.fromEntries(listFiles(root).map((f) => [f, read(root, f)]))).toEqual(before);
  });
});

describe('aivss-gate init --from-listing', () => {
  const LISTING = path.resolve('examples/micro-agent.listing.txt');

  it('converts the listing into the threat model, which checks as the listing does', async () => {
    const root = repository();
    const { code, stdout } = await init(root, '--from-listing', LISTING);
    expect(code).toBe(0);
    const [written] = stdout.match(/threat-models\/\S+\.threat-model\.yaml/)!;
    const config = await loadConfig(root, undefined, {});
    const converted = evaluateText(written, read(root, written), config);
    const listing = evaluateText('listing.txt', readFileSync(LISTING, 'utf8'), config);
    expect(converted).toMatchObject({ status: 'unscored', format: 'native', errors: [] });
    expect({ factorSum: converted.factorSum, name: converted.name, agentId: converted.agentId }).toEqual({
      factorSum: listing.factorSum,
      name: listing.name,
      agentId: listing.agentId,
    });
    expect(written).toBe(`threat-models/${listing.agentId}.threat-model.yaml`);
    expect(read(root, written).split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URLS.threatModel}`);
    expect(read(root, written)).toContain(RUBRIC_URL);
  });

  it('takes the agent name from --agent when given', async () => {
    const root = repository();
    await init(root, '--from-listing', LISTING, '--agent', 'Coder');
    const model = evaluateText('m.yaml', read(root, 'threat-models/coder.threat-model.yaml'), await loadConfig(root, undefined, {}));
    expect(model).toMatchObject({ agentId: 'coder', name: 'Coder', factorSum: 4.4 });
  });

  it('refuses a file that is not a listing in one line, exit 2, and writes nothing', async () => {
    const root = repository();
    for (const file of [path.resolve('examples/faq-bot.threat-model.yaml'), path.join(root, 'missing.txt')]) {
      const { code, stdout, stderr } = await init(root, '--from-listing', file);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^aivss-gate: init: .+\n$/);
      expect(stderr).toContain(`init: ${file}: `);
      expect(listFiles(root)).toEqual([]);
    }
  });
});

describe('aivss-gate init errors and help', () => {
  it('prints its own help', async () => {
    expect(await init(repository(), '--help')).toEqual({ code: 0, stdout: INIT_HELP, stderr: '' });
  });

  it('refuses, in one line with exit 2, a folder that is not a repository root, an unknown option, an argument and a nameless agent', async () => {
    const notRepository = mkdtempSync(path.join(tmpdir(), 'aivss-init-'));
    const cases: [string, string[]][] = [
      [notRepository, []],
      [repository(), ['--nope']],
      [repository(), ['somewhere']],
      [repository(), ['--agent', '!!!']],
    ];
    for (const [cwd, args] of cases) {
      const { code, stderr } = await init(cwd, ...args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(/^aivss-gate: init: [^\n]+\n$/);
    }
    expect(readdirSync(notRepository)).toEqual([]);
  });
});
