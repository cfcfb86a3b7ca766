import path from 'node:path';
import * as core from '@actions/core';
import { EXIT, gate } from '../engine.js';
import { ConfigError } from '../policy/config.js';
import { OptionError } from '../policy/options.js';
import { plainText } from '../render/escape.js';
import { logLine, logLines } from '../render/log.js';
import { verdictHeadline } from '../render/words.js';
import { couldNotRunReport } from '../report/build.js';
import type { Report } from '../report/schema.js';
import { todayUtc } from '../policy/waivers.js';
import { annotateModels } from './annotations.js';
import { explainCommentFailure } from '../github/errors.js';
import { BaseUnreadable, baseTree } from './base-commit.js';
import { HeadUnreadable, headTree } from './checkout.js';
import type { GitHubClient, LazyClient } from '../github/client.js';
import { commentBody, commentMarker } from '../render/comment.js';
import { InputError, readInputs, type ActionInputs } from './inputs.js';
import { setCommentOutputs, setReportOutputs } from './outputs.js';
import { pullRequestOf, runnerEvent, triggeringRun, type RunnerEvent } from './event.js';
import { writeReportFiles } from './report-file.js';
import { currentRunId, linkContextOf } from './link-context.js';
import type { LinkContext } from '../render/links.js';
import { readSavedReport } from './saved-report.js';
import { publishStickyComment, type CommentMode } from '../github/sticky-comment.js';
import { writeJobSummary } from './summary.js';
import { checkoutPath, configFileIn, locateWorkspace, type Workspace } from './workspace.js';
import { pullRequestOfRun, type PullRequest } from '../github/pull-requests.js';

/** Makes the API client for a token. */
export type ClientMaker = (token: string) => GitHubClient | Promise<GitHubClient>;

// The client's code (Octokit and its plugins) is a chunk of its own, loaded by the first API call: most runs make none.
const loadClient: ClientMaker = async (token) => (await import('../github/client.js')).createClient(token);

/**
 * One run of the action: the engine (or a saved report), then the verdict (outputs and exit status, before any
 * API call but those that read the base commit, so that no API failure can change it), then the job summary and
 * annotations, then the pull-request comment. Tests pass their own maker of the API client.
 */
export async function run(makeClient: ClientMaker = loadClient): Promise<void> {
  try {
    const inputs = readInputs();
    const event = await runnerEvent();
    const workspace = await locateWorkspace(process.env.GITHUB_WORKSPACE || process.cwd(), inputs.workingDirectory);
    const client = inputs.token === '' ? null : lazily(() => makeClient(inputs.token));
    if (inputs.report === undefined) await gateAndPublish(inputs, event, workspace, client);
    else await publishSavedReport(inputs, event, inputs.report, workspace, client);
  } catch (error) {
    await writeSummary(await unusable(error), null, null);
  }
}

/** The client made once, on the first call; a maker that fails fails that call. */
function lazily(make: () => GitHubClient | Promise<GitHubClient>): LazyClient {
  let client: Promise<GitHubClient> | undefined;
  return () => (client ??= Promise.resolve().then(make));
}

async function gateAndPublish(inputs: ActionInputs, event: RunnerEvent, workspace: Workspace, client: LazyClient | null): Promise<void> {
  // On a pull request the base decides the policy: a payload without a readable base fails the run.
  const pr = pullRequestOf(event);
  let report: Report;
  let inCheckout = false;
  try {
    ({ report, inCheckout } = await scan(inputs, workspace, pr, client));
  } catch (error) {
    // The summary and the comment say that the gate could not run, rather than leave an older verdict standing.
    report = await unusable(error);
  }
  if (report.couldNotRun === undefined) await recordVerdict(report, 'gate', workspace);
  const commit = pr?.headSha ?? event.sha ?? null;
  const links = linkContextOf(workspace, commit, currentRunId());
  await writeSummary(report, commit, links);
  if (inCheckout) annotateModels(report, workspace);
  else if (report.couldNotRun === undefined) core.info("aivss-gate: no file annotations, since the files judged are not the checkout's.");
  if (pr === null) {
    core.info(`aivss-gate: no pull request in this ${plainText(event.eventName ?? 'unknown', 60)} event, so no comment.`);
    return;
  }
  const writer = commenter(inputs, client);
  if (writer !== null) await publishComment(report, pr, inputs.header, writer, links);
}

/**
 * The working tree alone, or on a pull request its head against the base commit; `inCheckout` says whether the
 * files judged are the checkout's, which annotations point into.
 */
async function scan(
  inputs: ActionInputs,
  workspace: Workspace,
  pr: PullRequest | null,
  client: LazyClient | null,
): Promise<{ report: Report; inCheckout: boolean }> {
  const request = {
    root: workspace.root,
    overrides: inputs.overrides,
    configFile: configFileIn(workspace, inputs.configFile),
    paths: inputs.paths,
    pathsName: 'input paths',
  };
  if (pr === null) return { report: await gate(request), inCheckout: true };
  const head = await headTree(workspace, pr, client);
  const report = await gate({ ...request, base: () => baseTree(workspace, pr, client), head: async () => head.tree });
  return { report, inCheckout: head.checkedOut };
}

/**
 * The second run of the fork recipe (workflow_run): it checks nothing out and runs no pull-request code. The
 * report is re-validated and re-escaped, and the pull request is the one GitHub names for the triggering run.
 */
