import * as core from '@actions/core';
import { formatScore } from '../render/words.js';
import type { Report } from '../report/schema.js';
import type { PublishedComment } from '../github/sticky-comment.js';
import type { ReportFiles } from './report-file.js';

/** The step outputs hold numbers, enums and paths only: never text from a threat-model file. */
export function setReportOutputs(report: Report, files: ReportFiles): void {
  const worst = report.summary.worst;
  core.setOutput('verdict', report.verdict);
  core.setOutput('max-score', worst ? formatScore(worst.score) : '');
  core.setOutput('max-severity', worst ? worst.severity : '');
  core.setOutput('models', report.summary.models);
  core.setOutput('failed', report.summary.failed);
  core.setOutput('report-json', files.json);
  core.setOutput('sarif-file', files.sarif);
}

export function setCommentOutputs(comment: PublishedComment): void {
  core.setOutput('comment-id', comment.id);
  core.setOutput('comment-url', comment.url);
}
