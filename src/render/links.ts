/**
 * Where the comment's links point: files at the head commit, the commit and the workflow run, on github.com or a
 * GitHub Enterprise Server. Every URL is built here from parts that are checked first; a report's own text never
 * makes a link (a file path is percent-encoded segment by segment, and one that could climb out is not linked).
 */
export interface LinkContext {
  /** GITHUB_SERVER_URL, such as https://github.com. */
  server: string;
  /** owner/name, as GITHUB_REPOSITORY has it. */
  repository: string;
  /** The commit the report describes. */
  sha: string;
  /** The workflow run that made the report, when there is one. */
  runId: number | null;
  /** The working directory from the repository's top, '' for the top (as workspace.ts has it). */
  prefix: string;
}

const SERVER = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The context when every part is what it should be; null otherwise, and then nothing is linked. */
export function linkContext(parts: {
  server: string;
  repository: string;
  sha: string;
  runId: number | null;
  prefix: string;
}): LinkContext | null {
  const server = parts.server.replace(/\/+$/, '');
  const valid =
    SERVER.test(server) &&
    REPOSITORY.test(parts.repository) &&
    SHA.test(parts.sha) &&
    (parts.runId === null || (Number.isSafeInteger(parts.runId) && parts.runId > 0)) &&
    (parts.prefix === '' || plainPath(parts.prefix));
  return valid ? { ...parts, server } : null;
}

/** A relative path of named segments: nothing absolute, empty, `.` or `..`, and no backslash. */
const plainPath = (file: string) => !file.includes('\\') && file.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

// encodeURIComponent leaves ! ' ( ) * as they are; markdown would read a parenthesis as the end of the link.
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment.toWellFormed()).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A file at the commit, at a line; null for a path that is not a plain relative one. */
export function fileUrl(context: LinkContext | null, file: string, line: number): string | null {
  if (context === null || !plainPath(file) || !Number.isSafeInteger(line) || line < 1) return null;
  const path = (context.prefix === '' ? file : `${context.prefix}/${file}`).split('/').map(encodeSegment).join('/');
  return `${context.server}/${context.repository}/blob/${context.sha}/${path}#L${line}`;
}

export const commitUrl = (context: LinkContext | null) =>
  context === null ? null : `${context.server}/${context.repository}/commit/${context.sha}`;

export const runUrl = (context: LinkContext | null) =>
  context === null || context.runId === null ? null : `${context.server}/${context.repository}/actions/runs/${context.runId}`;
