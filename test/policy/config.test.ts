import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG_FILE,
  DEFAULT_EXCLUDE,
  DEFAULT_INCLUDE,
  resolveConfig,
  threshold,
  type Config,
  type ConfigInput,
} from '../../src/policy/config.js';
import { describeFailOn } from '../../src/policy/gate.js';
import { lineOf } from '../fixtures/index.js';

const FILE = DEFAULT_CONFIG_FILE;
const fromFile = (text: string, overrides: Partial<ConfigInput> = {}) => resolveConfig({ path: FILE, text }, overrides);

/** The ConfigError that resolving throws; fails the test when nothing is thrown. */
function configError(run: () => Config): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const DEFAULTS: Config = {
  include: ['threat-models/**', '**/*.threat-model.{yaml,yml,json,md,txt}'],
  exclude: ['**/node_modules/**', '**/.git/**', '**/README.md'],
  'fail-on': 'high',
  'on-unscored': 'fail',
  'on-invalid': 'fail',
  'on-removed': 'fail',
  'warn-only': false,
  waivers: [],
  formula: 'v0.8',
  limits: { 'max-file-bytes': 512 * 1024, 'max-total-bytes': 64 * 1024 * 1024, 'max-files': 10_000 },
};

describe('resolveConfig: defaults', () => {
  it('applies every default without a file', () => {
    expect(resolveConfig(null)).toEqual(DEFAULTS);
    expect(DEFAULT_INCLUDE).toEqual(DEFAULTS.include);
    expect(DEFAULT_EXCLUDE).toEqual(DEFAULTS.exclude);
    expect(FILE).toBe('.aivss-gate.yml');
  });

  it('applies every default for an empty file or a file of comments', () => {
    expect(fromFile('')).toEqual(DEFAULTS);
    expect(fromFile('# fail-on: critical\n')).toEqual(DEFAULTS);
    expect(fromFile('{}\n')).toEqual(DEFAULTS);
  });

  it('returns fresh defaults: changing one result does not change the next', () => {
    const first = resolveConfig(null);
    first.include.push('elsewhere/**');
    first.limits['max-files'] = 1;
    expect(resolveConfig(null)).toEqual(DEFAULTS);
  });
});

describe('resolveConfig: the file, then the overrides', () => {
  const text = [
    'fail-on: critical',
    'formula: v0.5',
    'on-unscored: warn',
    'include:',
    '  - models/**',
    'limits:',
    '  max-files: 5',
    '',
  ].join('\n');

  it('takes what the file sets over the defaults, and keeps the other defaults', () => {
    expect(fromFile(text)).toEqual({
      ...DEFAULTS,
      'fail-on': 'critical',
      formula: 'v0.5',
      'on-unscored': 'warn',
      include: ['models/**'],
      limits: { ...DEFAULTS.limits, 'max-files': 5 },
    });
  });

  it('takes the overrides over the file', () => {
    const config = fromFile(text, { 'fail-on': 5.5, formula: 'v0.8', 'warn-only': true });
    expect(config['fail-on']).toBe(5.5);
    expect(config.formula).toBe('v0.8');
    expect(config['warn-only']).toBe(true);
    expect(config['on-unscored']).toBe('warn');
  });

  it('ignores overrides that are undefined', () => {
    expect(fromFile(text, { 'fail-on': undefined, formula: undefined })).toMatchObject({ 'fail-on': 'critical', formula: 'v0.5' });
  });

  it('takes overrides without a file', () => {
    expect(resolveConfig(null, { exclude: [], 'on-invalid': 'warn' })).toEqual({ ...DEFAULTS, exclude: [], 'on-invalid': 'warn' });
  });
});

