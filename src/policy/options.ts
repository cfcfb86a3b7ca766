import { z } from 'zod';
import { FORMULAS } from '../score/aivss.js';
import { BAND_FLOORS } from '../score/bands.js';
import { FailOn, Outcome, type ConfigInput } from './config.js';

/** A policy option given as a string (a command-line flag, an action input) that is none of its values. */
export class OptionError extends Error {
  override name = 'OptionError';
}

const NUMBER = /^\d+(\.\d+)?$/;
const OUTCOMES = Outcome.options as [string, ...string[]];

/** One of the values, whatever the case of the letters. */
const oneOf = (values: readonly [string, ...string[]]) =>
  z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values, { error: `one of ${values.join(', ')}` }));

const OptionStrings = z
  .object({
    'fail-on': z
      .string()
      .transform((v) => (NUMBER.test(v) ? Number(v) : v.toLowerCase()))
      .pipe(z.union(FailOn.options, { error: `a band (${Object.keys(BAND_FLOORS).join(', ')}) or a number from 0.1 to 10` })),
    'on-unscored': oneOf(OUTCOMES),
    'on-invalid': oneOf(OUTCOMES),
    'on-removed': oneOf(OUTCOMES),
    formula: oneOf(FORMULAS),
    // The YAML 1.2 core-schema spellings, as core.getBooleanInput accepts them.
    'warn-only': z
      .enum(['true', 'True', 'TRUE', 'false', 'False', 'FALSE'], { error: 'true or false' })
      .transform((v) => v.toLowerCase() === 'true'),
  })
  .partial();

/**
 * The policy options given as strings, by the CLI's flags or the action's inputs, in the config's own types.
 * Blank strings are unset, so that an input left empty falls through to the config file; other keys are
 * ignored. `name` says how the caller spells an option, for the error: "--fail-on", "input fail-on".
 */
export function readOptions(strings: Readonly<Record<string, string | undefined>>, name: (option: string) => string): Partial<ConfigInput> {
  const given = Object.fromEntries(
    Object.entries(strings).flatMap(([key, value]) => {
      const trimmed = value?.trim();
      return trimmed === undefined || trimmed === '' ? [] : [[key, trimmed]];
    }),
  );
  const parsed = OptionStrings.safeParse(given);
  if (!parsed.success) {
    throw new OptionError(parsed.error.issues.map((issue) => `${name(String(issue.path[0]))}: ${issue.message}`).join('\n'));
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<ConfigInput>;
}
