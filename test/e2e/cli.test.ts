import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { temporaryFolder } from '../fixtures/repository.js';

/** Runs the built CLI (dist/cli/index.js) as a user would, from a working directory of the test's choice. */
const CLI = path.resolve('dist/cli/index.js');
const EXAMPLES = path.resolve('examples');

async function run(args: string[], cwd = path.resolve('.')) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('aivss-gate check on the examples', () => {
  it('fails with exit 1 and reports every model in the JSON report', async () => {
    const { code, stdout } = await run(['check', 'examples', '--format', 'json']);
    expect(code).toBe(1);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.verdict).toBe('fail');
    const byFile = Object.fromEntries(report.models.map((m) => [m.file, m]));
    expect(byFile['examples/release-ops-agent.threat-model.yaml']).toMatchObject({
      status: 'scored',
      score: 9.8,
      severity: 'critical',
      format: 'native',
    });
    expect(byFile['examples/micro-agent.listing.txt']).toMatchObject({
      status: 'unscored',
      score: null,
      factorSum: 4.4,
      format: 'listing',
    });
    expect(byFile['examples/faq-bot.threat-model.yaml']).toMatchObject({ severity: 'low' });
    expect(byFile['examples/support-agent.threat-model.json']).toMatchObject({ severity: 'medium', format: 'native' });
    expect(byFile['examples/relay-scribe.listing.txt']).toMatchObject({
      status: 'scored',
      score: 6.2,
      declaredScore: 6.2,
      format: 'listing',
    });
    expect(report.summary).toMatchObject({ models: 6, failed: 3, bands: { critical: 1, high: 1, medium: 2, low: 1, none: 0 } });
  });

  it('prints SARIF 2.1.0 for code scanning, with paths from the root and each open threat at its own line', async () => {
    const { code, stdout } = await run(['check', 'examples', '--format', 'sarif']);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as import('sarif').Log;
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]!.results!;
    const where = (r: (typeof results)[number]) => r.locations![0]!.physicalLocation!;
    const roa1 = results.find((r) => r.ruleId === 'aivss/threat/release-ops-agent/ROA-1')!;
    expect(where(roa1).artifactLocation!.uri).toBe('examples/release-ops-agent.threat-model.yaml');
    const yaml = readFileSync('examples/release-ops-agent.threat-model.yaml', 'utf8').split('\n');
    expect(yaml[where(roa1).region!.startLine! - 1]).toContain('id: ROA-1');
  });

  it('passes with a threshold above every score and warn for unscored models', async () => {
    const { code, stdout } = await run(['check', 'examples', '--fail-on', '9.9', '--on-unscored', 'warn']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^aivss-gate PASS {2}worst 9\.8 critical/);
  });

  it('prints the comment body as markdown, and --warn-only exits 0 with the failing verdict shown', async () => {
    const { code, stdout } = await run(['check', 'examples', '--format', 'markdown', '--warn-only']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('### ❌ AIVSS gate failed · worst AIVSS 9.8 Critical · 3 of 6 models failing');
  });

  it('writes the report to --output', async () => {
    const out = path.join(temporaryFolder(), 'report.json');
    await run(['check', 'examples', '--format', 'json', '--output', out]);
    expect(Report.parse(JSON.parse(readFileSync(out, 'utf8'))).models).toHaveLength(6);
  });
});

