import type { GitHubClient } from './client.js';

/** One page of a listing, and when GitHub answered it (its Date header), when it said. */
export interface Page {
  items: unknown[];
  date: string | undefined;
}

/**
 * Every page of a GitHub listing, along the `link: rel="next"` headers. A listing is used whole or not at all:
 * a page that is not a JSON array, or that fails, is an error. (Octokit's paginate reads an empty body as an
 * empty page, an object with a count as its first list, and a 409 as the end: each would hide items.)
 */
export async function* listPages(
  client: GitHubClient,
  route: string,
  parameters: Record<string, string | number>,
  what: string,
): AsyncGenerator<Page> {
  let url: string | null = client.request.endpoint(route, parameters).url;
  const origin = new URL(url).origin;
  while (url !== null) {
    const response = await client.request(`GET ${url}`);
    if (!Array.isArray(response.data)) throw new Error(`GitHub answered ${what} with something other than a list`);
    yield { items: response.data, date: response.headers.date };
    url = nextPage(response.headers.link, origin, what);
  }
}

function nextPage(link: string | undefined, origin: string, what: string): string | null {
  const next = /<([^<>]+)>;\s*rel="next"/.exec(link ?? '')?.[1];
  if (next === undefined) return null;
  // The token goes with every request: never to another host than the API's.
  if (URL.canParse(next) && new URL(next).origin === origin) return next;
  throw new Error(`GitHub's next page of ${what} is not on the API's host`);
}
