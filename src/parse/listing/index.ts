import { FORMAT_VERSION } from '../../spec/format.js';
import type { ParseResult } from '../types.js';
import { readHeader } from './header.js';
import { readLayers } from './layers.js';
import { MAESTRO, RATIONALE, Reading, linesOf } from './lines.js';
import { readRationale } from './rationale.js';

export { looksLikeListing } from './detect.js';

/**
 * Agent listings as published: the text copy (a title, a risk summary, a factor table and seven layer paragraphs
 * known by position) and the rendered page, copied as text or saved as Markdown (navigation, a score badge, the
 * formula's inputs, factor names and values on lines of their own, headed layers). Every form is read into the
 * native format's shape, so one schema validates both; every problem is reported, each with its line.
 */
export function parseListing(text: string): ParseResult {
  const lines = linesOf(text);
  const reading = new Reading();
  const rationaleAt = lines.findIndex((l) => RATIONALE.test(l.text));
  const maestroAt = lines.findIndex((l, i) => i > rationaleAt && MAESTRO.test(l.text));
  const headerEnd = rationaleAt >= 0 ? rationaleAt : maestroAt >= 0 ? maestroAt : lines.length;
  const header = readHeader(lines.slice(0, headerEnd), reading);

  let aivss: Record<string, unknown> = {};
  if (rationaleAt < 0) {
    reading.problem(null, 'the listing has no "OWASP AIVSS score rationale" section');
    reading.skip(['aivss']);
  } else {
    const rationale = readRationale(lines[rationaleAt]!, lines.slice(rationaleAt + 1, maestroAt < 0 ? lines.length : maestroAt), reading);
    aivss = { factors: rationale.factors, ...rationale.inputs };
  }
  if (header.declaredScore !== null) aivss.declaredScore = header.declaredScore;

  let layers = {};
  if (maestroAt < 0) {
    reading.problem(null, 'the listing has no "MAESTRO 7-layer threat model" section after the score rationale');
    reading.skip(['layers']);
  } else {
    layers = readLayers(lines[maestroAt]!, lines.slice(maestroAt + 1), reading);
  }

  const agent =
    header.name === null
      ? undefined
      : {
          id: slugify(header.name),
          name: header.name,
          ...(header.description !== null ? { description: header.description } : {}),
        };
  const fallback = lines[0]?.number ?? null;
  return {
    ok: true,
    parsed: {
      format: 'listing',
      data: { formatVersion: FORMAT_VERSION, agent, aivss, layers },
      lineOf: (path) => reading.lineOf(path, reading.lineOf(['agent'], fallback)),
      problems: reading.problems,
      unread: reading.unread,
    },
  };
}

export function slugify(name: string): string {
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const slug = words.join('-').slice(0, 64);
  const trimmed = slug.endsWith('-') ? slug.slice(0, -1) : slug;
  return trimmed === '' ? 'agent' : trimmed;
}
