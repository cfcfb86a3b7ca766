import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, resolveConfig, threshold, type Config } from '../../src/policy/config.js';

/** The config loader on any YAML: a valid config within its bounds, or a ConfigError; nothing else, ever. */

const KEYS = [
  'include',
  'exclude',
  'fail-on',
  'on-unscored',
  'on-invalid',
  'on-removed',
  'warn-only',
  'waivers',
  'formula',
  'limits',
  '__proto__',
  'constructor',
  'extra',
];
const LIMIT_KEYS = ['max-file-bytes', 'max-total-bytes', 'max-files'];
const odd = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  0,
  0.05,
  7.5,
  10,
  11,
  'high',
  'critical',
  'none',
  'fail',
  'warn',
  'v0.5',
  '/abs/**',
  '../x/**',
  'threat-models/**',
  true,
  'true',
  null,
  [],
  {},
);
const value = fc.oneof(
  odd,
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(odd, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...LIMIT_KEYS, 'model', 'owner', 'reason', 'expires', 'layer'), odd, { maxKeys: 4 }),
);
const config = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 });

const anyText = fc.oneof(
  config.map((data) => stringify(data)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        'fail-on: ',
        'include:',
        '\n',
        '  - ',
        '"',
        '&a ',
        '*a',
        '<<: ',
        '{',
        '}',
        'high',
        '7.5',
        '.nan',
        '1e400',
        'limits:',
        '  max-files: ',
        '-0',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

function expectWithinBounds(result: Config): void {
  const limit = threshold(result['fail-on']);
  expect(limit >= 0.1 && limit <= 10).toBe(true);
  expect(result.include.length).toBeGreaterThan(0);
  for (const pattern of [...result.include, ...result.exclude])
    expect(pattern.startsWith('/') || pattern.split('/').includes('..')).toBe(false);
  expect(Number.isSafeInteger(result.limits['max-files']) && result.limits['max-files'] >= 1).toBe(true);
  expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
}

/** Loads, and checks what comes out: a config within bounds, or a ConfigError with its problems. */
function loadOrRefuse(load: () => Config): 'loaded' | 'refused' {
  let result: Config;
  try {
    result = load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.length).toBeGreaterThan(0);
    return 'refused';
  }
  expectWithinBounds(result);
  return 'loaded';
}

describe('the config loader', () => {
  it('returns a config within bounds or throws a ConfigError, for any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        loadOrRefuse(() => resolveConfig({ path: '.aivss-gate.yml', text }));
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('the same for the overrides that flags and inputs give', () => {
    fc.assert(
      fc.property(config, (overrides) => {
        loadOrRefuse(() => resolveConfig(null, overrides as never));
      }),
      { numRuns: 1000, seed: 14 },
    );
  });

  it('both outcomes occur: the generators reach valid configs too', () => {
    const outcomes = fc
      .sample(anyText, { numRuns: 500, seed: 15 })
      .map((text) => loadOrRefuse(() => resolveConfig({ path: '.aivss-gate.yml', text })));
    expect(new Set(outcomes)).toEqual(new Set(['loaded', 'refused']));
  });
});
