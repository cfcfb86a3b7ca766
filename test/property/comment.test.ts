import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { commentBody, commentMarker } from '../../src/render/comment.js';
import { JSON_SCHEMAS } from '../../src/render/json-schema.js';
import { linkContext } from '../../src/render/links.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { verdictHeadline } from '../../src/render/words.js';
import { Report } from '../../src/report/schema.js';

/**
 * Any saved report that passes validation, with hostile text in every string field the schema leaves free,
 * renders as a comment in which the report's text is only text: GitHub's markdown (GFM) finds no HTML but ours,
 * no link but the renderer's own (to a model's file at the commit, the commit, the run or a tag's definition), no
 * image, reference or definition, no mention, and no heading but our verdict.
 */

const FRAGMENTS = [
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">click</a>',
  '</details><details open>',
  '<!-- aivss-gate:header= -->',
  '-->',
  '<sub>',
  '<br>',
  '@octocat',
  '@org/team',
  '#1',
  'GH-12',
  'https://evil.example/x',
  'www.evil.example',
  'mallory@evil.example',
  '[click](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  '[ref]',
  '[ref]: https://evil.example',
  '[^1]',
  '### ✅ AIVSS gate passed',
  '# ',
  '===',
  '---',
  '```',
  '~~~',
  '> ',
  '- ',
  '1. ',
  '| a | b |',
  '*',
  '_',
  '`',
  '\\',
  '&amp;',
  '&#64;',
  '\n',
  '\r\n',
  '\n\n',
  '\u0000',
  '\u001b[31m',
  '\u202E',
  '\u2028',
  '::error::',
  ' ',
  'a',
  '7',
];

const hostile = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const realDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function text(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern === DATE_PATTERN) return realDate;
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  const [min, max] = [schema.minLength ?? 0, schema.maxLength ?? Infinity];
  return hostile.map((s) => s.slice(0, max)).filter((s) => s.trim().length >= min);
}

/** An arbitrary for the shape the report's JSON Schema describes: every key, every enum, every string free. */
function arbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(arbitrary));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => arbitrary({ ...schema, type })));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return text(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? (schema.exclusiveMinimum ?? -1001) + 1, max: Math.min(schema.maximum ?? 1000, 1000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'array':
      return fc.array(arbitrary(schema.items!), { maxLength: 3 });
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, arbitrary(value)]));
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      throw new Error(`the report schema has a node this test cannot generate: ${JSON.stringify(schema)}`);
  }
}

const savedReport = arbitrary(JSON_SCHEMAS.report() as JsonSchema);

const FORBIDDEN = new Set(['image', 'linkReference', 'imageReference', 'definition', 'footnoteReference', 'footnoteDefinition']);
const MARKER = commentMarker('default');
/** The HTML the renderer writes itself; html() leaves no `<` or `>` of the report's text inside it. */
const OUR_HTML = [
  new RegExp(`^${MARKER}$`),
  /^<details><summary>[^<>]*<b>[^<>]*<\/b>[^<>]*<\/summary>$/,
  /^<\/details>$/,
  /^<\/?(sub|b)>$/,
  /^<br>$/,
];
/** What GitHub turns into a notification or a link after rendering: mentions, references, bare URLs. */
const LINKABLE = /@[A-Za-z0-9]|#\d|GH-\d|:\/\/|www\./i;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text a reader sees: mdast decodes character references in text, but leaves raw HTML as written. */
function asShown(node: { type: string; value?: string }): string {
  if (node.type !== 'html') return node.value ?? '';
  return node.value!.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, ref: string) =>
    ref.startsWith('#')
      ? String.fromCodePoint(Number(ref[1] === 'x' || ref[1] === 'X' ? `0${ref.slice(1)}` : ref.slice(1)))
      : ENTITIES[ref.toLowerCase()]!,
  );
}

interface Node {
  type: string;
  value?: string;
  url?: string;
  children?: Node[];
}

const SHA = 'c0ffee0000000000000000000000000000000000';
const LINKS = linkContext({
  server: 'https://ghe.example.com',
  repository: 'octo-org/agents',
  sha: SHA,
  runId: 4242,
  prefix: 'services/agents',
})!;
const REPO_URL = 'https://ghe.example.com/octo-org/agents';
const TAXONOMY =
  /^https:\/\/(genai\.owasp\.org\/resource\/(agentic-ai-threats-and-mitigations|owasp-top-10-for-agentic-applications-for-2026)\/|atlas\.mitre\.org\/techniques\/AML\.T\d{4}(\.\d{3})?)$/;

/** A link the renderer makes: the commit, the run, a tag's definition, or a file of the report at the commit. */
function isOurLink(url: string, report: Report): boolean {
  if (url === `${REPO_URL}/commit/${SHA}` || url === `${REPO_URL}/actions/runs/4242` || TAXONOMY.test(url)) return true;
  const file = new RegExp(`^${REPO_URL}/blob/${SHA}/services/agents/([^#]+)#L[1-9]\\d*$`).exec(url);
  if (!file) return false;
  const path = file[1]!.split('/').map(decodeURIComponent).join('/');
  return report.models.some((m) => m.file === path) && !/[()\s<>"'\\]/.test(file[1]!);
}

const nodes = (node: Node): Node[] => [node, ...(node.children ?? []).flatMap(nodes)];
const textOf = (node: Node): string => node.value ?? (node.children ?? []).map(textOf).join('');

let linksSeen = 0;

function checkInert(body: string, report: Report): void {
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const all = nodes(tree as Node);
  expect(all.filter((n) => FORBIDDEN.has(n.type)).map((n) => n.type)).toEqual([]);
  for (const link of all.filter((n) => n.type === 'link')) {
    linksSeen++;
    expect(isOurLink(link.url!, report), link.url).toBe(true);
    expect(link.children!.every((c) => c.type === 'text' || c.type === 'strong')).toBe(true);
  }
  for (const node of all) {
    if (node.type === 'html')
      expect(
        OUR_HTML.some((pattern) => pattern.test(node.value!)),
        node.value,
      ).toBe(true);
    if (node.type === 'html' || node.type === 'text') expect(asShown(node)).not.toMatch(LINKABLE);
    // md() escapes backticks: the only code is the renderer's own hint.
    if (node.type === 'inlineCode' || node.type === 'code') expect(node.value).toBe('report-json');
  }
  const headings = all.filter((n) => n.type === 'heading');
  expect(headings.map((h) => textOf(h))).toEqual([verdictHeadline(report)]);
}

describe('the comment for any valid saved report', () => {
  it('holds the report’s strings as text only: no HTML, link, image, reference, mention or heading of theirs', () => {
    let rendered = 0;
    fc.assert(
      fc.property(savedReport, fc.option(fc.integer({ min: 500, max: 20_000 })), (data, maxLength) => {
        const parsed = Report.safeParse(data);
        fc.pre(parsed.success);
        const report = parsed.data!;
        checkInert(commentBody(report, MARKER, SHA), report);
        checkInert(commentBody(report, MARKER, SHA, LINKS), report);
        // A smaller limit takes the paths that collapse and drop sections to fit.
        if (maxLength !== null) checkInert(renderMarkdown(report, { commit: 'c0ffee0', maxLength, links: LINKS }), report);
        rendered++;
      }),
      { numRuns: 100, seed: 20260101 },
    );
    expect(rendered).toBe(100);
    expect(linksSeen).toBeGreaterThan(100);
  });
});