describe('resolveConfig: refusals', () => {
  it('refuses an unknown key, naming the file and the line', () => {
    const text = 'fail-on: high\nfail_on: critical\n';
    const error = configError(() => fromFile(text));
    expect(error.file).toBe(FILE);
    expect(error.problems).toEqual([{ line: 2, message: expect.stringMatching(/fail_on/) }]);
    expect(error.message).toMatch(new RegExp(`^\\${FILE}:2: fail_on: `));
  });

  it('refuses an unknown key in limits on its line', () => {
    const text = 'limits:\n  max-file-bytes: 2048\n  max-size: 10\n';
    const error = configError(() => fromFile(text));
    expect(error.problems).toEqual([{ line: lineOf(text, 'max-size'), message: expect.stringMatching(/limits\.max-size/) }]);
  });

  it('refuses a limit out of range on its line', () => {
    const text = 'limits:\n  max-file-bytes: 10\n';
    expect(configError(() => fromFile(text)).message).toMatch(new RegExp(`^\\${FILE}:2: limits\\.max-file-bytes: `));
  });

  it.each(['critical', 'high', 'medium', 'low'] as const)('accepts the band %s as fail-on', (band) => {
    expect(fromFile(`fail-on: ${band}\n`)['fail-on']).toBe(band);
  });

  it.each([0.1, 4, 7.5, 10])('accepts the number %d as fail-on', (n) => {
    expect(fromFile(`fail-on: ${n}\n`)['fail-on']).toBe(n);
  });

  it.each(['0', '0.05', '-1', '10.1', '11', 'none', 'severe', 'High', '"7"', '.nan', '.inf'])(
    'refuses fail-on: %s on its line',
    (value) => {
      const error = configError(() => fromFile(`formula: v0.8\nfail-on: ${value}\n`));
      expect(error.message).toMatch(new RegExp(`^\\${FILE}:2: fail-on: `));
    },
  );

  it('refuses an out-of-range fail-on given as an override, naming the options', () => {
    const error = configError(() => resolveConfig(null, { 'fail-on': 12 }));
    expect(error.file).toBeNull();
    expect(error.message).toMatch(/^options: fail-on: fail-on is at most 10/);
  });

  it.each([
    ['an absolute path', '/etc/**', /not absolute/],
    ['a Windows drive', 'C:/repo/**', /not absolute/],
    ['a lower-case drive', 'c:threat-models/**', /not absolute/],
    ['a leading ..', '../other-repo/**', /climb out/],
    ['a .. inside', 'threat-models/../../secrets/**', /climb out/],
    ['a bare ..', '..', /climb out/],
    ['an empty pattern', '', /include\.1/],
  ])('refuses %s in include and in exclude', (_what, pattern, reason) => {
    const include = configError(() => fromFile(`include:\n  - threat-models/**\n  - '${pattern}'\n`));
    expect(include.problems).toEqual([{ line: 3, message: expect.stringMatching(/^include\.1: /) }]);
    expect(include.message).toMatch(reason);
    const exclude = configError(() => fromFile(`exclude:\n  - '${pattern}'\n`));
    expect(exclude.problems).toEqual([{ line: 2, message: expect.stringMatching(/^exclude\.0: /) }]);
  });

  it('accepts patterns that only look like climbing', () => {
    expect(fromFile("include:\n  - 'models/..hidden/**'\n  - '**/*..yaml'\n").include).toEqual(['models/..hidden/**', '**/*..yaml']);
  });

  it('refuses a glob override that climbs out', () => {
    expect(configError(() => resolveConfig(null, { include: ['../**'] })).message).toMatch(/^options: include\.0: .*climb out/);
  });

  it('refuses an empty include list', () => {
    expect(configError(() => fromFile('include: []\n')).message).toMatch(/^\.aivss-gate\.yml:1: include: /);
  });

  it('refuses a formula it does not know', () => {
    expect(configError(() => fromFile('formula: v1.0\n')).message).toMatch(/^\.aivss-gate\.yml:1: formula: /);
  });

  it('refuses a file that is not a map', () => {
    expect(configError(() => fromFile('- fail-on: high\n')).problems).toEqual([
      { line: 1, message: 'the config file is a YAML map of options' },
    ]);
    expect(configError(() => fromFile('high\n')).problems).toEqual([{ line: 1, message: 'the config file is a YAML map of options' }]);
  });

  it('refuses YAML errors with their line', () => {
    const error = configError(() => fromFile('fail-on: high\nfail-on: low\n'));
    expect(error.problems).toEqual([{ line: 2, message: expect.stringMatching(/unique/) }]);
    expect(error.message).toMatch(/^\.aivss-gate\.yml:2: /);
  });

  it('refuses anchors and aliases in the config file', () => {
    const error = configError(() => fromFile('include: &x\n  - a/**\nexclude: *x\n'));
    expect(error.problems.map((p) => p.line)).toEqual([1, 3]);
  });

  it.each(['2027-13-01', '2027-00-10', '2027-02-30', '2027-04-31', '9999-99-99'])(
    'refuses the impossible date expires: %s on its line, naming the field',
    (day) => {
      const text = `waivers:\n  - model: a\n    owner: b\n    reason: c\n    expires: ${day}\n`;
      expect(configError(() => fromFile(text)).problems).toEqual([
        { line: 5, message: expect.stringMatching(/^waivers\.0\.expires: not a real date/) },
      ]);
    },
  );

  it('names every problem, one per line of the message', () => {
    const error = configError(() => fromFile('fail-on: 20\nformula: v9\n'));
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(/^\.aivss-gate\.yml:1: fail-on: /),
      expect.stringMatching(/^\.aivss-gate\.yml:2: formula: /),
    ]);
    expect(error.name).toBe('ConfigError');
  });
});

describe('threshold and describeFailOn', () => {
  it.each([
    ['critical', 9],
    ['high', 7],
    ['medium', 4],
    ['low', 0.1],
    [8.5, 8.5],
  ] as const)('fail-on %s is the score %d', (failOn, score) => {
    expect(threshold(failOn)).toBe(score);
  });

  it('describes bands with their floor and numbers with one decimal', () => {
    expect(describeFailOn(resolveConfig(null))).toBe('high (7.0)');
    expect(describeFailOn(resolveConfig(null, { 'fail-on': 8 }))).toBe('8.0');
  });
});
