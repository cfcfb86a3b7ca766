/**
 * Stand-ins for the parts of @actions/core that write to the runner, for in-process tests of src/action. A test
 * file mocks the package with them (vi.mock hoists the call):
 *
 *   vi.mock('@actions/core', async (real) => (await import('./fake-actions.js')).fakeCore(await real()));
 *
 * This module imports nothing from src, so that mocking does not import the modules being mocked.
 */

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, unknown>;
}

/** What one run wrote: log lines (core.info), annotations, outputs, the failure message, the job summary. */
export interface Recorded {
  log: string[];
  annotations: Annotation[];
  outputs: Record<string, string>;
  failed: string[];
  summary: string;
}

export const recorded: Recorded = { log: [], annotations: [], outputs: {}, failed: [], summary: '' };

export function resetRecorded(): void {
  Object.assign(recorded, { log: [], annotations: [], outputs: {}, failed: [], summary: '' });
}

const annotate =
  (level: Annotation['level']) =>
  (message: string | Error, properties: Record<string, unknown> = {}) => {
    recorded.annotations.push({ level, message: String(message), properties });
  };

/** @actions/core with its writers recorded; getInput and the rest stay real (inputs come from INPUT_* variables). */
export function fakeCore<T extends object>(real: T): T {
  let pending = '';
  const summary = {
    addRaw(text: string) {
      pending += text;
      return summary;
    },
    async write() {
      recorded.summary += pending;
      pending = '';
      return summary;
    },
  };
  return {
    ...real,
    info: (message: string) => recorded.log.push(message),
    debug: () => {},
    warning: annotate('warning'),
    error: annotate('error'),
    notice: annotate('notice'),
    setOutput: (name: string, value: unknown) => {
      recorded.outputs[name] = String(value);
    },
    setFailed: (message: string | Error) => {
      recorded.failed.push(String(message));
      process.exitCode = 1;
    },
    summary,
  };
}
