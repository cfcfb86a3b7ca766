import { afterEach, expect, test, vi } from 'vitest';
import { createClient } from '../../src/github/client.js';

afterEach(() => vi.useRealTimers());

/** Answers every request at once, as GitHub does when no rate limit is hit. */
const fetch = async (url: string | URL | Request) => {
  const graphql = String(url).endsWith('/graphql');
  const body = graphql
    ? { data: { viewer: { login: 'github-actions[bot]', databaseId: 41898282 } } }
    : { id: 7, html_url: 'https://github.com/o/r/pull/1#issuecomment-7', body: 'x', user: null };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

/** The virtual milliseconds that pass before `work` settles, with the timers of the client on a fake clock. */
async function virtualMs(work: () => Promise<unknown>): Promise<number> {
  let settled = false;
  const done = work().finally(() => (settled = true));
  let elapsed = 0;
  while (!settled && elapsed < 10_000) {
    await vi.advanceTimersByTimeAsync(10);
    elapsed += 10;
  }
  await done;
  return elapsed;
}

test('a comment update after the identity query makes no throttling pause when no rate limit was hit', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const client = createClient('token');
  const request = { fetch };
  const ms = await virtualMs(async () => {
    await client.graphql('query { viewer { login databaseId } }', { request });
    await client.rest.issues.updateComment({ owner: 'o', repo: 'r', comment_id: 7, body: 'x', request });
    await client.rest.issues.deleteComment({ owner: 'o', repo: 'r', comment_id: 8, request });
    await client.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'x', request });
  });
  // plugin-throttling's defaults space writes and GraphQL queries 1 s apart, and comments 3 s apart.
  expect(ms).toBeLessThan(1000);
});