async function publishSavedReport(
  inputs: ActionInputs,
  event: RunnerEvent,
  file: string,
  workspace: Workspace,
  client: LazyClient | null,
): Promise<void> {
  const triggering = triggeringRun(event);
  const report = await readSavedReport(path.resolve(workspace.root, file));
  await recordVerdict(report, 'publish', workspace);
  // The links name the run that made the report, and its commit.
  const links = triggering && linkContextOf(workspace, triggering.headSha, triggering.id);
  await writeSummary(report, triggering?.headSha ?? null, links);
  if (triggering === null) {
    core.info(
      `aivss-gate: a saved report is posted on workflow_run events only, not ${plainText(event.eventName ?? 'unknown', 60)}, so no comment.`,
    );
    return;
  }
  const writer = commenter(inputs, client);
  if (writer === null) return;
  let lookup;
  try {
    lookup = await pullRequestOfRun(await writer.client(), event.repo, triggering);
  } catch (error) {
    return core.warning(explainCommentFailure(error, { readOnlyToken: false }));
  }
  if (lookup.found === null)
    return core.warning(`aivss-gate: no pull-request comment for run ${triggering.id}: ${plainText(lookup.reason, 400)}.`);
  await publishComment(report, lookup.found, inputs.header, writer, links);
}

/**
 * Invalid inputs or config, an unreadable base or head, or an error before the verdict was recorded: a gate that
 * could not run has not passed. It still writes a report that says so, for the job summary, the comment and the
 * fork recipe's second run, which would otherwise leave an older verdict standing. The messages may quote the
 * config file, so they go through the log-safe writer; a stack trace goes to the debug log only.
 */
async function unusable(error: unknown): Promise<Report> {
  const known =
    error instanceof InputError ||
    error instanceof OptionError ||
    error instanceof ConfigError ||
    error instanceof BaseUnreadable ||
    error instanceof HeadUnreadable;
  const lines = error instanceof ConfigError ? error.lines : known ? error.message.split('\n') : [`an unexpected error: ${String(error)}`];
  if (!known && error instanceof Error && error.stack) core.debug(logLines(error.stack.split('\n')));
  core.setFailed(logLines([`could not run: ${lines[0]}`, ...lines.slice(1)]).trimEnd());
  process.exitCode = EXIT.usage;
  const report = couldNotRunReport(lines.join('\n'), todayUtc());
  // With no file, report-json is empty, which the fork recipe's upload step checks for.
  setReportOutputs(report, await writeReportFiles(report, (file) => file).catch(() => ({ json: '', sarif: '' })));
  return report;
}

/**
 * The outputs, the log and the exit status. A run that publishes a saved report is not the gate (that is the run
 * which made the report), and runs on the default branch: failing it would mark the default branch red.
 */
async function recordVerdict(report: Report, role: 'gate' | 'publish', workspace: Workspace): Promise<void> {
  setReportOutputs(report, await writeReportFiles(report, (file) => checkoutPath(workspace, file)));
  core.info(verdictHeadline(report));
  // The runner reads a line that starts with "::" as a workflow command, so each reason follows a fixed label.
  for (const reason of report.reasons) core.info(logLine(reason, 400));
  if (report.verdict === 'pass') return;
  if (role === 'publish') core.info('aivss-gate: the saved report failed its gate; this run only publishes it, so the step stays green.');
  else if (report.policy.warnOnly) core.notice('aivss-gate: the verdict is fail, and warn-only keeps the step green.');
  else {
    const more = report.reasons.length - 1;
    core.setFailed(
      `AIVSS gate failed: ${plainText(report.reasons[0] ?? 'the verdict is fail', 300)}${more > 0 ? ` (and ${more} more, listed in the log and the job summary)` : ''}`,
    );
  }
}

async function writeSummary(report: Report, commit: string | null, links: LinkContext | null): Promise<void> {
  try {
    await writeJobSummary(report, commit, links);
  } catch (error) {
    core.warning(`aivss-gate: the job summary was not written: ${plainText(String(error))}`);
  }
}

interface Commenter {
  client: LazyClient;
  mode: Exclude<CommentMode, 'off'>;
}

/** How to write the comment, or null (and the log says why) when there is to be none. */
function commenter(inputs: ActionInputs, client: LazyClient | null): Commenter | null {
  if (inputs.comment === 'off') {
    core.info('aivss-gate: comment is off.');
    return null;
  }
  if (client === null) {
    core.warning('aivss-gate: no pull-request comment, since the github-token input is empty.');
    return null;
  }
  return { client, mode: inputs.comment };
}

async function publishComment(
  report: Report,
  pr: PullRequest,
  header: string,
  writer: Commenter,
  links: LinkContext | null,
): Promise<void> {
  const marker = commentMarker(header);
  try {
    const outcome = await publishStickyComment(await writer.client(), pr, {
      marker,
      body: commentBody(report, marker, pr.headSha, links),
      mode: writer.mode,
      verdict: report.verdict,
    });
    if (outcome.comment) setCommentOutputs(outcome.comment);
    core.info(logLine(`pull-request comment ${outcome.action}${outcome.comment ? ` (${outcome.comment.url})` : ''}.`));
  } catch (error) {
    core.warning(explainCommentFailure(error, pr));
  }
}
