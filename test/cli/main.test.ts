import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Report } from '../../src/report/schema.js';
import { gitRepository, temporaryFolder } from '../fixtures/repository.js';

/** The CLI in this process (src/cli/main.ts), with its output captured; test/e2e/cli*.test.ts run the bundle. */

function sink(isTTY = false): Writable & { text: string; isTTY: boolean } {
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        stream.text += chunk.toString();
        done();
      },
    }),
    { text: '', isTTY },
  );
  return stream;
}

async function cli(args: string[], cwd = path.resolve('.'), options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = sink(options.tty);
  const stderr = sink();
  const code = await main(args, { cwd, stdout, stderr, env: options.env ?? {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const example = (file: string) => readFileSync(path.resolve('examples', file), 'utf8');
const FAQ = 'threat-models/faq-bot.threat-model.yaml';

describe('check', () => {
  it('scores the examples: exit 1, every model in the JSON report', async () => {
    const { code, stdout } = await cli(['check', 'examples', '--format', 'json']);
    expect(code).toBe(1);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.summary).toMatchObject({ models: 6, failed: 3 });
  });

  it('passes under a looser policy given as flags, and --warn-only exits 0 on a failing verdict', async () => {
    expect((await cli(['check', 'examples', '--fail-on', '9.9', '--on-unscored', 'warn'])).code).toBe(0);
    const { code, stdout } = await cli(['check', 'examples', '--format', 'markdown', '--warn-only']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### ❌ AIVSS gate failed/);
  });

  it('colours the text report on a terminal, unless NO_COLOR is set', async () => {
    const root = temporaryFolder({ [FAQ]: example('faq-bot.threat-model.yaml') });
    expect((await cli(['check'], root, { tty: true })).stdout).toContain('\u001b[');
    expect((await cli(['check'], root, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('writes the report to --output, relative to the working directory', async () => {
    const root = temporaryFolder({ [FAQ]: example('faq-bot.threat-model.yaml') });
    const { code, stdout } = await cli(['check', '--format', 'json', '--output', 'out.json'], root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^aivss-gate PASS .*\(report in out\.json\)\n$/);
    expect(Report.parse(JSON.parse(readFileSync(path.join(root, 'out.json'), 'utf8'))).verdict).toBe('pass');
  });

  it('checks another root with --root', async () => {
    const root = temporaryFolder({ [FAQ]: example('faq-bot.threat-model.yaml') });
    const { code, stdout } = await cli(['check', '--root', root, '--format', 'json']);
    expect(code).toBe(0);
    expect(Report.parse(JSON.parse(stdout)).models.map((m) => m.file)).toEqual([FAQ]);
  });
});

describe('diff', () => {
  function repository() {
    const repo = gitRepository();
    repo.commit({ [FAQ]: example('faq-bot.threat-model.yaml') });
    repo.git('tag', 'base');
    return repo;
  }

  it('compares the working tree, or a head revision, with a base revision', async () => {
    const repo = repository();
    repo.commit({ [FAQ]: example('faq-bot.threat-model.yaml').replace('autonomy: 0\n', 'autonomy: 1\n') });
    for (const args of [
      ['diff', 'base'],
      ['diff', 'base', 'HEAD'],
    ]) {
      const { code, stdout } = await cli([...args, '--format', 'json'], repo.root);
      expect(code).toBe(0);
      expect(Report.parse(JSON.parse(stdout)).models[0]).toMatchObject({ base: { score: 3.8 }, score: 3.9 });
    }
  });

  it('exits 2 on a revision git does not know, or without a base', async () => {
    const repo = repository();
    const unknown = await cli(['diff', 'no-such-revision'], repo.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no-such-revision');
    const none = await cli(['diff'], repo.root);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('diff takes a base revision');
  });
});

describe('convert', () => {
  it('writes a listing as native YAML, to standard output or --output', async () => {
    const root = temporaryFolder({ 'listing.txt': example('micro-agent.listing.txt') });
    const printed = await cli(['convert', 'listing.txt', '--schema', 'https://example.com/s.json'], root);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^# yaml-language-server: \$schema=https:\/\/example\.com\/s\.json/);
    expect((await cli(['convert', 'listing.txt', '--schema', 'https://example.com/s.json', '--output', 'model.yaml'], root)).code).toBe(0);
    expect(readFileSync(path.join(root, 'model.yaml'), 'utf8')).toBe(printed.stdout);
  });

  it('refuses a native model, a listing that does not validate and a binary file, naming the file', async () => {
    const root = temporaryFolder({
      'native.yaml': example('faq-bot.threat-model.yaml'),
      'broken.txt': example('micro-agent.listing.txt').replace(/Autonomy of Action[^\n]*\n/, ''),
      'binary.txt': new Uint8Array([0, 1, 2, 0xff]),
    });
    const native = await cli(['convert', 'native.yaml'], root);
    expect(native).toMatchObject({ code: 1, stdout: '' });
    expect(native.stderr).toContain('native.yaml: is not an agent listing');
    const broken = await cli(['convert', 'broken.txt'], root);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^aivss-gate: broken\.txt(:\d+)?: /);
    const binary = await cli(['convert', 'binary.txt'], root);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('binary.txt');
  });

  it('takes exactly one file', async () => {
    expect((await cli(['convert'])).code).toBe(2);
  });
});

describe('schema, help, version and usage errors', () => {
  it('prints each JSON Schema, and refuses an unknown one', async () => {
    for (const name of ['threat-model', 'config', 'report']) {
      const { code, stdout } = await cli(['schema', name]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8')));
    }
    const unknown = await cli(['schema', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('threat-model, config, report');
  });

  it('prints usage without a command or with --help, and the version with --version', async () => {
    for (const args of [[], ['--help'], ['-h'], ['help']]) expect((await cli(args)).stdout).toContain('aivss-gate check [paths...]');
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    for (const args of [['--version'], ['-v']]) expect((await cli(args)).stdout).toBe(`${version}\n`);
  });

  it('exits 2 with one message on an unknown command, option, format or option value', async () => {
    for (const args of [['frobnicate'], ['check', '--nope'], ['check', '--format', 'xml'], ['check', 'examples', '--fail-on', 'severe']]) {
      const { code, stderr, stdout } = await cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/^aivss-gate: /);
      expect(stdout).toBe('');
    }
  });

  it('exits 2 naming the file and line of a bad config file', async () => {
    const root = temporaryFolder({ '.aivss-gate.yml': 'fail-on: high\nfail_on: 7\n' });
    const { code, stderr } = await cli(['check'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('.aivss-gate.yml:2: ');
  });
});

describe('usage', () => {
  it.each(['check', 'diff', 'convert', 'schema'])('%s --help prints the usage of that command and exits 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await cli([command, flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: aivss-gate ${command} `));
      expect(stderr).toBe('');
    }
  });

  it('reads path arguments from --root, as --config, wherever the command runs', async () => {
    const { code, stdout } = await cli(
      ['check', '--root', '../examples', 'faq-bot.threat-model.yaml', '--format', 'json'],
      path.resolve('test'),
    );
    expect(code).toBe(0);
    expect(Report.parse(JSON.parse(stdout)).models.map((m) => m.file)).toEqual(['faq-bot.threat-model.yaml']);
  });

  it('still prints the verdict line when --output takes the report', async () => {
    const folder = await temporaryFolder();
    const output = path.join(folder, 'report.json');
    const { code, stdout } = await cli(['check', 'examples', '--format', 'json', '--output', output]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^aivss-gate FAIL {2}worst 9\.8 critical {2}\(6 models, 3 failing; fail-on high \(≥ 7\.0\)\) \(report in .*report\.json\)\n$/,
    );
    expect(Report.parse(JSON.parse(readFileSync(output, 'utf8'))).summary.models).toBe(6);
  });
});

describe('convert --replace', () => {
  it('writes <agent id>.threat-model.yaml beside the listing, then removes the listing; never overwrites', async () => {
    const root = temporaryFolder({ 'micro.txt': example('micro-agent.listing.txt') });
    const first = await cli(['convert', 'micro.txt', '--replace'], root);
    expect(first).toMatchObject({ code: 0, stdout: 'wrote micro-agent.threat-model.yaml; removed micro.txt\n' });
    expect(existsSync(path.join(root, 'micro.txt'))).toBe(false);
    const converted = await cli(['check', 'micro-agent.threat-model.yaml', '--format', 'json', '--on-unscored', 'warn'], root);
    expect(Report.parse(JSON.parse(converted.stdout)).models[0]).toMatchObject({ agentId: 'micro-agent', status: 'unscored' });

    writeFileSync(path.join(root, 'micro.txt'), example('micro-agent.listing.txt'));
    const again = await cli(['convert', 'micro.txt', '--replace'], root);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('micro-agent.threat-model.yaml exists already; name the native file with --output');
    expect(existsSync(path.join(root, 'micro.txt'))).toBe(true);
  });
});

describe('--config', () => {
  it('may not leave --root', async () => {
    const { code, stderr } = await cli(['check', '--root', 'examples', '--config', '../.aivss-gate.yml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^aivss-gate: --config: \.\.\/\.aivss-gate\.yml is outside the repository root /);
  });
});
