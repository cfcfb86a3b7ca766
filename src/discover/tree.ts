import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { discover, type DiscoverOptions, type Discovery } from './discover.js';
import { readCandidate, type ReadResult } from './read.js';

/** Where threat models are read from: the checked-out working tree, or a commit of the repository. */
export interface Tree {
  /** Says which tree a report describes, such as "working tree" or "base 1a2b3c4". */
  label: string;
  discover(options: Omit<DiscoverOptions, 'root'>): Promise<Discovery>;
  read(file: string, maxBytes: number): Promise<ReadResult>;
  /** A config file's text, or null when the tree has no such file. */
  readConfig(file: string): Promise<string | null>;
}

export function workingTree(root: string): Tree {
  return {
    label: 'working tree',
    discover: (options) => discover({ ...options, root }),
    read: (file, maxBytes) => readCandidate(root, file, { maxFileBytes: maxBytes }),
    async readConfig(file) {
      try {
        return await readFile(path.resolve(root, file), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
