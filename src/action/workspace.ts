import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { relativeInside } from '../discover/read.js';
import { InputError } from './inputs.js';

export interface Workspace {
  /** Where the check runs: the working directory inside the checkout, symbolic links resolved. */
  root: string;
  /** The working directory relative to the checkout, with forward slashes ('' for the checkout itself). */
  prefix: string;
}

/** The checkout is GITHUB_WORKSPACE; working-directory may narrow it but never leave it. */
export async function locateWorkspace(checkout: string, workingDirectory: string): Promise<Workspace> {
  let real: { checkout: string; root: string };
  try {
    real = { checkout: await realpath(checkout), root: await realpath(path.resolve(checkout, workingDirectory)) };
  } catch (error) {
    throw new InputError(
      `input working-directory: cannot open "${workingDirectory}" in ${checkout} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const prefix = relativeInside(real.checkout, real.root);
  if (prefix === null) throw new InputError(`input working-directory: "${workingDirectory}" is outside the checkout ${checkout}`);
  return { root: real.root, prefix };
}

/** The config-file input as a path inside the working directory, where both the checkout and the base commit are read. */
export function configFileIn(workspace: Workspace, configFile: string | undefined): string | undefined {
  if (configFile === undefined) return undefined;
  const file = relativeInside(workspace.root, configFile);
  if (file === null) throw new InputError(`input config-file: "${configFile}" is outside the working directory ${workspace.root}`);
  return file;
}

/** A path the engine reports (relative to the working directory) as GitHub wants it: relative to the checkout. */
export function checkoutPath(workspace: Workspace, file: string): string {
  return workspace.prefix === '' ? file : path.posix.join(workspace.prefix, file);
}
