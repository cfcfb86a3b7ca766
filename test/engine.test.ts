import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, comparePullRequest, evaluateFile, evaluateText, gate, loadConfig } from '../src/engine.js';
import { workingTree } from '../src/discover/tree.js';
import { ConfigError, DEFAULT_INCLUDE, resolveConfig, type ConfigInput } from '../src/policy/config.js';
import { Report } from '../src/report/schema.js';
import { SECRET, SEED_LISTING, VALID_MODEL_YAML, config, mkfifo, replaceOnce, useTempDirs, validModelData } from './fixtures/index.js';

const tempRepo = useTempDirs();

/** The valid model with another CVSS base and mitigation: (2 + 8 * 0.55 * 0.97) * 0.67 = 4.19956, medium. */
const MEDIUM_YAML = replaceOnce(
  replaceOnce(replaceOnce(VALID_MODEL_YAML, 'cvss: 8.7', 'cvss: 2.0'), 'mitigationFactor: none', 'mitigationFactor: strong'),
  'id: payments-agent',
  'id: ledger-agent',
);

/** The valid model as JSON with CVSS 5.0: 5 + 5 * 0.55 * 0.97 = 7.6675, high. */
function highJson(): string {
  const data = validModelData();
  data.aivss.cvss = 5;
  data.agent.id = 'api-agent';
  data.agent.name = 'API Agent';
  return JSON.stringify(data, null, 2);
}

/** One model of each kind: critical, high, medium, unscored (the sample listing) and invalid. */
const MIXED = {
  'threat-models/payments.yaml': VALID_MODEL_YAML,
  'threat-models/ledger.yaml': MEDIUM_YAML,
  'threat-models/micro-agent.txt': SEED_LISTING,
  'threat-models/broken.yaml': `${VALID_MODEL_YAML}owner: nobody\n`,
  'services/api.threat-model.json': highJson(),
  'services/README.md': '# not a model\n',
};

const run = async (root: string, overrides: Partial<ConfigInput> = {}) => check({ root, config: config(overrides) });

/** The report survives JSON and validates against the report schema. */
function expectValidReport(report: Report): void {
  const json = JSON.parse(JSON.stringify(report)) as unknown;
  expect(json).toEqual(report);
  const parsed = Report.safeParse(json);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 1)).toBe(true);
}

describe('check on a repository with one model of each kind', () => {
  it('scores each file and decides the verdict', async () => {
    const report = await run(await tempRepo(MIXED));
    expectValidReport(report);
    expect(report.models.map((m) => [m.file, m.format, m.status, m.score, m.severity, m.gate.outcome])).toEqual([
      ['services/api.threat-model.json', 'native', 'scored', 7.7, 'high', 'fail'],
      ['threat-models/broken.yaml', 'native', 'invalid', null, null, 'fail'],
      ['threat-models/ledger.yaml', 'native', 'scored', 4.2, 'medium', 'pass'],
      ['threat-models/micro-agent.txt', 'listing', 'unscored', null, null, 'fail'],
      ['threat-models/payments.yaml', 'native', 'scored', 9.4, 'critical', 'fail'],
    ]);
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toEqual([
      'services/api.threat-model.json: score 7.7 is at or above fail-on high (7.0)',
      'threat-models/broken.yaml: the file could not be read as a valid threat model',
      'threat-models/micro-agent.txt: no CVSS base is given, so there is no AIVSS score',
      'threat-models/payments.yaml: score 9.4 is at or above fail-on high (7.0)',
    ]);
  });

  it('summarises counts, the worst model, the bands and the uncertain layers', async () => {
    const { summary } = await run(await tempRepo(MIXED));
    expect(summary).toMatchObject({
      models: 5,
      scored: 3,
      unscored: 1,
      invalid: 1,
      failed: 4,
      warned: 0,
      worst: { file: 'threat-models/payments.yaml', name: 'Payments Agent', score: 9.4, severity: 'critical' },
      bands: { critical: 1, high: 1, medium: 1, low: 0, none: 0 },
      emptyLayers: [],
    });
    expect(summary.uncertainLayers).toEqual([
      { file: 'services/api.threat-model.json', layer: 'L4' },
      { file: 'threat-models/ledger.yaml', layer: 'L4' },
      { file: 'threat-models/micro-agent.txt', layer: 'L1' },
      { file: 'threat-models/micro-agent.txt', layer: 'L2' },
      { file: 'threat-models/micro-agent.txt', layer: 'L4' },
      { file: 'threat-models/payments.yaml', layer: 'L4' },
    ]);
  });

  it('reports the unscored listing with its factor sum, and the invalid file with its line', async () => {
    const report = await run(await tempRepo(MIXED));
    const listing = report.models.find((m) => m.file === 'threat-models/micro-agent.txt')!;
    expect(listing).toMatchObject({ agentId: 'micro-agent', name: 'Micro Agent', factorSum: 4.4, score: null });
    const broken = report.models.find((m) => m.file === 'threat-models/broken.yaml')!;
    const ownerLine = `${VALID_MODEL_YAML}owner: nobody\n`.split('\n').indexOf('owner: nobody') + 1;
    expect(broken.errors).toEqual([{ line: ownerLine, message: expect.stringMatching(/owner/) }]);
    expect(broken.line).toBe(ownerLine);
  });

  it('records the policy and the discovery in the report', async () => {
    const report = await run(await tempRepo(MIXED));
    expect(report.policy).toMatchObject({
      formula: 'v0.8',
      failOn: { band: 'high', threshold: 7 },
      onUnscored: 'fail',
      onInvalid: 'fail',
      warnOnly: false,
    });
    expect(report.discovery).toEqual({ include: DEFAULT_INCLUDE, exclude: config().exclude, unmatched: [] });
    expect(report.tool.name).toBe('aivss-gate');
  });

  it('follows a looser policy: warnings for unscored and invalid models, a numeric fail-on', async () => {
    const report = await run(await tempRepo(MIXED), { 'fail-on': 9.5, 'on-unscored': 'warn', 'on-invalid': 'warn' });
    expectValidReport(report);
    expect(report.verdict).toBe('pass');
    expect(report.reasons).toEqual([]);
    expect(report.summary).toMatchObject({ failed: 0, warned: 2 });
    expect(report.policy.failOn).toEqual({ band: null, threshold: 9.5 });
  });

  it('fails on a critical model even when fail-on is critical', async () => {
    const report = await run(await tempRepo(MIXED), { 'fail-on': 'critical', 'on-unscored': 'warn', 'on-invalid': 'warn' });
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toEqual(['threat-models/payments.yaml: score 9.4 is at or above fail-on critical (9.0)']);
  });

  it('checks only the paths named', async () => {
    const root = await tempRepo(MIXED);
    const report = await gate({ root, overrides: {}, paths: ['threat-models/ledger.yaml'], pathsName: 'paths' });
    expect(report.models.map((m) => m.file)).toEqual(['threat-models/ledger.yaml']);
    expect(report.verdict).toBe('pass');
  });
});

