import * as core from '@actions/core';
import * as github from '@actions/github';
import { check, loadConfig } from '../engine.js';
import { ConfigError } from '../policy/config.js';
import { plainText } from '../render/escape.js';
import { verdictHeadline } from '../render/words.js';
import type { Report } from '../report/schema.js';
import { annotateModels } from './annotations.js';
import { explainCommentFailure } from './api-errors.js';
import { createClient } from './client.js';
import { commentBody, commentMarker } from './comment-body.js';
import { InputError, readInputs, type ActionInputs, type CommentMode } from './inputs.js';
import { setCommentOutputs, setReportOutputs } from './outputs.js';
import { pullRequestOf, type PullRequest } from './pull-request.js';
import { writeReportFile } from './report-file.js';
import { publishStickyComment } from './sticky-comment.js';
import { writeJobSummary } from './summary.js';
import { locateWorkspace, resolvePaths, type Workspace } from './workspace.js';

/** Exit status when the gate could not run at all (invalid input or config), as the CLI uses it. */
const EXIT_UNUSABLE = 2;

/**
 * One run of the action: the engine, then the verdict (outputs and exit status, before any API call, so that no
 * API failure can change it), then the job summary and annotations, then the pull-request comment.
 */
export async function run(): Promise<void> {
  try {
    await gateAndPublish();
  } catch (error) {
    unusable(error);
  }
}

async function gateAndPublish(): Promise<void> {
  const { inputs, workspace, report } = await evaluate();
  await recordVerdict(report);

  let pr: PullRequest | null = null;
  try {
    pr = pullRequestOf(github.context);
  } catch (error) {
    core.warning(`aivss-gate: no pull-request comment: ${plainText(String(error))}`);
  }
  try {
    await writeJobSummary(report, pr?.headSha ?? github.context.sha ?? null);
  } catch (error) {
    core.warning(`aivss-gate: the job summary was not written: ${plainText(String(error))}`);
  }
  annotateModels(report, workspace);

  if (pr === null) core.info(`aivss-gate: no pull request in this ${plainText(github.context.eventName ?? 'unknown', 60)} event, so no comment.`);
  else if (inputs.comment === 'off') core.info('aivss-gate: comment is off.');
  else await publishComment(report, pr, { token: inputs.token, header: inputs.header, mode: inputs.comment });
}

/** Invalid inputs or config, or an error before the verdict was recorded: a gate that could not run has not passed. */
function unusable(error: unknown): void {
  const known = error instanceof InputError || error instanceof ConfigError;
  core.setOutput('verdict', 'fail');
  core.setFailed(`aivss-gate could not run: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = EXIT_UNUSABLE;
}

async function evaluate(): Promise<{ inputs: ActionInputs; workspace: Workspace; report: Report }> {
  const inputs = readInputs();
  const workspace = await locateWorkspace(process.env.GITHUB_WORKSPACE || process.cwd(), inputs.workingDirectory);
  const config = await loadConfig(workspace.root, inputs.configFile, inputs.overrides);
  const report = await check({ root: workspace.root, config, paths: resolvePaths(workspace, inputs.paths) });
  return { inputs, workspace, report };
}

async function recordVerdict(report: Report): Promise<void> {
  setReportOutputs(report, await writeReportFile(report));
  core.info(verdictHeadline(report));
  // The runner reads a line that starts with "::" as a workflow command, so each reason follows a fixed label.
  for (const reason of report.reasons) core.info(`aivss-gate: ${plainText(reason, 400)}`);
  if (report.verdict === 'pass') return;
  if (report.policy.warnOnly) core.notice('aivss-gate: the verdict is fail, and warn-only keeps the step green.');
  else {
    const more = report.reasons.length - 1;
    core.setFailed(`AIVSS gate failed: ${plainText(report.reasons[0] ?? 'the verdict is fail', 300)}${more > 0 ? ` (and ${more} more, listed in the log and the job summary)` : ''}`);
  }
}

async function publishComment(report: Report, pr: PullRequest, options: { token: string; header: string; mode: Exclude<CommentMode, 'off'> }): Promise<void> {
  if (options.token === '') {
    core.warning('aivss-gate: no pull-request comment, since the github-token input is empty.');
    return;
  }
  const marker = commentMarker(options.header);
  try {
    const outcome = await publishStickyComment(createClient(options.token), pr, {
      marker,
      body: commentBody(report, marker, pr.headSha),
      mode: options.mode,
      verdict: report.verdict,
    });
    if (outcome.comment) setCommentOutputs(outcome.comment);
    core.info(`aivss-gate: pull-request comment ${outcome.action}${outcome.comment ? ` (${outcome.comment.url})` : ''}.`);
  } catch (error) {
    core.warning(explainCommentFailure(error, pr));
  }
}
