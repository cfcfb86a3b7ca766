import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/policy/config.js';
import { OptionError, readOptions } from '../../src/policy/options.js';

const flag = (option: string) => `--${option}`;

describe('readOptions (the CLI flags and the action inputs)', () => {
  it('leaves blank and missing options unset, so that the config file applies', () => {
    expect(readOptions({ 'fail-on': '', 'on-unscored': '   ', formula: undefined }, flag)).toEqual({});
    expect(resolveConfig({ path: 'c.yml', text: 'fail-on: critical\n' }, readOptions({ 'fail-on': '' }, flag))['fail-on']).toBe('critical');
  });

  it('reads numbers, bands, outcomes, formulas and booleans in the config types, whatever the case of a name', () => {
    expect(readOptions({ 'fail-on': ' 8.5 ', 'on-invalid': 'Warn', 'warn-only': 'TRUE', formula: 'V0.5' }, flag)).toEqual({
      'fail-on': 8.5,
      'on-invalid': 'warn',
      'warn-only': true,
      formula: 'v0.5',
    });
    expect(readOptions({ 'fail-on': 'Medium', 'warn-only': 'false', 'on-removed': 'fail' }, flag)).toEqual({
      'fail-on': 'medium',
      'warn-only': false,
      'on-removed': 'fail',
    });
  });

  it('ignores what is no policy option, such as the other flags', () => {
    expect(readOptions({ format: 'json', output: 'x', 'on-unscored': 'warn' }, flag)).toEqual({ 'on-unscored': 'warn' });
  });

  it.each([
    ['fail-on', 'extreme', '--fail-on: a band (critical, high, medium, low) or a number from 0.1 to 10'],
    ['fail-on', '11', '--fail-on: fail-on is at most 10'],
    ['fail-on', '0', '--fail-on: fail-on is at least 0.1'],
    ['warn-only', 'yes', '--warn-only: true or false'],
    ['on-unscored', 'ignore', '--on-unscored: one of fail, warn'],
    ['formula', 'v2', '--formula: one of v0.8, v0.5'],
  ])('refuses %s: %j, naming the option as the caller spells it and the values it takes', (key, value, message) => {
    expect(() => readOptions({ [key]: value }, flag)).toThrow(new OptionError(message));
  });

  it('names every bad option at once, as the action spells its inputs', () => {
    expect(() => readOptions({ 'fail-on': 'x', 'on-removed': 'y' }, (name) => `input ${name}`)).toThrow(
      'input fail-on: a band (critical, high, medium, low) or a number from 0.1 to 10\ninput on-removed: one of fail, warn',
    );
  });
});
