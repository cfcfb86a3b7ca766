import { realpath } from 'node:fs/promises';
import path from 'node:path';
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
  const relative = path.relative(real.checkout, real.root);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InputError(`input working-directory: "${workingDirectory}" is outside the checkout ${checkout}`);
  }
  return { root: real.root, prefix: relative.split(path.sep).join('/') };
}

/** A path the engine reports (relative to the working directory) as GitHub wants it: relative to the checkout. */
export function checkoutPath(workspace: Workspace, file: string): string {
  return workspace.prefix === '' ? file : path.posix.join(workspace.prefix, file);
}