describe('check: verdicts at the edges', () => {
  it('passes a repository whose models all pass', async () => {
    const report = await run(await tempRepo({ 'threat-models/ledger.yaml': MEDIUM_YAML }));
    expectValidReport(report);
    expect(report.verdict).toBe('pass');
    expect(report.reasons).toEqual([]);
    expect(report.summary).toMatchObject({ models: 1, scored: 1, failed: 0, bands: { medium: 1 } });
  });

  it('fails a repository with no threat models, naming the patterns that matched nothing', async () => {
    const report = await run(await tempRepo({ 'README.md': '# project\n' }));
    expectValidReport(report);
    expect(report.verdict).toBe('fail');
    expect(report.discovery.unmatched).toEqual(DEFAULT_INCLUDE);
    expect(report.reasons).toEqual([`no threat-model files found: ${DEFAULT_INCLUDE.map((p) => `"${p}"`).join(', ')} matched nothing`]);
    expect(report.summary).toMatchObject({ models: 0, worst: null });
  });

  it('fails when more files match than max-files allows, reading only the first ones', async () => {
    const report = await run(await tempRepo(MIXED), {
      'fail-on': 10,
      'on-unscored': 'warn',
      'on-invalid': 'warn',
      limits: { 'max-files': 2 },
    });
    expectValidReport(report);
    expect(report.models.map((m) => m.file)).toEqual(['services/api.threat-model.json', 'threat-models/broken.yaml']);
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toEqual(['3 more threat-model files match than limits.max-files (2) allows; they were not read']);
  });

  it('scores under the v0.5 formula when asked', async () => {
    const report = await run(await tempRepo({ 'threat-models/payments.yaml': VALID_MODEL_YAML }), { formula: 'v0.5' });
    expect(report.models[0]!.score).toBe(6.9);
    expect(report.policy.formula).toBe('v0.5');
  });
});

