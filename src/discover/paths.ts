import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES } from './discover.js';
import { relativeInside } from './read.js';

/** A path named to check that is not inside the root. */
export class PathOutsideRoot extends Error {
  override name = 'PathOutsideRoot';
  constructor(
    readonly given: string,
    readonly root: string,
  ) {
    super(`"${given}" is outside ${root}`);
  }
}

/** A path as a pattern that matches it alone, even when its name holds glob characters. */
const literal = (posixPath: string) => posixPath.replace(/[\\*?[\]{}()!+@|^$]/g, '\\$&');

/**
 * Paths named to check (the CLI's arguments, the action's paths input), relative to the root or absolute
 * inside it, as include patterns relative to the root, so that they select the same files in a base commit as
 * in the working tree: a folder stands for its threat-model files, anything else for itself.
 */
export async function includePatterns(root: string, paths: readonly string[]): Promise<string[]> {
  return Promise.all(
    paths.map(async (given) => {
      const absolute = path.resolve(root, given);
      const relative = relativeInside(root, absolute);
      if (relative === null) throw new PathOutsideRoot(given, root);
      const pattern = literal(relative);
      const isFolder = await lstat(absolute).then(
        (stats) => stats.isDirectory(),
        () => false,
      );
      return isFolder ? path.posix.join(pattern, MODEL_FILES) : pattern;
    }),
  );
}
