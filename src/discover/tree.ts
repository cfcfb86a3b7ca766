import { discover, type DiscoverOptions, type Discovery } from './discover.js';
import { CONFIG_LIMIT, readCandidate, THREAT_MODEL_LIMIT, type ReadResult } from './read.js';

/** Where threat models are read from: the checked-out working tree, or a commit of the repository. */
export interface Tree {
  /** Says which tree a report describes, such as "working tree" or "base 1a2b3c4". */
  label: string;
  discover(options: Omit<DiscoverOptions, 'root'>): Promise<Discovery>;
  read(file: string, maxBytes: number): Promise<ReadResult>;
  /** A config file's text, or null when the tree has no such file; a file that cannot be read safely throws. */
  readConfig(file: string): Promise<string | null>;
}

export function workingTree(root: string): Tree {
  return {
    label: 'working tree',
    discover: (options) => discover({ ...options, root }),
    read: (file, maxBytes) => readCandidate(root, file, { maxBytes, label: THREAT_MODEL_LIMIT }),
    // The same reader as for threat models: a link (to .git/config, say) or a device is refused unread.
    async readConfig(file) {
      const result = await readCandidate(root, file, CONFIG_LIMIT);
      if (result.ok) return result.text;
      if (result.missing) return null;
      throw new Error(result.message);
    },
  };
}