describe('check: refused files are invalid models, never read into the report', () => {
  async function hostileRepo(): Promise<string> {
    const root = await tempRepo({
      'threat-models/payments.yaml': VALID_MODEL_YAML,
      'threat-models/binary.yaml': Buffer.from(`${SECRET}\0`),
      'threat-models/latin1.yaml': Buffer.concat([Buffer.from(`name: ${SECRET} `), Buffer.from([0xe9, 0x0a])]),
      'threat-models/lfs.yaml': `version https://git-lfs.github.com/spec/v1\noid sha256:${SECRET}\nsize 1\n`,
      'threat-models/big.yaml': `# ${SECRET}\n${'#'.repeat(2048)}\n`,
    });
    await symlink('/proc/self/environ', path.join(root, 'threat-models/environ.yaml'));
    await symlink('../../..', path.join(root, 'threat-models/up.yaml'));
    mkfifo(path.join(root, 'threat-models/pipe.yaml'));
    return root;
  }

  it('refuses each one with its reason, without blocking', async () => {
    const report = await run(await hostileRepo(), { limits: { 'max-file-bytes': 2048 } });
    expectValidReport(report);
    const refusals = Object.fromEntries(
      report.models.filter((m) => m.status === 'invalid').map((m) => [m.file, m.errors.map((e) => e.message).join('; ')]),
    );
    expect(refusals).toEqual({
      'threat-models/big.yaml': expect.stringMatching(
        /^refused: the file is \d+ bytes, over the limit of 2048 bytes \(limits\.max-file-bytes\)$/,
      ),
      'threat-models/binary.yaml': 'refused: the file is a binary file (it has a NUL byte)',
      'threat-models/environ.yaml': expect.stringMatching(/^refused: symbolic links are not followed/),
      'threat-models/latin1.yaml': 'refused: the file is not valid UTF-8 text',
      'threat-models/lfs.yaml': expect.stringMatching(/^refused: the file is a Git LFS pointer/),
      'threat-models/pipe.yaml': 'refused: not a regular file',
      'threat-models/up.yaml': expect.stringMatching(/^refused: symbolic links are not followed/),
    });
    expect(report.models.every((m) => (m.status === 'invalid' ? m.errors.every((e) => e.line === null) && m.line === 1 : true))).toBe(true);
    expect(report.summary).toMatchObject({ models: 8, scored: 1, invalid: 7 });
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });

  it('refuses the files past the total size limit', async () => {
    const size = Buffer.byteLength(VALID_MODEL_YAML);
    const root = await tempRepo({ 'threat-models/a.yaml': VALID_MODEL_YAML, 'threat-models/b.yaml': VALID_MODEL_YAML });
    const report = await run(root, { limits: { 'max-total-bytes': size + 10 } });
    expect(report.models.map((m) => m.status)).toEqual(['scored', 'invalid']);
    expect(report.models[1]!.errors[0]!.message).toBe(
      `refused: the files together pass the limit of ${size + 10} bytes (limits.max-total-bytes)`,
    );
  });

  it('an invalid model warns instead of failing under on-invalid: warn', async () => {
    const root = await tempRepo({ 'threat-models/ledger.yaml': MEDIUM_YAML });
    await symlink('ledger.yaml', path.join(root, 'threat-models/link.yaml'));
    const report = await run(root, { 'on-invalid': 'warn' });
    expect(report.verdict).toBe('pass');
    expect(report.summary).toMatchObject({ invalid: 1, warned: 1 });
  });
});

describe('loadConfig', () => {
  it('uses the defaults when there is no config file', async () => {
    expect(await loadConfig(await tempRepo(), undefined, {})).toEqual(config());
  });

  it('reads .aivss-gate.yml at the root, under the overrides', async () => {
    const root = await tempRepo({ '.aivss-gate.yml': 'fail-on: critical\nformula: v0.5\n' });
    expect(await loadConfig(root, undefined, { formula: 'v0.8' })).toEqual(config({ 'fail-on': 'critical', formula: 'v0.8' }));
  });

  it('reads a config file named explicitly, relative to the root', async () => {
    const root = await tempRepo({ 'ci/gate.yml': 'on-unscored: warn\n' });
    expect((await loadConfig(root, 'ci/gate.yml', {}))['on-unscored']).toBe('warn');
  });

  it('refuses a config file named explicitly that does not exist', async () => {
    const error = await loadConfig(await tempRepo(), 'ci/missing.yml', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('ci/missing.yml: the config file does not exist in the working tree');
  });

  it('names the file and line of a bad option', async () => {
    const root = await tempRepo({ '.aivss-gate.yml': 'formula: v0.8\nfail-on: extreme\n' });
    await expect(loadConfig(root, undefined, {})).rejects.toThrow(/^\.aivss-gate\.yml:2: fail-on: /);
  });
});

describe('a file with very many problems', () => {
  it('reports the first fifty and how many more there are', () => {
    const threat = (i: number) => `      - { id: t${i}, title: x, severity: dire, likelihood: high, status: open }\n`;
    const text = `layers:\n  L1:\n    status: mapped\n    threats:\n${Array.from({ length: 200 }, (_, i) => threat(i)).join('')}`;
    const model = evaluateText('junk.yaml', text, resolveConfig(null));
    expect(model.status).toBe('invalid');
    expect(model.errors).toHaveLength(51);
    expect(model.errors.at(-1)!.message).toMatch(/^and \d+ more problems$/);
  });
});

describe('agent ids across files', () => {
  it('fails the run when two files use one agent id, naming both, whatever the scores and waivers', async () => {
    const root = await tempRepo({ 'threat-models/a.yaml': VALID_MODEL_YAML, 'threat-models/b.yaml': VALID_MODEL_YAML });
    const waiver = { model: 'payments-agent', owner: '@sec', reason: 'accepted', expires: '2999-01-01' };
    const report = await run(root, { 'fail-on': 10, waivers: [waiver] });
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toContain(
      'the agent id "payments-agent" is used by 2 files: threat-models/a.yaml, threat-models/b.yaml; give each agent its own id (base matching and waivers key on it)',
    );
    expect(report.models.map((m) => m.status)).toEqual(['scored', 'scored']);
  });

  it('names five files of an id used by more, and how many more', async () => {
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`threat-models/${i}.yaml`, VALID_MODEL_YAML]));
    const [reason] = (await run(await tempRepo(files))).reasons.filter((r) => r.startsWith('the agent id'));
    expect(reason).toMatch(/used by 7 files: threat-models\/0\.yaml, .*threat-models\/4\.yaml and 2 more; give each/);
  });

  it('names the agent of a file that parsed but failed validation', async () => {
    const root = await tempRepo({ 'threat-models/broken.yaml': replaceOnce(VALID_MODEL_YAML, 'cvss: 8.7', 'cvss: 11') });
    const [model] = (await run(root)).models;
    expect(model).toMatchObject({ status: 'invalid', name: 'Payments Agent', agentId: null });
  });
});

