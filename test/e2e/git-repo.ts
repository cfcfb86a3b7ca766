import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A change to a file of the repository: its new text, a symbolic link, or null to delete it. */
export type FileChange = string | { link: string } | null;

export interface GitRepository {
  root: string;
  /** Writes the changes, commits everything, and returns the commit id. */
  commit(changes: Record<string, FileChange>, message?: string): string;
  git(...args: string[]): string;
  /**
   * Makes HEAD GitHub's merge commit of a pull request whose head is `head`, on top of HEAD, with HEAD's files,
   * as a depth-1 checkout has it: the head commit need not exist, and the merge commit is marked shallow.
   */
  mergeOf(head: string): string;
}

/** A git repository in `root` (made if needed), with a local identity, for a test to commit to. */
export function gitRepository(root: string): GitRepository {
  mkdirSync(root, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe', env: GIT_ENV }).toString().trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'e2e@example.com');
  git('config', 'user.name', 'e2e');
  git('config', 'commit.gpgsign', 'false');
  return {
    root,
    git,
    commit(changes, message = 'change') {
      for (const [file, change] of Object.entries(changes)) {
        const target = path.join(root, file);
        rmSync(target, { force: true });
        if (change === null) continue;
        mkdirSync(path.dirname(target), { recursive: true });
        if (typeof change === 'string') writeFileSync(target, change);
        else symlinkSync(change.link, target);
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    mergeOf(head) {
      const [tree, base] = [git('rev-parse', 'HEAD^{tree}'), git('rev-parse', 'HEAD')];
      const who = 'e2e <e2e@example.com> 1735689600 +0000';
      const object = `tree ${tree}\nparent ${base}\nparent ${head}\nauthor ${who}\ncommitter ${who}\n\nMerge ${head} into ${base}\n`;
      const merge = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: root, input: object, env: GIT_ENV })
        .toString()
        .trim();
      writeFileSync(path.join(root, '.git/shallow'), `${merge}\n`);
      git('update-ref', 'HEAD', merge);
      return merge;
    },
  };
}

/** No system or user git config, and fixed dates: the same files make the same commit, on every machine. */
const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  HOME: '/nonexistent',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};
