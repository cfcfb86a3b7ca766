import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApi, type Description, type OpenApi } from './openapi.js';

/**
 * A GitHub API on loopback for one repository's pull-request comments. It keeps the comments as state, serves
 * them 100 to a page with Link headers like GitHub, records every request, checks each one (and each of its
 * own JSON answers) against GitHub's OpenAPI description, and lets a test script failures: any status with any
 * headers, or no answer at all.
 */

export interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export const ACTIONS_BOT: User = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const MALLORY: User = { login: 'mallory', id: 6_666_666, type: 'User' };
export const REVIEWER: User = { login: 'reviewer', id: 7_777_777, type: 'User' };

export interface Comment {
  id: number;
  body: string;
  user: User;
  /** Milliseconds since the epoch, as GitHub's `since` filter compares them. */
  updatedAt: number;
}

export interface RecordedRequest {
  method: string;
  /** The path after the API's base path, as the OpenAPI description spells it. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number | 'no answer';
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * 'reset' destroys the connection without an answer; 'no answer' leaves it open. The normal answer's headers
 * and the first half of its body, then: 'cut short' destroys the connection, 'stalled' leaves it open.
 */
type PartialAnswer = 'cut short' | 'stalled';
type Fault = 'no answer' | 'reset' | PartialAnswer;
type Answer = ScriptedReply | 'no answer' | 'reset' | { reply: ScriptedReply; partial: PartialAnswer };
const isPartial = (reply: ScriptedReply | Fault): reply is PartialAnswer => reply === 'cut short' || reply === 'stalled';

interface Script {
  method: string;
  path: RegExp;
  reply: ScriptedReply | Fault;
  times: number;
  /** Matching requests answered normally before this script applies. */
  skip: number;
}

interface Barrier {
  method: string;
  path: RegExp;
  parties: number;
  waiting: (() => void)[];
}

/** A file of a commit that the git database API serves: its text, a symbolic link or a submodule. */
export type CommitFile = string | { link: string } | { submodule: string };

/** An open pull request that the pulls API lists. */
export interface OpenPullRequest {
  number: number;
  headRepository: string;
  headRef: string;
  headSha: string;
  baseSha: string;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  /** '' for api.github.com, '/api/v3' for GitHub Enterprise Server. */
  basePath?: string;
  description?: Description;
  /** Who the token writes as. */
  viewer?: User;
  /** The head commit of pull request `issueNumber`; HEAD_SHA unless given. */
  headSha?: string;
}

const PAGE_SIZE_DEFAULT = 30;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Requests or answers that GitHub's description does not allow. */
  readonly violations: string[] = [];
  comments: Comment[] = [];
  /** Commits the git database API serves (trees and blobs), by commit id. */
  readonly commits = new Map<string, Record<string, CommitFile>>();
  /** Answer every tree listing as GitHub does for a repository too large for one request. */
  truncateTrees = false;
  pulls: OpenPullRequest[] = [];
  /** The head commit of pull request `issueNumber` (unless `pulls` has it), as GET .../pulls/{number} answers. */
  headSha: string;
  private nextId = 1_000_001;
  private readonly scripts: Script[] = [];
  private readonly barriers: Barrier[] = [];
  private readonly server: Server;
  private readonly api: OpenApi;
  private readonly basePath: string;
  private readonly viewer: User;

