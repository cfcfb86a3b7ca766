import { htmlComment, markup, type Markdown } from './escape.js';
import type { LinkContext } from './links.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from '../report/schema.js';

/** GitHub refuses a comment body of more than 65,536 characters; we stay below it. */
export const COMMENT_LIMIT = 65_536;

/**
 * The hidden first line of our comment. It names the comment-header, so that two instances of the action on one
 * pull request keep two comments. The header input allows only letters, digits and single separators, which
 * htmlComment() leaves as they are.
 */
export function commentMarker(header: string): Markdown {
  return markup`<!-- aivss-gate:header=${htmlComment(header, 64)} -->`;
}

/** Only the first line counts: a marker quoted further down, or inside a longer line, is not ours. */
export function carriesMarker(body: string, marker: string): boolean {
  return body.split('\n', 1)[0]!.replace(/\r$/, '') === marker;
}

/** The marker line, then the report of the head commit, cut to fit by the renderer. */
export function commentBody(report: Report, marker: Markdown, commit: string, links: LinkContext | null = null): Markdown {
  const maxLength = COMMENT_LIMIT - 1 - (marker.length + 1);
  return markup`${marker}\n${renderMarkdown(report, { commit, maxLength, links })}`;
}
