import { parse, stringify } from 'yaml';
import { DEFAULT_MAX_FILE_BYTES } from '../../src/policy/config.js';
import { REQUIRED_LAYERS } from '../../src/spec/layers.js';
import { nativeModel } from './corpus.js';
import { Random } from './random.js';

/**
 * Files inside the default limits (512 KiB, a full file) shaped to be slow: the fuzzer's huge-line mutation (scripts/fuzz-core.ts)
 * with each of its units, a whole file of one bracket or token, deep nesting, aliases, and the largest valid
 * model and invalid layer maps. Each shape is one name, so that a bench run can pick it.
 */

const FILE_BYTES = DEFAULT_MAX_FILE_BYTES - 64;
const FULL = `${DEFAULT_MAX_FILE_BYTES / 1024} KiB`;
const HUGE_LINE = 100_000;
const LINE_UNITS = ['a', '[', '{', '-', ' ', '#', '"', ':', '|', '- ', '? ', '&a ', '\t'];
/** One list item a line, each refused on its own: as many problems as items. */
const ITEMS: Record<string, string> = {
  'anchored items': '- &a x\n',
  'aliased items': '- *a\n',
  'tagged items': '- !t x\n',
  'items with a repeated key': '- {a: 1, a: 2}\n',
  'items with a __proto__ key': '- __proto__: x\n',
};
const FILL_UNITS = ['{', '[', '}', ']', '"', '- ', '? ', ': ', '&a ', '*a ', '!t ', ',', '\t'];

const fill = (unit: string, bytes = FILE_BYTES) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

function withLineInTheMiddle(line: string): string {
  const lines = nativeModel(new Random(0), 0).split('\n');
  lines.splice(lines.length >> 1, 0, line);
  return lines.join('\n');
}

function nestedMaps(): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let depth = 0; bytes < FILE_BYTES - 4096; depth++) {
    const line = `${'  '.repeat(depth)}k${depth}:`;
    lines.push(line);
    bytes += line.length + 1;
  }
  return lines.join('\n');
}

function unknownLayerKeys(): string {
  const keys: string[] = [];
  for (let i = 0, bytes = 0; bytes < FILE_BYTES - 1024; i++) {
    keys.push(`  unknown-layer-${i}: {}`);
    bytes += keys.at(-1)!.length + 1;
  }
  return `formatVersion: 1\nagent: {id: a, name: A}\naivss: {factors: {}}\nlayers:\n${keys.join('\n')}\n`;
}

/**
 * A valid model just under the size limit: every layer holds the same number of threats, each with a description,
 * tags and a mitigation, as many as fit (at most 500 a layer, the schema's limit).
 */
function largestValidModel(): string {
  const { formatVersion, agent, aivss } = parse(nativeModel(new Random(0), 0)) as Record<string, unknown>;
  const head = `${stringify({ formatVersion, agent, aivss })}layers:\n`;
  const threat = (layer: string, i: number) =>
    [
      `      - id: ${layer}-T${String(i).padStart(3, '0')}`,
      '        title: A prompt injection hijacks the sandbox.',
      '        description: A poisoned document asks the agent to run a tool outside its sandbox; the tool writes to long-term memory.',
      '        severity: high',
      '        likelihood: low',
      '        status: open',
      '        tags: [T2, ASI01]',
      '        mitigations:',
      '          - { title: Sandbox tool execution, status: implemented }',
      '',
    ].join('\n');
  const layerHead = (layer: string) => `  ${layer}:\n    status: mapped\n    threats:\n`;
  const fixed = head.length + REQUIRED_LAYERS.reduce((sum, l) => sum + layerHead(l).length, 0);
  const perLayer = Math.min(500, Math.floor((FILE_BYTES - fixed) / REQUIRED_LAYERS.length / threat('L1', 0).length));
  return head + REQUIRED_LAYERS.map((l) => layerHead(l) + Array.from({ length: perLayer }, (_, i) => threat(l, i)).join('')).join('');
}

/** Aliases of aliases, each level ten times the last (the billion-laughs shape). */
function aliasFanOut(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nformatVersion: 1\n`;
}

const SHAPES: Record<string, () => { file: string; text: string }> = {
  ...Object.fromEntries(
    LINE_UNITS.map((u) => [
      `100 KB line of ${JSON.stringify(u)}`,
      () => ({ file: 'm.yaml', text: withLineInTheMiddle(fill(u, HUGE_LINE)) }),
    ]),
  ),
  ...Object.fromEntries(FILL_UNITS.map((u) => [`${FULL} of ${JSON.stringify(u)}`, () => ({ file: 'm.yaml', text: fill(u) })])),
  ...Object.fromEntries(Object.entries(ITEMS).map(([name, u]) => [`${FULL} of ${name}`, () => ({ file: 'm.yaml', text: fill(u) })])),
  [`${FULL} of "{" in .json`]: () => ({ file: 'm.json', text: fill('{') }),
  [`${FULL} of "[" in .json`]: () => ({ file: 'm.json', text: fill('[') }),
  [`${FULL} listing of one line`]: () => ({ file: 'm.listing.txt', text: fill('| Autonomy | 0.5 | ') }),
  [`nested maps to ${FULL}`]: () => ({ file: 'm.yaml', text: nestedMaps() }),
  [`unknown layer keys to ${FULL}`]: () => ({ file: 'm.yaml', text: unknownLayerKeys() }),
  [`valid model of ${FULL}`]: () => ({ file: 'm.yaml', text: largestValidModel() }),
  'alias fan-out': () => ({ file: 'm.yaml', text: aliasFanOut() }),
};

export const PATHOLOGICAL_SHAPES = Object.keys(SHAPES);

export function pathologicalText(shape: string): { file: string; text: string } {
  const make = SHAPES[shape];
  if (make === undefined) throw new Error(`no pathological shape "${shape}"`);
  return make();
}
