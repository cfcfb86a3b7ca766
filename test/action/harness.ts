import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/action/run.js';
import { createClient, type Timing } from '../../src/github/client.js';
import { gitRepository, temporaryFolder } from '../fixtures/repository.js';
import { FIXTURES, OWNER, REPO, inputVariables, checkedOutEvent, type RunOptions } from '../e2e/runner.js';
import { recorded, resetRecorded, type Recorded } from './fake-actions.js';

/**
 * src/action/run.ts in this process, with @actions/core mocked (see fake-actions.ts), the event in the runner's
 * variables and the API client made against the loopback fake: the same options as the end-to-end runner, and
 * every wait of the client as short as the test asks.
 */

/** No backoff and no rate-limit pause (the waits asked for are in the log), and a time limit no answer reaches. */
export const NO_WAITS: Timing = { secondMs: 0, requestTimeoutMs: 30_000 };

export interface InProcessRun extends Recorded {
  exitCode: number;
  workspace: string;
  /** How many API clients the run made: none unless it made an API call. */
  clientsMade: number;
}

export async function runInProcess(options: RunOptions & { timing?: Timing }): Promise<InProcessRun> {
  resetRecorded();
  const temp = temporaryFolder({}, 'aivss-gate-action-');
  const workspace = options.workspace ?? path.join(temp, 'workspace');
  const files = Object.fromEntries(
    Object.entries(options.workspace ? {} : (options.files ?? {})).map(([file, source]) => [
      file,
      'fixture' in source ? readFileSync(path.join(FIXTURES, source.fixture), 'utf8') : source.text,
    ]),
  );
  const repository = options.workspace ? undefined : gitRepository(workspace);
  const payload = checkedOutEvent(options, repository, repository?.commit(files, 'the checkout'));
  const eventPath = path.join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
  Object.assign(process.env, await inputVariables(options.with ?? {}), {
    GITHUB_EVENT_NAME: options.event ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: 'bead5bead5bead5bead5bead5bead5bead5bead',
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
  });
  process.exitCode = undefined;
  const timing = options.timing ?? NO_WAITS;
  let clientsMade = 0;
  try {
    await run((token) => {
      clientsMade++;
      return createClient(token, { timing, baseUrl: options.apiUrl ?? 'http://127.0.0.1:9' });
    });
    return { ...structuredClone(recorded), exitCode: Number(process.exitCode ?? 0), workspace, clientsMade };
  } finally {
    process.exitCode = undefined;
  }
}

/** The warnings of a run, as text. */
export const warnings = (result: Recorded) => result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