describe('aivss-gate check on bad input', () => {
  it('exits 2 on an unknown option, a bad format or an invalid fail-on', async () => {
    for (const args of [['check', '--nope'], ['check', '--format', 'xml'], ['check', 'examples', '--fail-on', 'severe'], ['frobnicate']]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^aivss-gate: /);
    }
  });

  it('exits 2 naming the file and line of an unknown key in the config file', async () => {
    const root = temporaryFolder({ '.aivss-gate.yml': 'fail-on: high\nfail_on: 7\n', 'threat-models/a.yaml': 'x: 1\n' });
    const { code, stderr } = await run(['check'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('.aivss-gate.yml:2: ');
    expect(stderr).toContain('fail_on');
  });

  it('fails a repository without threat models, naming the patterns that matched nothing', async () => {
    const { code, stdout } = await run(['check'], temporaryFolder({ 'src/index.ts': '' }));
    expect(code).toBe(1);
    expect(stdout).toContain('"threat-models/**"');
  });

  it('fails an invalid model with its file and line', async () => {
    const root = temporaryFolder({
      'threat-models/bad.yaml': 'formatVersion: 1\nagent: {id: a, name: A}\naivss:\n  factors: {autonomy: 2}\nlayers: {}\n',
    });
    const { code, stdout } = await run(['check'], root);
    expect(code).toBe(1);
    expect(stdout).toContain('↳ threat-models/bad.yaml:4: aivss.factors.autonomy: 2 is too large: a factor is at most 1');
  });

  it('exits 2 when a named config file is missing', async () => {
    const { code, stderr } = await run(['check', '--config', 'missing.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain('missing.yml');
  });
});

describe('aivss-gate convert', () => {
  it('writes native YAML that checks to the same result as the listing', async () => {
    const root = temporaryFolder({});
    cpSync(path.join(EXAMPLES, 'micro-agent.listing.txt'), path.join(root, 'listing.txt'));
    expect((await run(['convert', 'listing.txt', '--output', 'converted.yaml'], root)).code).toBe(0);
    const listing = Report.parse(JSON.parse((await run(['check', 'listing.txt', '--format', 'json'], root)).stdout)).models[0]!;
    const native = Report.parse(JSON.parse((await run(['check', 'converted.yaml', '--format', 'json'], root)).stdout)).models[0]!;
    expect({ ...native, file: '', format: null }).toEqual({ ...listing, file: '', format: null });
  });

  it('carries the page’s CVSS base, ThM, MF, declared score and uncertain marks into the native file', async () => {
    const root = temporaryFolder({});
    cpSync(path.join(EXAMPLES, 'relay-scribe.listing.txt'), path.join(root, 'page.txt'));
    expect((await run(['convert', 'page.txt', '--output', 'converted.yaml'], root)).code).toBe(0);
    const yaml = readFileSync(path.join(root, 'converted.yaml'), 'utf8');
    expect(yaml).toMatch(/^ {2}cvss: 6$/m);
    expect(yaml).toMatch(/^ {2}threatMultiplier: 0\.95$/m);
    expect(yaml).toMatch(/^ {2}mitigationFactor: 0\.85$/m);
    expect(yaml).toMatch(/^ {2}declaredScore: 6\.2$/m);
    expect(yaml).toMatch(/^ {2}L4:\n {4}status: uncertain$/m);
    const check = async (file: string) =>
      Report.parse(JSON.parse((await run(['check', file, '--format', 'json'], root)).stdout)).models[0]!;
    const [listing, native] = [await check('page.txt'), await check('converted.yaml')];
    expect(native).toMatchObject({ status: 'scored', score: 6.2, declaredScore: 6.2 });
    const withoutLines = (m: typeof native) => ({ ...m, file: '', format: null, warnings: m.warnings.map((w) => w.message) });
    expect(withoutLines(native)).toEqual(withoutLines(listing));
  });

  it('--replace writes <agent id>.threat-model.yaml beside the listing and removes the listing', async () => {
    const root = temporaryFolder({});
    mkdirSync(path.join(root, 'threat-models'));
    cpSync(path.join(EXAMPLES, 'relay-scribe.listing.txt'), path.join(root, 'threat-models/relay.txt'));
    const { code, stdout } = await run(['convert', 'threat-models/relay.txt', '--replace'], root);
    expect(code).toBe(0);
    expect(stdout).toBe('wrote threat-models/relay-scribe.threat-model.yaml; removed threat-models/relay.txt\n');
    expect(existsSync(path.join(root, 'threat-models/relay.txt'))).toBe(false);
    const report = Report.parse(JSON.parse((await run(['check', '--format', 'json'], root)).stdout));
    expect(report.models.map((m) => [m.file, m.format, m.score])).toEqual([
      ['threat-models/relay-scribe.threat-model.yaml', 'native', 6.2],
    ]);
  });

  it('--replace never overwrites a file it did not name, and then keeps the listing', async () => {
    const root = temporaryFolder({ 'relay-scribe.threat-model.yaml': 'mine\n' });
    cpSync(path.join(EXAMPLES, 'relay-scribe.listing.txt'), path.join(root, 'relay.txt'));
    const { code, stderr } = await run(['convert', 'relay.txt', '--replace'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('relay-scribe.threat-model.yaml exists already; name the native file with --output');
    expect(readFileSync(path.join(root, 'relay-scribe.threat-model.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(root, 'relay.txt'))).toBe(true);
  });

  it('--replace --output writes where asked; naming the listing itself replaces it in place', async () => {
    const root = temporaryFolder({});
    cpSync(path.join(EXAMPLES, 'micro-agent.listing.txt'), path.join(root, 'micro.txt'));
    cpSync(path.join(EXAMPLES, 'micro-agent.listing.txt'), path.join(root, 'same.txt'));
    const missingDirectory = await run(['convert', 'micro.txt', '--replace', '--output', 'models/micro.yaml'], root);
    expect(missingDirectory.code).toBe(2);
    expect(missingDirectory.stderr).toContain('cannot write models/micro.yaml (ENOENT); micro.txt was kept');
    expect(existsSync(path.join(root, 'micro.txt'))).toBe(true);
    mkdirSync(path.join(root, 'models'));
    expect((await run(['convert', 'micro.txt', '--replace', '--output', 'models/micro.yaml'], root)).stdout).toBe(
      'wrote models/micro.yaml; removed micro.txt\n',
    );
    expect(existsSync(path.join(root, 'micro.txt'))).toBe(false);
    expect((await run(['convert', 'same.txt', '--replace', '--output', 'same.txt'], root)).stdout).toBe('wrote same.txt\n');
    expect(readFileSync(path.join(root, 'same.txt'), 'utf8')).toMatch(/^formatVersion: 1$/m);
  });

  it('--replace leaves an invalid listing and writes nothing', async () => {
    const root = temporaryFolder({
      'broken.txt': readFileSync(path.join(EXAMPLES, 'micro-agent.listing.txt'), 'utf8').replace('| 0.70 |', '| 7 |'),
    });
    const { code, stderr } = await run(['convert', 'broken.txt', '--replace'], root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^aivss-gate: broken\.txt:4: aivss\.factors\.Autonomy of Action: 7 is too large: a factor is at most 1$/m);
    expect(existsSync(path.join(root, 'micro-agent.threat-model.yaml'))).toBe(false);
    expect(existsSync(path.join(root, 'broken.txt'))).toBe(true);
  });

  it('refuses a file that is not a listing', async () => {
    const { code, stderr } = await run(['convert', 'examples/faq-bot.threat-model.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('is not an agent listing');
  });
});

describe('aivss-gate schema, --help and --version', () => {
  it('prints the threat-model JSON Schema', async () => {
    const { code, stdout } = await run(['schema']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(readFileSync('schema/threat-model.schema.json', 'utf8')));
  });

  it('prints usage and the version from package.json', async () => {
    expect((await run(['--help'])).stdout).toContain('aivss-gate check [paths...]');
    expect((await run(['--version'])).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
