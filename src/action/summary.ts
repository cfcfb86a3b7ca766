import * as core from '@actions/core';
import { markup, type Markdown } from '../render/escape.js';
import type { LinkContext } from '../render/links.js';
import { renderMarkdown } from '../render/markdown.js';
import type { Report } from '../report/schema.js';

/**
 * The runner refuses a step summary file of more than 1 MiB (actions/runner, CreateStepSummaryCommand:
 * `fileSize > 1024 * 1024` bytes, "$GITHUB_STEP_SUMMARY upload aborted"), and drops it whole. It then rewrites the
 * file line by line to mask secrets, which on Windows adds a carriage return to every line. We stay 48 KiB under
 * the limit, which covers that growth for any body whose lines average more than 21 bytes.
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
export const SUMMARY_BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 48 * 1024;

const FULL_REPORT_HINT = markup`The JSON report (the \`report-json\` output of this step) has it all.`;

export function summaryMarkdown(report: Report, commit: string | null, links: LinkContext | null = null): Markdown {
  return renderMarkdown(report, {
    commit,
    links,
    maxLength: SUMMARY_BUDGET_BYTES,
    measure: (text) => Buffer.byteLength(text),
    fullReportHint: FULL_REPORT_HINT,
  });
}

export async function writeJobSummary(report: Report, commit: string | null, links: LinkContext | null = null): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(report, commit, links)).write();
}
