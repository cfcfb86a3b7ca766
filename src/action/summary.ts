import * as core from '@actions/core';
import { markup, type Markdown } from '../render/escape.js';
import { renderMarkdown } from '../render/markdown.js';
import type { Report } from '../report/schema.js';

/** GitHub refuses a step summary above 1 MiB of UTF-8. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

const FULL_REPORT_HINT = markup`The JSON report (the \`report-json\` output of this step) has it all.`;

export function summaryMarkdown(report: Report, commit: string | null): Markdown {
  const render = (maxLength: number) => renderMarkdown(report, { commit, maxLength, fullReportHint: FULL_REPORT_HINT });
  const body = render(SUMMARY_LIMIT_BYTES);
  if (Buffer.byteLength(body) <= SUMMARY_LIMIT_BYTES) return body;
  // maxLength counts UTF-16 code units, and no unit takes more than three bytes of UTF-8.
  return render(Math.floor(SUMMARY_LIMIT_BYTES / 3));
}

export async function writeJobSummary(report: Report, commit: string | null): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(report, commit)).write();
}
