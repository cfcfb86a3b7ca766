import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { HEAD_SHA, TOKEN } from './fake-github.js';
import { gitRepository, type GitRepository } from '../fixtures/repository.js';

/**
 * Runs the built bundle, dist/index.js (which loads the chunk files next to it when it reaches them), the way the
 * GitHub Actions runner runs a node24 action: inputs as INPUT_<NAME> variables (upper case, hyphens kept) with
 * action.yml's defaults filled in, the event payload in a file, and files for outputs and the job summary. CI
 * builds the bundle before the tests; run `npm run build` before running them locally.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE = path.join(REPO_ROOT, 'dist/index.js');
export const FIXTURES = fileURLToPath(new URL('../fixtures/models/', import.meta.url));
export const OWNER = 'octo-org';
export const REPO = 'agents';
export const PR_NUMBER = 42;
export const RUN_ID = 4242;
export { HEAD_SHA };

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Every stdout line that the runner would read as a workflow command. */
  commands: string[];
  workspace: string;
}

export interface RunOptions {
  /** GITHUB_API_URL; none for runs that must not reach an API. */
  apiUrl?: string;
  event?: 'pull_request' | 'pull_request_target' | 'push' | 'workflow_run';
  /** Inputs as a workflow's `with:` gives them. */
  with?: Record<string, string>;
  /**
   * Files of the checkout: path relative to it → fixture name or text. The runner commits them to a git
   * repository, and that commit is the pull request's base, unless baseSha names another. On pull_request, the
   * checkout is then GitHub's merge commit of the head (with the same files) into that commit.
   */
  files?: Record<string, { fixture: string } | { text: string }>;
  /** A checkout the test made, such as a git repository of base and head commits, used instead of `files`. */
  workspace?: string;
  baseSha?: string;
  /** The event payload as it is, instead of the one the runner makes for the event. */
  payload?: unknown;
  /** The head repository of the pull request, when it is a fork. */
  forkOf?: string;
  headSha?: string;
  timeoutMs?: number;
  /** More environment variables, such as NODE_OPTIONS for the bench's memory probe. */
  env?: Record<string, string>;
  /** The action's entry, instead of dist/index.js: a copy of the bundle with a part left out, say. */
  bundle?: string;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const bundle = options.bundle ?? BUNDLE;
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'aivss-gate-e2e-'));
  const workspace = options.workspace ?? path.join(temp, 'workspace');
  const runnerTemp = path.join(temp, 'runner-temp');
  await mkdir(runnerTemp, { recursive: true });
  for (const [file, source] of Object.entries(options.workspace ? {} : (options.files ?? {}))) {
    const target = path.join(workspace, file);
    await mkdir(path.dirname(target), { recursive: true });
    if ('fixture' in source) await copyFile(path.join(FIXTURES, source.fixture), target);
    else await writeFile(target, source.text);
  }
  await mkdir(workspace, { recursive: true });
  const event = options.event ?? 'pull_request';
  const repository = options.workspace ? undefined : gitRepository(workspace);
  const payload = checkedOutEvent(options, repository, repository?.commit({}, 'the checkout'));
  const eventPath = path.join(temp, 'event.json');
  await writeFile(eventPath, JSON.stringify(payload));
  const outputFile = path.join(temp, 'output.txt');
  const summaryFile = path.join(temp, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_SHA: 'bead5bead5bead5bead5bead5bead5bead5bead',
    GITHUB_REF: event === 'push' || event === 'workflow_run' ? 'refs/heads/main' : `refs/pull/${PR_NUMBER}/merge`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: String(RUN_ID),
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9/unreachable',
    RUNNER_TEMP: runnerTemp,
    ...(await inputVariables(options.with ?? {})),
    ...options.env,
  };
  const { exitCode, stdout, stderr } = await spawnNode(bundle, workspace, env, options.timeoutMs ?? 120_000);
  const commands = stdout.split(/\r?\n/).filter((line) => line.trimStart().startsWith('::'));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    annotations: commands.map(parseAnnotation).filter((a): a is Annotation => a !== null),
    commands,
    workspace,
  };
}