  private constructor(private readonly options: FakeGitHubOptions) {
    this.api = openApi(options.description);
    this.basePath = options.basePath ?? '';
    this.viewer = options.viewer ?? ACTIONS_BOT;
    this.headSha = options.headSha ?? HEAD_SHA;
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** What GITHUB_API_URL is set to. */
  get url(): string {
    return `${this.origin}${this.basePath}`;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addComment(user: User, body: string): Comment {
    const comment = { id: this.nextId++, body, user, updatedAt: Date.now() };
    this.comments.push(comment);
    return comment;
  }

  /**
   * The next `times` requests matching method and path (after the first `skip` of them) get this reply instead
   * of the normal one.
   */
  script(method: string, path: RegExp, reply: ScriptedReply | Fault, times = 1, skip = 0): void {
    this.scripts.push({ method, path, reply, times, skip });
  }

  /** The first `parties` requests matching method and path are held until all of them have arrived. */
  barrier(method: string, path: RegExp, parties: number): void {
    this.barriers.push({ method, path, parties, waiting: [] });
  }

  /** Requests that reached the API, as "METHOD path" (the GraphQL endpoint shows as "POST graphql"). */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: text === '' ? undefined : parseJson(text),
      status: 'no answer',
    };
    this.requests.push(recorded);
    await this.holdAtBarrier(recorded, url);
    const answer = this.reply(recorded, url);
    if (answer === 'no answer') return;
    if (answer === 'reset') {
      request.socket.destroy();
      return;
    }
    const [reply, partial] = 'partial' in answer ? [answer.reply, answer.partial] : [answer, null];
    recorded.status = reply.status;
    const headers: Record<string, string> = { 'x-ratelimit-remaining': '4999', ...reply.headers };
    if (reply.body === undefined) {
      response.writeHead(reply.status, headers).end();
      return;
    }
    const [type, content] =
      typeof reply.body === 'string' ? ['text/html', reply.body] : ['application/json; charset=utf-8', JSON.stringify(reply.body)];
    const body = Buffer.from(content);
    response.writeHead(reply.status, { 'content-type': type, 'content-length': String(body.length), ...headers });
    if (partial === null) {
      response.end(body);
      return;
    }
    response.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      if (partial === 'cut short') request.socket.destroy();
    });
  }

  private async holdAtBarrier(request: RecordedRequest, url: URL): Promise<void> {
    const path = url.pathname.slice(this.basePath.length);
    const barrier = this.barriers.find((b) => b.waiting.length < b.parties && b.method === request.method && b.path.test(path));
    if (!barrier) return;
    const released = new Promise<void>((resolve) => barrier.waiting.push(resolve));
    if (barrier.waiting.length === barrier.parties) for (const release of barrier.waiting) release();
    await released;
  }

  private reply(request: RecordedRequest, url: URL): Answer {
    if (request.headers.authorization !== `token ${TOKEN}`) this.violations.push(`${request.method} ${request.path}: without the token`);
    if (request.path === (this.basePath === '' ? '/graphql' : '/api/graphql')) {
      request.path = 'graphql';
      return this.answer(request, () => this.graphql(request));
    }
    if (!request.path.startsWith(`${this.basePath}/`)) {
      this.violations.push(`${request.method} ${request.path}: outside the API base path ${this.basePath}`);
      return REPLIES.notFound;
    }
    request.path = request.path.slice(this.basePath.length);
    this.violations.push(...this.api.checkRequest({ ...request, contentType: request.headers['content-type'] }));
    return this.answer(request, () => {
      const reply = this.serve(request, url);
      if (reply.status < 300) this.violations.push(...this.api.checkResponse(request.method, request.path, reply.status, reply.body));
      return reply;
    });
  }

  /** The scripted reply, or the normal one, whole or in part as the script says. */
  private answer(request: RecordedRequest, normal: () => ScriptedReply): Answer {
    const scripted = this.scripted(request);
    if (scripted === null) return normal();
    return isPartial(scripted) ? { reply: normal(), partial: scripted } : scripted;
  }

  private scripted(request: RecordedRequest): ScriptedReply | Fault | null {
    const script = this.scripts.find((s) => s.times > 0 && s.method === request.method && s.path.test(request.path));
    if (!script) return null;
    if (script.skip > 0) {
      script.skip--;
      return null;
    }
    script.times--;
    return script.reply;
  }

  private graphql(request: RecordedRequest): ScriptedReply {
    const query = (request.body as { query?: unknown } | undefined)?.query;
    // Not part of the REST description: the one query the action may send is checked here instead.
    if (typeof query !== 'string' || !/^query\s*\{\s*viewer\s*\{\s*login\s+databaseId\s*\}\s*\}$/.test(query)) {
      this.violations.push(`POST graphql: unexpected query ${JSON.stringify(request.body)}`);
      return { status: 200, body: { errors: [{ message: 'unexpected query' }] } };
    }
    return { status: 200, body: { data: { viewer: { login: this.viewer.login, databaseId: this.viewer.id } } } };
  }

  private serve(request: RecordedRequest, url: URL): ScriptedReply {
    const { owner, repo, issueNumber } = this.options;
    const list = `/repos/${owner}/${repo}/issues/${issueNumber}/comments`;
    const single = new RegExp(`^/repos/${owner}/${repo}/issues/comments/(\\d+)$`).exec(request.path);
    const found = single ? this.comments.find((c) => c.id === Number(single[1])) : undefined;
    const body = (request.body as { body?: unknown } | undefined)?.body;
    if (request.method === 'GET' && request.path === list) {
      const since = url.searchParams.get('since');
      return this.page(
        url,
        since === null ? undefined : this.comments.filter((c) => c.updatedAt >= Date.parse(since)).map((c) => this.resource(c)),
      );
    }
    const git = this.serveGit(request);
    if (git) return git;
    if (request.method === 'GET' && request.path === `/repos/${owner}/${repo}/pulls`) return this.page(url, this.openPulls(url));
    const pull = new RegExp(`^/repos/${owner}/${repo}/pulls/(\\d+)$`).exec(request.path);
    if (request.method === 'GET' && pull) return this.pullRequest(Number(pull[1]));
    if (request.method === 'POST' && request.path === list && typeof body === 'string') {
      return { status: 201, body: this.resource(this.addComment(this.viewer, body)) };
    }
    if (request.method === 'PATCH' && found && typeof body === 'string') {
      found.body = body;
      found.updatedAt = Date.now();
      return { status: 200, body: this.resource(found) };
    }
    if (request.method === 'DELETE' && found) {
      this.comments = this.comments.filter((c) => c !== found);
      return { status: 204 };
    }
    // A comment another run deleted meanwhile.
    if (single && !found) return REPLIES.notFound;
    this.violations.push(`${request.method} ${request.path}: not an operation this test expects`);
    return REPLIES.notFound;
  }

  /** GET git/trees/{commit}?recursive=1 and GET git/blobs/{sha} over `commits`; null for other requests. */
  private serveGit(request: RecordedRequest): ScriptedReply | null {
    const { owner, repo } = this.options;
    const match = new RegExp(`^/repos/${owner}/${repo}/git/(trees|blobs)/([^/]+)$`).exec(request.path);
    if (request.method !== 'GET' || !match) return null;
    const url = (kind: string, sha: string) => `${this.url}/repos/${owner}/${repo}/git/${kind}/${sha}`;
    if (match[1] === 'trees') {
      const files = this.commits.get(match[2]!);
      if (!files || request.query.get('recursive') === null) return REPLIES.notFound;
      const folders = new Set(
        Object.keys(files).flatMap((file) =>
          file
            .split('/')
            .slice(0, -1)
            .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
        ),
      );
      const tree = [
        ...[...folders].map((folder) => ({
          path: folder,
          mode: '040000',
          type: 'tree',
          sha: gitObjectId('tree', folder),
          url: url('trees', gitObjectId('tree', folder)),
        })),
        ...Object.entries(files).map(([file, content]) => {
          if (typeof content === 'object' && 'submodule' in content)
            return { path: file, mode: '160000', type: 'commit', sha: content.submodule };
          const bytes = Buffer.from(typeof content === 'string' ? content : content.link);
          const sha = gitObjectId('blob', bytes);
          return {
            path: file,
            mode: typeof content === 'string' ? '100644' : '120000',
            type: 'blob',
            sha,
            size: bytes.length,
            url: url('blobs', sha),
          };
        }),
      ].sort((a, b) => (a.path < b.path ? -1 : 1));
      return {
        status: 200,
        body: { sha: gitObjectId('tree', match[2]!), url: url('trees', match[2]!), tree, truncated: this.truncateTrees },
      };
    }
    const content = [...this.commits.values()]
      .flatMap((files) => Object.values(files))
      .map((c) => Buffer.from(typeof c === 'string' ? c : 'link' in c ? c.link : ''))
      .find((bytes) => gitObjectId('blob', bytes) === match[2]);
    if (content === undefined) return REPLIES.notFound;
    const base64 = content.toString('base64').replace(/.{60}/g, '$&\n');
    return {
      status: 200,
      body: {
        sha: match[2],
        node_id: `B_${match[2]}`,
        size: content.length,
        url: url('blobs', match[2]!),
        content: base64,
        encoding: 'base64',
      },
    };
  }

  /** The open pull requests whose head is `head=OWNER:BRANCH`, as GitHub filters them. */
  private openPulls(url: URL): unknown[] {
    const { owner, repo } = this.options;
    const [headOwner, headRef] = (url.searchParams.get('head') ?? ':').split(':') as [string, string];
    const example = this.api.example<Record<string, unknown>[]>('pull-request-simple-items')[0] as Record<string, unknown> &
      Record<'head' | 'base', Record<string, unknown> & { repo: Record<string, unknown> & { owner: Record<string, unknown> } }>;
    const repository = (fullName: string) => {
      const [login, name] = fullName.split('/') as [string, string];
      return { ...example.head.repo, full_name: fullName, name, owner: { ...example.head.repo.owner, login } };
    };
    return this.pulls
      .filter(
        (pr) =>
          url.searchParams.get('state') === 'open' &&
          pr.headRepository.split('/')[0]!.toLowerCase() === headOwner.toLowerCase() &&
          pr.headRef === headRef,
      )
      .map((pr) => ({
        ...example,
        // GitHub's example lists a team without the `type` its own schema requires.
        requested_teams: [],
        number: pr.number,
        state: 'open',
        head: {
          ...example.head,
          label: `${headOwner}:${pr.headRef}`,
          ref: pr.headRef,
          sha: pr.headSha,
          repo: repository(pr.headRepository),
        },
        base: { ...example.base, sha: pr.baseSha, repo: repository(`${owner}/${repo}`) },
      }));
  }

  /** GET .../pulls/{number}: GitHub's example with this number and head commit. */
  private pullRequest(number: number): ScriptedReply {
    const headSha = this.pulls.find((pr) => pr.number === number)?.headSha ?? (number === this.options.issueNumber ? this.headSha : null);
    if (headSha === null) return REPLIES.notFound;
    const { owner, repo } = this.options;
    const example = this.api.example<Record<string, unknown> & { head: Record<string, unknown> }>('pull-request');
    return {
      status: 200,
      body: {
        ...example,
        requested_teams: [],
        number,
        url: `${this.url}/repos/${owner}/${repo}/pulls/${number}`,
        head: { ...example.head, sha: headSha },
      },
    };
  }

  private page(url: URL, items?: unknown[]): ScriptedReply {
    const perPage = Number(url.searchParams.get('per_page') ?? PAGE_SIZE_DEFAULT);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil((items ?? this.comments).length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    return {
      status: 200,
      headers: links.length > 0 ? { link: links.join(', ') } : {},
      body: items
        ? items.slice((page - 1) * perPage, page * perPage)
        : this.comments.slice((page - 1) * perPage, page * perPage).map((c) => this.resource(c)),
    };
  }

  /** A comment as GitHub returns it: the documented example, with this comment's fields. */
  private resource(comment: Comment): unknown {
    const { owner, repo, issueNumber } = this.options;
    const example = this.api.example<Record<string, unknown> & { user: Record<string, unknown> }>('issue-comment');
    return {
      ...example,
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${this.url}/repos/${owner}/${repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${owner}/${repo}/issues/${issueNumber}`,
      body: comment.body,
      updated_at: new Date(comment.updatedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      user: { ...example.user, login: comment.user.login, id: comment.user.id, type: comment.user.type },
      author_association: comment.user === this.viewer ? 'NONE' : 'CONTRIBUTOR',
    };
  }
}

/** Git's id of an object: the SHA-1 of a header and the bytes (for a tree, any stable id will do here). */
export function gitObjectId(kind: 'blob' | 'tree', bytes: Buffer | string): string {
  const data = Buffer.from(bytes);
  return createHash('sha1').update(`${kind} ${data.length}\0`).update(data).digest('hex');
}

/** The head commit of the pull request: the runner's payload and the fake both use it unless a test gives another. */
export const HEAD_SHA = 'c0ffee5ca1ab1e0ddba11feedfacade000000001';

/** The token the fake accepts; the runner passes it as the default of github-token. */
export const TOKEN = 'ghs_e2eFakeInstallationToken0000000000';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** GitHub's answers to the failures the tests script. */
export const REPLIES = {
  /** Without retry-after (null), GitHub's docs say to wait "at least one minute". */
  secondaryRateLimit: (status: 403 | 429, retryAfter: string | null = '1'): ScriptedReply => ({
    status,
    headers: retryAfter === null ? {} : { 'retry-after': retryAfter },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  }),
  primaryRateLimit: (resetInSeconds: number): ScriptedReply => ({
    status: 403,
    headers: {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    },
  }),
  forbidden: {
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    },
  } satisfies ScriptedReply,
  notFound: { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } } satisfies ScriptedReply,
  badGateway: { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' } satisfies ScriptedReply,
  unauthorized: {
    status: 401,
    body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
  } satisfies ScriptedReply,
  serverError: { status: 500, body: { message: 'Server Error' } } satisfies ScriptedReply,
  /** GitHub's validation error (422) for a comment body over its limit. */
  bodyTooLong: {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [
        { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' },
      ],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    },
  } satisfies ScriptedReply,
};
