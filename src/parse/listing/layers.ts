import { LAYER_NAMES, REQUIRED_LAYERS, findLayer, type LayerId } from '../../spec/layers.js';
import { quote, unbold, type Line, type Reading } from './lines.js';

/**
 * The MAESTRO section. A rendered page heads each layer (`L1 · Foundation Models⚠ not certain from listing`):
 * the heading names the layer and its mark decides uncertain or mapped. A text copy has seven paragraphs and
 * nothing else: they are L1 to L7 by position. Neither the heading, nor the mark, nor the "Not certain from the
 * listing —" prefix is part of a layer's text.
 */
export type Layers = Partial<Record<LayerId, { status: 'mapped' | 'uncertain'; summary: string }>>;

const PREAMBLE = /^Per-layer threats\b/i;
const CLOSING = /^MAESTRO\s*[—–-]/;
const UNCERTAIN_PREFIX = /^not certain from the listing\s*[—–:-]+\s*/i;
const HEADING_PREFIX = /^(?:L|Layer\s?)(\d{1,2})(?!\d)/i;
const SEPARATORS = new Set([' ', '\t', '·', '•', ':', '.', '|', '—', '–', '-']);
const MARKS: readonly { symbol: string; status: 'mapped' | 'uncertain' }[] = [
  { symbol: '⚠', status: 'uncertain' },
  { symbol: '✓', status: 'mapped' },
  { symbol: '✔', status: 'mapped' },
  { symbol: '✅', status: 'mapped' },
];
const MARK_WORDS: readonly { words: string; status: 'mapped' | 'uncertain' }[] = [
  { words: 'not certain from listing', status: 'uncertain' },
  { words: 'mapped', status: 'mapped' },
];

interface Heading {
  number: number;
  name: string;
  status: 'mapped' | 'uncertain' | null;
}

/** `L1 · Foundation Models⚠ not certain from listing`, the mark glued or spaced, or `L2 · Data Operations`. */
export function layerHeading(line: string): Heading | null {
  const text = unbold(line);
  const prefix = HEADING_PREFIX.exec(text);
  if (!prefix) return null;
  let start = prefix[0].length;
  while (start < text.length && SEPARATORS.has(text[start]!)) start++;
  let rest = text.slice(start);
  let status: Heading['status'] = null;
  const mark = MARKS.map((m) => ({ ...m, at: rest.indexOf(m.symbol) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (mark) {
    status = mark.status;
    rest = rest.slice(0, mark.at);
  } else {
    const lower = rest.toLowerCase();
    const words = MARK_WORDS.find((w) => lower.endsWith(w.words) && findLayer(rest.slice(0, rest.length - w.words.length)));
    if (words) {
      status = words.status;
      rest = rest.slice(0, rest.length - words.words.length);
    }
  }
  const name = rest.trim();
  // A paragraph may start with "L2 "; a heading has a mark or names a layer.
  if (status === null && !findLayer(name)) return null;
  return { number: Number(prefix[1]), name, status };
}

/** A line that is a mark and nothing else, such as `⚠ not certain from listing` put under its heading. */
function bareMark(line: string): Heading['status'] {
  const text = unbold(line).replace(/^[\s\uFE0F]+/, '');
  const mark = MARKS.find((m) => text.startsWith(m.symbol));
  const words = mark
    ? text
        .slice(mark.symbol.length)
        .replace(/^[\s\uFE0F]+/, '')
        .toLowerCase()
    : text.toLowerCase();
  const named = MARK_WORDS.find((w) => w.words === words);
  if (mark) return words === '' || named?.status === mark.status ? mark.status : null;
  return named?.status ?? null;
}

/** The layer paragraph's text without the caveat prefix, and whether it had one. */
function withoutPrefix(text: string): { summary: string; caveat: boolean } {
  const prefix = UNCERTAIN_PREFIX.exec(text);
  return prefix ? { summary: text.slice(prefix[0].length), caveat: true } : { summary: text, caveat: false };
}

export function readLayers(heading: Line, section: readonly Line[], reading: Reading): Layers {
  reading.record(['layers'], heading.number);
  // The closing line names the framework; page footer text may follow it.
  const closing = section.findIndex((l) => CLOSING.test(l.text));
  const lines = closing < 0 ? section : section.slice(0, closing);
  const headings = lines.map((l) => layerHeading(l.text));
  return headings.some((h) => h !== null) ? byHeading(lines, headings, reading) : byPosition(heading, lines, reading);
}

function byHeading(lines: readonly Line[], headings: readonly (Heading | null)[], reading: Reading): Layers {
  const layers: Layers = {};
  // Lines before the first heading are the preamble.
  const starts = headings.flatMap((h, i) => (h ? [i] : []));
  starts.forEach((start, k) => {
    const heading = headings[start]!;
    const line = lines[start]!;
    let paragraphs = lines.slice(start + 1, starts[k + 1] ?? lines.length);
    // Saved Markdown may put the mark on a line of its own, under the heading.
    const markLine = heading.status === null && paragraphs[0] ? bareMark(paragraphs[0].text) : null;
    if (markLine) paragraphs = paragraphs.slice(1);
    const status = heading.status ?? markLine;
    const id = `L${heading.number}` as LayerId;
    if (!REQUIRED_LAYERS.includes(id)) {
      reading.problem(line.number, `${quote(`L${heading.number}`)} is not a MAESTRO layer: the layers are L1 to L7`);
      return;
    }
    const named = findLayer(heading.name);
    if (named && named !== id) {
      reading.problem(line.number, `the heading names ${id} and ${LAYER_NAMES[named]}, which is ${named}`);
      return;
    }
    if (layers[id]) {
      reading.problem(line.number, `${id} has a second heading`);
      return;
    }
    const text = paragraphs.map((p) => p.text).join(' ');
    const { summary, caveat } = withoutPrefix(text);
    layers[id] = { status: status ?? (caveat ? 'uncertain' : 'mapped'), summary };
    reading.record(['layers', id], line.number);
    if (paragraphs[0]) reading.record(['layers', id, 'summary'], paragraphs[0].number);
  });
  return layers;
}

function byPosition(heading: Line, lines: readonly Line[], reading: Reading): Layers {
  const paragraphs = lines.filter((l, i) => !(i === 0 && PREAMBLE.test(l.text)));
  if (paragraphs.length !== REQUIRED_LAYERS.length) {
    const where = paragraphs.length > 0 ? `lines ${paragraphs[0]!.number}-${paragraphs.at(-1)!.number}` : `after line ${heading.number}`;
    reading.problem(
      heading.number,
      `found ${paragraphs.length} layer paragraphs (${where}); a listing without layer headings has exactly seven, one per MAESTRO layer L1-L7 in order, so its layers cannot be mapped by position`,
    );
    reading.skip(['layers']);
    return {};
  }
  const layers: Layers = {};
  paragraphs.forEach((paragraph, index) => {
    const id = REQUIRED_LAYERS[index]!;
    const { summary, caveat } = withoutPrefix(paragraph.text);
    layers[id] = { status: caveat ? 'uncertain' : 'mapped', summary };
    reading.record(['layers', id], paragraph.number);
  });
  return layers;
}