describe('comparePullRequest evaluates a file once when both sides hold it unchanged', () => {
  const model = (id: string) => replaceOnce(VALID_MODEL_YAML, 'id: payments-agent', `id: ${id}`);
  const BASE = {
    'threat-models/unchanged.yaml': model('unchanged-agent'),
    'threat-models/changed.yaml': model('changed-agent'),
    'threat-models/old-name.yaml': model('renamed-agent'),
    'threat-models/removed.yaml': model('removed-agent'),
  };
  const HEAD = {
    'threat-models/unchanged.yaml': model('unchanged-agent'),
    'threat-models/changed.yaml': replaceOnce(model('changed-agent'), 'cvss: 8.7', 'cvss: 3.1'),
    'threat-models/new-name.yaml': model('renamed-agent'),
    'threat-models/added.yaml': model('added-agent'),
  };

  /** The pull request's report, and how many times each file was evaluated. */
  async function compared(base: Record<string, string>) {
    const counts: Record<string, number> = {};
    const counting: typeof evaluateFile = (file, text, formula) => {
      counts[file] = (counts[file] ?? 0) + 1;
      return evaluateFile(file, text, formula);
    };
    const [baseRoot, headRoot] = await Promise.all([tempRepo(base), tempRepo(HEAD)]);
    const report = await comparePullRequest({
      base: workingTree(baseRoot),
      head: workingTree(headRoot),
      overrides: {},
      today: '2026-01-01',
      evaluate: counting,
    });
    return { report, counts };
  }

  it('parses an unchanged file once, a changed one twice, a renamed one and a one-sided one once a side', async () => {
    const { counts } = await compared(BASE);
    expect(counts).toEqual({
      'threat-models/unchanged.yaml': 1,
      'threat-models/changed.yaml': 2,
      'threat-models/old-name.yaml': 1,
      'threat-models/new-name.yaml': 1,
      'threat-models/removed.yaml': 1,
      'threat-models/added.yaml': 1,
    });
  });

  it('gives the report that evaluating every file of both sides gives', async () => {
    // A comment at the end changes the bytes of every base file but not what it says: nothing is shared.
    const commented = Object.fromEntries(Object.entries(BASE).map(([file, text]) => [file, `${text}# base\n`]));
    const unshared = await compared(commented);
    expect(unshared.counts['threat-models/unchanged.yaml']).toBe(2);
    const shared = await compared(BASE);
    expect(shared.report).toEqual(unshared.report);
    expect(shared.report.models.map((m) => [m.file, m.base?.file ?? null, m.delta])).toEqual([
      ['threat-models/added.yaml', null, null],
      ['threat-models/changed.yaml', 'threat-models/changed.yaml', expect.any(Number)],
      ['threat-models/new-name.yaml', 'threat-models/old-name.yaml', 0],
      ['threat-models/unchanged.yaml', 'threat-models/unchanged.yaml', 0],
    ]);
    expect(shared.report.comparison?.removed.map((m) => m.file)).toEqual(['threat-models/removed.yaml']);
  });
});
