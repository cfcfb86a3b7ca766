import * as core from '@actions/core';
import { z } from 'zod';
import type { ConfigInput } from '../policy/config.js';
import { readOptions } from '../policy/options.js';
import { COMMENT_MODES, type CommentMode } from '../github/sticky-comment.js';

export interface ActionInputs {
  token: string;
  configFile: string | undefined;
  paths: string[];
  /** A saved JSON report to publish instead of scanning, or undefined to scan. */
  report: string | undefined;
  /** Only the options given as inputs: each one overrides the config file, which overrides the defaults. */
  overrides: Partial<ConfigInput>;
  comment: CommentMode;
  header: string;
  workingDirectory: string;
}

export class InputError extends Error {
  override name = 'InputError';
}

/** An input left empty counts as not given, so the config file and then the built-in default decide. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const Inputs = z.strictObject({
  'github-token': z.string(),
  'config-file': optional(z.string()),
  paths: z.string().transform((text) =>
    text
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  ),
  // The policy options, read as the CLI reads its flags.
  'fail-on': z.string(),
  'on-unscored': z.string(),
  'on-removed': z.string(),
  'warn-only': z.string(),
  comment: optional(z.enum(COMMENT_MODES)).transform((mode) => mode ?? 'update'),
  'comment-header': z
    .string()
    .max(64, 'comment-header is at most 64 characters')
    .regex(/^([A-Za-z0-9]+([ ._-][A-Za-z0-9]+)*)?$/, 'comment-header is letters and digits, in words joined by one space, ".", "_" or "-"'),
  'working-directory': z.string(),
  report: optional(z.string()),
});

/** Inputs that steer a scan: a saved report was judged by its own run, so they would silently do nothing. */
const SCAN_INPUTS = ['config-file', 'paths', 'fail-on', 'on-unscored', 'on-removed', 'warn-only'] as const;

/** Reads and validates every input of action.yml; an invalid one is an InputError (a policy option, an OptionError) naming it. */
export function readInputs(): ActionInputs {
  const raw = Object.fromEntries(Object.keys(Inputs.shape).map((name) => [name, core.getInput(name)]));
  const parsed = Inputs.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((i) => `input ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const inputs = parsed.data;
  const ignored = SCAN_INPUTS.filter((name) => raw[name] !== '');
  if (inputs.report !== undefined && ignored.length > 0) {
    throw new InputError(`input report: a saved report is published as it is; leave out ${ignored.join(', ')}, which apply to a scan`);
  }
  return {
    token: inputs['github-token'],
    configFile: inputs['config-file'],
    paths: inputs.paths,
    report: inputs.report,
    overrides: readOptions(raw, (name) => `input ${name}`),
    comment: inputs.comment,
    header: inputs['comment-header'],
    workingDirectory: inputs['working-directory'],
  };
}
