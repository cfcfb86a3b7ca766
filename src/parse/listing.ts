import { findFactor } from '../spec/factors.js';
import { FORMAT_VERSION } from '../spec/format.js';
import { REQUIRED_LAYERS } from '../spec/layers.js';
import type { PathSegment } from '../spec/problem.js';
import type { ParseResult } from './types.js';
import { FORBIDDEN_KEYS } from './yaml.js';

/**
 * Agent listings as published: a title, a risk summary, a factor table and seven MAESTRO layer paragraphs that
 * are known only by their position. The listing is read into the native format's shape, so one schema
 * validates both.
 */

const TITLE_SUFFIX = /agentic threat model$/i;
const DASHES = '—–-';
const RATIONALE = /^OWASP AIVSS score rationale\s*$/i;
const MAESTRO = /^MAESTRO 7-layer threat model\s*$/i;
const PREAMBLE = /^Per-layer threats\b/i;
const CLOSING = /^MAESTRO\s*[—–-]/;
const UNCERTAIN = /^not certain from the listing\s*[—–:-]+\s*/i;
const SEPARATOR_ROW = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const VALUE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

interface Line {
  number: number;
  text: string;
}

/** Strips markdown heading marks and emphasis around a line, so `## OWASP AIVSS score rationale` still matches. */
function plain(text: string): string {
  return text
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^(\*\*|__)(.*)\1$/, '$2')
    .trim();
}

/**
 * The agent name of a title line "<Agent name> — agentic threat model" (empty when it has none), or null. Read without a regex such as
 * /^(.*?)\s*[—–-]+\s*agentic.../: backtracking makes that quadratic on a long line of dashes or spaces.
 */
function titleName(line: string): string | null {
  const text = line.trimEnd();
  if (!TITLE_SUFFIX.test(text)) return null;
  const head = text.slice(0, text.length - 'agentic threat model'.length).trimEnd();
  let end = head.length;
  while (end > 0 && DASHES.includes(head[end - 1]!)) end--;
  const name = head.slice(0, end).trim();
  // The regex's `.` never matched a line or paragraph separator.
  return end < head.length && !/[\u2028\u2029]/.test(name) ? name : null;
}

/**
 * A listing has its title line or both section headings; the title alone is not enough, because a native YAML
 * file may open with a comment such as `# Payments agent — agentic threat model`.
 */
export function looksLikeListing(text: string): boolean {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map(plain);
  const first = lines.find((l) => l !== '');
  const title = first !== undefined && titleName(first) !== null;
  const rationale = lines.some((l) => RATIONALE.test(l));
  const maestro = lines.some((l) => MAESTRO.test(l));
  return (title && (rationale || maestro)) || (rationale && maestro);
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug === '' ? 'agent' : slug;
}

function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((c) => c.trim());
}

export function parseListing(text: string): ParseResult {
  const lines: Line[] = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, index) => ({ number: index + 1, text: plain(raw) }))
    .filter((line) => line.text !== '');
  const fail = (line: number | null, message: string): ParseResult => ({ ok: false, format: 'listing', problems: [{ line, message }] });

  const title = lines[0];
  const name = title ? titleName(title.text) : null;
  if (!title || !name) {
    return fail(title?.number ?? null, 'a listing starts with a title line "<Agent name> — agentic threat model"');
  }
  const rationaleAt = lines.findIndex((l) => RATIONALE.test(l.text));
  if (rationaleAt < 0) return fail(null, 'the listing has no "OWASP AIVSS score rationale" section');
  const maestroAt = lines.findIndex((l, i) => i > rationaleAt && MAESTRO.test(l.text));
  if (maestroAt < 0) return fail(null, 'the listing has no "MAESTRO 7-layer threat model" section after the score rationale');

  const lineMap = new Map<string, number>();
  const record = (path: readonly PathSegment[], line: number) => lineMap.set(JSON.stringify(path), line);
  record(['agent'], title.number);
  record(['agent', 'name'], title.number);
  const summaryLines = lines.slice(1, rationaleAt);
  if (summaryLines[0]) record(['agent', 'description'], summaryLines[0].number);

  const factors: Record<string, number> = {};
  record(['aivss'], lines[rationaleAt]!.number);
  record(['aivss', 'factors'], lines[rationaleAt]!.number);
  const rows = lines.slice(rationaleAt + 1, maestroAt).filter((l) => l.text.startsWith('|'));
  for (const row of rows) {
    if (SEPARATOR_ROW.test(row.text)) continue;
    const [factor = '', value = ''] = cells(row.text);
    if (!VALUE.test(value)) {
      // A header row, such as | Factor | Value | Rationale |; a first row that names a factor is data.
      if (row === rows[0] && !findFactor(factor)) continue;
      return fail(row.number, `factor "${factor}" has no numeric value (found "${value}")`);
    }
    // `factors.__proto__ = 0.4` would set nothing: the row would vanish and an eleventh row pass unseen.
    if (FORBIDDEN_KEYS.has(factor)) return fail(row.number, `unknown factor "${factor}"`);
    if (Object.hasOwn(factors, factor)) return fail(row.number, `factor "${factor}" is listed twice`);
    factors[factor] = Number(value);
    record(['aivss', 'factors', factor], row.number);
  }
  if (Object.keys(factors).length === 0) return fail(lines[rationaleAt]!.number, 'the score rationale has no factor table rows');

  const paragraphs = lines.slice(maestroAt + 1).filter((l, i, all) => {
    if (i === 0 && PREAMBLE.test(l.text)) return false;
    return !(i === all.length - 1 && CLOSING.test(l.text));
  });
  if (paragraphs.length !== REQUIRED_LAYERS.length) {
    const where =
      paragraphs.length > 0 ? `lines ${paragraphs[0]!.number}-${paragraphs.at(-1)!.number}` : `after line ${lines[maestroAt]!.number}`;
    return fail(
      lines[maestroAt]!.number,
      `found ${paragraphs.length} layer paragraphs (${where}); a listing has exactly seven, one per MAESTRO layer L1-L7 in order, so its layers cannot be mapped by position`,
    );
  }
  const layers: Record<string, { status: 'mapped' | 'uncertain'; summary: string }> = {};
  record(['layers'], lines[maestroAt]!.number);
  paragraphs.forEach((paragraph, index) => {
    const id = REQUIRED_LAYERS[index]!;
    const uncertain = UNCERTAIN.exec(paragraph.text);
    layers[id] = uncertain
      ? { status: 'uncertain', summary: paragraph.text.slice(uncertain[0].length) }
      : { status: 'mapped', summary: paragraph.text };
    record(['layers', id], paragraph.number);
  });

  const data = {
    formatVersion: FORMAT_VERSION,
    agent: {
      id: slugify(name),
      name,
      ...(summaryLines.length > 0 ? { description: summaryLines.map((l) => l.text).join(' ') } : {}),
    },
    aivss: { factors },
    layers,
  };
  return {
    ok: true,
    parsed: {
      format: 'listing',
      data,
      lineOf(path) {
        for (let n = path.length; n > 0; n--) {
          const line = lineMap.get(JSON.stringify(path.slice(0, n)));
          if (line !== undefined) return line;
        }
        return title.number;
      },
    },
  };
}
