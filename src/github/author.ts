import { z } from 'zod';
import type { GitHubClient } from './client.js';

export interface Author {
  login: string;
  /** The REST user id; null only if GitHub withholds it, and then the login decides. */
  databaseId: number | null;
}

export interface CommentUser {
  id: number;
  login: string;
  type: string;
}

const Viewer = z.object({ viewer: z.object({ login: z.string().min(1), databaseId: z.number().int().positive().nullable() }) });

/**
 * Who the token writes as. REST GET /user refuses installation tokens (the workflow's GITHUB_TOKEN and GitHub
 * App tokens), whose comments appear as "<app>[bot]"; the GraphQL viewer answers for every kind of token.
 */
export async function tokenAuthor(client: GitHubClient): Promise<Author> {
  return Viewer.parse(await client.graphql('query { viewer { login databaseId } }')).viewer;
}

export function isWrittenBy(user: CommentUser, author: Author): boolean {
  if (author.databaseId !== null) return user.id === author.databaseId;
  return user.login === author.login || (user.type === 'Bot' && user.login === `${author.login}[bot]`);
}
