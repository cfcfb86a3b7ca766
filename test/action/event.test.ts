import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runnerEvent } from '../../src/action/event.js';
import { temporaryFolder } from '../fixtures/repository.js';

const eventFile = (text: string) => path.join(temporaryFolder({ 'event.json': text }, 'aivss-gate-event-'), 'event.json');

describe('runnerEvent', () => {
  test("reads the event's name, commit, payload and repository from the runner's variables", async () => {
    const env = {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventFile('{"ref":"refs/heads/main"}'),
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REPOSITORY: 'octo-org/agents',
    };
    const event = await runnerEvent(env);
    expect(event).toMatchObject({ eventName: 'push', sha: 'a'.repeat(40), payload: { ref: 'refs/heads/main' } });
    expect(event.repo).toEqual({ owner: 'octo-org', repo: 'agents' });
  });

  test('takes the repository from the payload without GITHUB_REPOSITORY, and fails only when it is asked for and named nowhere', async () => {
    const payload = { repository: { name: 'agents', owner: { login: 'octo-org' } } };
    expect((await runnerEvent({ GITHUB_EVENT_PATH: eventFile(JSON.stringify(payload)) })).repo).toEqual({
      owner: 'octo-org',
      repo: 'agents',
    });
    const nameless = await runnerEvent({});
    expect(nameless).toMatchObject({ eventName: undefined, sha: undefined, payload: {} });
    expect(() => nameless.repo).toThrow('the event names no repository');
  });

  test('a payload file that does not exist is an empty payload; one that is not JSON is an error', async () => {
    const missing = path.join(temporaryFolder({}, 'aivss-gate-event-'), 'none.json');
    expect((await runnerEvent({ GITHUB_EVENT_PATH: missing })).payload).toEqual({});
    await expect(runnerEvent({ GITHUB_EVENT_PATH: eventFile('{"ref":') })).rejects.toThrow(
      'the event payload (GITHUB_EVENT_PATH) is not JSON',
    );
  });
});
