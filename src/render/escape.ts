/**
 * Every string that comes from a threat-model file or a saved report (names, summaries, threat titles, even file
 * paths) reaches the comment, the job summary, the terminal and the log through these functions, and through
 * nothing else.
 */

declare const escaped: unique symbol;

/**
 * GitHub markdown that is safe to publish. Only this module makes it: md() and html() from untrusted text,
 * decimal() from numbers, and the markup`` template from our own literal text around Markdown and numbers.
 * A raw string where Markdown is expected is a type error, and lint refuses a cast to Markdown elsewhere.
 */
export type Markdown = string & { readonly [escaped]: true };

// C0 and C1 controls, DEL, bidirectional overrides and isolates, zero-width characters, BOM, line separators.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const WHITESPACE = /[\s\u2028\u2029]+/g;
const WORD_JOINER = '\u2060';
// The Actions runner reads `##[command]data` anywhere in a line of the log (the legacy form of workflow
// commands, `##[stop-commands]` and `##[set-output]` among them); `::command::` only at its start.
const LEGACY_COMMAND = /##\[/g;

/**
 * Plain, single-line, printable text of at most `maxLength` characters: for terminals and logs, where
 * escape sequences, newlines and workflow commands must not pass.
 */
export function plainText(text: string, maxLength = 300): string {
  const clean = text.toWellFormed().replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim();
  return truncate(clean.replace(LEGACY_COMMAND, `##${WORD_JOINER}[`), maxLength);
}

function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text);
  return chars.length <= maxLength ? text : `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
}

/**
 * Breaks what GitHub would turn into a notification or a link: @user and @org/team mentions, #123 and GH-123
 * references, bare URLs. A word joiner is invisible but stops the pattern; entities would not, since GitHub
 * finds mentions after the markdown is rendered. No word boundary is asked for: GFM links `_www.x.y` too.
 */
function neutralize(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${WORD_JOINER}`)
    .replace(/#(?=\d)/g, `#${WORD_JOINER}`)
    .replace(/(GH)-(?=\d)/gi, `$1-${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/(www)\./gi, `$1${WORD_JOINER}.`);
}

const HTML_SPECIAL = /[&<>"']/g;
const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~^=:$]/g;

const escapeHtml = (text: string) => text.replace(HTML_SPECIAL, (c) => HTML[c]!);

/**
 * Untrusted text as inert GitHub-flavoured markdown on one line: safe in a paragraph, a list item, a heading or
 * a table cell. It renders as exactly the characters given (less invisible ones), never as markup, HTML, a
 * link, an image or a mention.
 */
export function md(text: string, maxLength = 300): Markdown {
  return escapeHtml(neutralize(plainText(text, maxLength)).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)) as Markdown;
}

/** Untrusted text inside raw HTML, such as a <summary>, where markdown escapes would show as backslashes. */
export function html(text: string, maxLength = 300): Markdown {
  return escapeHtml(neutralize(plainText(text, maxLength))) as Markdown;
}

/** Text inside an HTML comment, such as our marker: one line with no `<`, `>` or `--`, so nothing ends it early. */
export function htmlComment(text: string, maxLength = 300): Markdown {
  return plainText(text, maxLength)
    .replace(/[<>]/g, '')
    .replace(/-(?=-)/g, `-${WORD_JOINER}`) as Markdown;
}

/** A number with a fixed count of decimals: digits, a sign and a point, which are markup nowhere in a line. */
export const decimal = (value: number, digits: number) => value.toFixed(digits) as Markdown;

/**
 * Markdown of ours: the literal parts of the template are the code's own text, and a value is either Markdown
 * already (from md(), html() or another template) or a number. A string is a type error: the caller says how
 * it is escaped, md() in markdown and html() inside raw HTML.
 */
export function markup(literals: TemplateStringsArray, ...values: readonly (Markdown | number)[]): Markdown {
  return values.reduce<string>((out, value, i) => out + String(value) + literals[i + 1]!, literals[0]!) as Markdown;
}

/** Markdown parts with a separator of ours between them. */
export const join = (parts: readonly Markdown[], separator: Markdown) => parts.join(separator) as Markdown;

// A URL of ours: letters, digits, unreserved marks and percent escapes, with `/`, `:` and `#` as separators. No
// space, quote, bracket, angle bracket or parenthesis, so it can neither end the link early nor open another.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9\-._~%/]*)?(?:#[A-Za-z0-9\-._~]*)?$/;

/**
 * A link of ours: the text is Markdown already, the URL one that links.ts or taxonomy.ts built from validated
 * parts. Any other URL leaves the text unlinked.
 */
export function link(text: Markdown, url: string | null): Markdown {
  return (url !== null && SAFE_URL.test(url) ? `[${text}](${url})` : text) as Markdown;
}