/** What the runner sets: every input of action.yml, given or defaulted; expressions evaluated. */
export async function inputVariables(given: Record<string, string>): Promise<Record<string, string>> {
  const action = parse(await readFile(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  const unknown = Object.keys(given).filter((name) => !(name in action.inputs));
  if (unknown.length > 0) throw new Error(`not inputs of action.yml: ${unknown.join(', ')}`);
  const variables: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = given[name] ?? input.default;
    if (value === undefined) continue;
    const evaluated = value.replace(/\$\{\{\s*github\.token\s*\}\}/g, TOKEN);
    if (evaluated.includes('${{')) throw new Error(`input ${name}: an expression this runner does not evaluate`);
    variables[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = evaluated;
  }
  return variables;
}

function spawnNode(script: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** GITHUB_OUTPUT holds `name<<DELIMITER`, the value's lines, then the delimiter. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (!heredoc) {
      if (lines[i] !== '') throw new Error(`GITHUB_OUTPUT line ${i + 1} is not a heredoc: ${lines[i]}`);
      continue;
    }
    const end = lines.indexOf(heredoc[2]!, i + 1);
    if (end < 0) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} is not closed`);
    if (heredoc[1]! in outputs) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} is set twice`);
    outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** `::error file=a,line=3::message`, decoded as the runner decodes it. */
export function parseAnnotation(line: string): Annotation | null {
  const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line.trimStart());
  if (!match) return null;
  const properties = Object.fromEntries(
    (match[2] ?? '')
      .split(',')
      .filter((p) => p !== '')
      .map((p) => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq), unescapeProperty(p.slice(eq + 1))];
      }),
  );
  return { level: match[1] as Annotation['level'], properties, message: unescapeData(match[3]!) };
}

const require = createRequire(import.meta.url);
interface WebhookExample {
  name: string;
  examples: Record<string, unknown>[];
}
const webhookExamples = () => require('@octokit/webhooks-examples') as WebhookExample[];

/**
 * The event's payload, the test's own or the usual one of the event. On pull_request the checkout is made what
 * actions/checkout makes: GitHub's merge commit of the head into the base (`committed`).
 */
export function checkedOutEvent(options: RunOptions, repository: GitRepository | undefined, committed: string | undefined): unknown {
  const event = options.event ?? 'pull_request';
  if (options.payload !== undefined) return options.payload;
  if (event === 'push') return pushPayload();
  if (event === 'workflow_run') return workflowRunPayload();
  if (event === 'pull_request') repository?.mergeOf(options.headSha ?? HEAD_SHA);
  return pullRequestPayload({ ...options, baseSha: options.baseSha ?? committed });
}

/** GitHub's own pull_request.opened example, moved to our repository, pull request and head commit. */
export function pullRequestPayload(options: RunOptions): unknown {
  const payload = structuredClone(
    webhookExamples()
      .find((e) => e.name === 'pull_request')!
      .examples.find((e) => e.action === 'opened')!,
  ) as {
    number: number;
    pull_request: {
      number: number;
      head: { sha: string; repo: { full_name: string; name: string; owner: { login: string } } };
      base: { sha: string; repo: { full_name: string; name: string; owner: { login: string } } };
    };
    repository: { full_name: string; name: string; owner: { login: string } };
  };
  const move = (repo: { full_name: string; name: string; owner: { login: string } }, fullName: string) => {
    const [owner, name] = fullName.split('/') as [string, string];
    Object.assign(repo, { full_name: fullName, name });
    repo.owner.login = owner;
  };
  payload.number = PR_NUMBER;
  payload.pull_request.number = PR_NUMBER;
  payload.pull_request.head.sha = options.headSha ?? HEAD_SHA;
  if (options.baseSha) payload.pull_request.base.sha = options.baseSha;
  move(payload.repository, `${OWNER}/${REPO}`);
  move(payload.pull_request.base.repo, `${OWNER}/${REPO}`);
  move(payload.pull_request.head.repo, options.forkOf ?? `${OWNER}/${REPO}`);
  return payload;
}

/** GitHub's own workflow_run.completed example of a pull_request run, moved to our repository; tests adjust it. */
export function workflowRunPayload(): WorkflowRunPayload {
  const payload = structuredClone(
    webhookExamples()
      .find((e) => e.name === 'workflow_run')!
      .examples.find((e) => e.action === 'completed' && (e.workflow_run as { conclusion: unknown }).conclusion !== null)!,
  ) as unknown as WorkflowRunPayload;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  Object.assign(payload.workflow_run, { event: 'pull_request', pull_requests: [], head_branch: 'feature', head_sha: HEAD_SHA });
  return payload;
}

export interface WorkflowRunPayload {
  repository: { full_name: string };
  workflow_run: {
    id: number;
    event: string;
    head_sha: string;
    head_branch: string | null;
    pull_requests: unknown[];
    head_repository: { full_name: string; name: string; owner: { login: string } } | null;
  };
}

export function pushPayload(): unknown {
  return structuredClone(webhookExamples().find((e) => e.name === 'push')!.examples[0]);
}
