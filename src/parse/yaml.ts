import {
  CST,
  Composer,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Parser,
  type Document,
  type DocumentOptions,
  type Node as YamlNode,
  type Pair,
  type ParseOptions,
  type Scalar,
  type SchemaOptions,
  type YAMLMap,
} from 'yaml';
import { strictJsonProblem } from './strict-json.js';
import type { PathSegment, Problem } from '../spec/problem.js';
import type { ParseResult } from './types.js';
import { syntaxProblems } from './yaml-errors.js';

/** Keys that could reach an object's prototype once the data is used as a JavaScript object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: false,
  // Repeated keys are found in one pass below: the yaml package's check compares each key with every earlier one.
  uniqueKeys: false,
  strict: true,
  customTags: [],
};

/**
 * A threat model nests about ten levels deep. The yaml package parses and composes recursively and overflows the
 * stack near 700 levels, where V8 can even abort the process (a regexp compiled that deep fails as out of memory).
 */
const MAX_DEPTH = 100;

/**
 * The yaml package builds an error object, stack trace included, for each stray character of junk: 1 MiB of "}"
 * took a minute and 1.5 GB. The first problems tell what is wrong; parsing stops after this many.
 */
const MAX_SYNTAX_ERRORS = 50;

/** Parsing stopped early, at this offset, with this problem. */
class Stopped extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/**
 * What may follow a node on its line; anything else there is a syntax error that composing reports. An anchor or
 * a tag there may yet belong to a map key (`"k" &a : v` is refused as a misplaced anchor, not as a token after a node).
 */
const AFTER_A_NODE: ReadonlySet<string> = new Set(['space', 'comment', 'newline']);
const PROPS: ReadonlySet<string> = new Set(['anchor', 'tag']);

type PropKind = 'anchor' | 'alias' | 'tag';
const REFUSED: Readonly<Record<PropKind, string>> = {
  anchor: 'YAML anchors (&name) are not accepted',
  alias: 'YAML aliases (*name) are not accepted',
  tag: 'YAML tags (!name) are not accepted',
};

/**
 * Stops at the token that opens node MAX_DEPTH + 1, before recursion on that depth can start, and at the syntax
 * error after MAX_SYNTAX_ERRORS. Some errors are only found when the document is composed, after the whole file
 * is parsed: 1 MiB of `""` or of `*a ` is half a million tokens after one node, and 1 MiB of `&a ` or `!t ` as
 * many anchors or tags on one node. Those are counted here, as they come, so that parsing stops just as soon.
 */
class GuardedParser extends Parser {
  private errors = 0;
  private afterScalarMarker = false;
  private lastEnd: CST.SourceToken | undefined;
  /** Anchors and tags since the last node or line break: a second one of a kind on one node is an error. */
  private anchors = 0;
  private tags = 0;
  /** Where each anchor, alias and tag is: none is accepted. */
  readonly props: { kind: PropKind; offset: number }[] = [];

  override *next(source: string): Generator<CST.Token, void> {
    const [offset, errors] = [this.offset, this.errors];
    // A scalar's text follows its marker; it may start with & or !.
    const type = this.afterScalarMarker ? 'scalar' : CST.tokenType(source);
    this.afterScalarMarker = source === CST.SCALAR;
    for (const token of super.next(source)) {
      if (token.type === 'error') this.syntaxError(token.offset);
      yield token;
    }
    if (this.stack.length > MAX_DEPTH) throw new Stopped(this.offset, `the YAML nests more than ${MAX_DEPTH} levels deep`);
    // Each token counts once: as an error of the parser, as a token after a node, as a second anchor or tag on a
    // node, or as an anchor, alias or tag refused.
    const afterNode = this.newTokenAfterNode();
    if (this.errors !== errors) {
      [this.anchors, this.tags] = [0, 0];
    } else if (afterNode !== undefined && !AFTER_A_NODE.has(afterNode.type) && !PROPS.has(afterNode.type)) {
      [this.anchors, this.tags] = [0, 0];
      this.syntaxError(afterNode.offset);
    } else if (!this.secondProp(type, offset) && (type === 'anchor' || type === 'alias' || type === 'tag')) {
      this.refused({ kind: type, offset });
    }
  }

  /** An anchor, alias or tag that is no syntax error: refused all the same, one problem each, up to a point. */
  private refused(prop: { kind: PropKind; offset: number }): void {
    if (this.props.push(prop) > MAX_SYNTAX_ERRORS) {
      throw new Stopped(
        this.props[0]!.offset,
        `more than ${MAX_SYNTAX_ERRORS} YAML anchors, aliases or tags (&name, *name, !name), the first on this line: none is accepted`,
      );
    }
  }

  private syntaxError(offset: number): void {
    if (++this.errors > MAX_SYNTAX_ERRORS) throw tooManyErrors(offset);
  }

  /** The token the parser just put after the node it is in, if any; a flow collection's own first is its ] or }. */
  private newTokenAfterNode(): CST.SourceToken | undefined {
    const top = this.stack.at(-1);
    const end = top !== undefined && 'end' in top ? top.end : undefined;
    const last = end?.at(-1);
    if (last === undefined || last === this.lastEnd) return undefined;
    this.lastEnd = last;
    return top!.type === 'flow-collection' && end!.length === 1 ? undefined : last;
  }

  /** Whether this is a second anchor or tag since the last node or line break: a syntax error. */
  private secondProp(type: CST.TokenType | null, offset: number): boolean {
    if (type === 'anchor' || type === 'tag') {
      const count = type === 'anchor' ? ++this.anchors : ++this.tags;
      if (count > 1) {
        this.syntaxError(offset);
        return true;
      }
    } else if (type !== 'space' && type !== 'comment') {
      [this.anchors, this.tags] = [0, 0];
    }
    return false;
  }
}

/** The yaml package's composer error handler: a source is an offset, a range, or a token. */
type OnError = (source: number | readonly number[] | { offset: number }, code: string, message: string, warning?: boolean) => void;

const offsetOf = (source: Parameters<OnError>[0]) =>
  typeof source === 'number' ? source : 'offset' in source ? source.offset : source[0]!;

/**
 * Stops at the error after MAX_SYNTAX_ERRORS that composing finds (1 MiB of "," in a flow sequence is half a million
 * of them). The yaml package reports them through its composer's onError, which it keeps private: the
 * pathological-file tests fail if a new version stops calling it.
 */
class GuardedComposer extends Composer {
  constructor(options: ParseOptions & DocumentOptions & SchemaOptions) {
    super(options);
    const self = this as unknown as { onError: OnError };
    const report = self.onError;
    let errors = 0;
    let stopped: Stopped | undefined;
    self.onError = (source, code, message, warning) => {
      // The yaml package catches what is thrown inside a collection and reports it as an error of the collection,
      // at its first line: the first stop, at its own line, is the one that counts.
      if (stopped !== undefined) throw stopped;
      if (!warning && ++errors > MAX_SYNTAX_ERRORS) throw (stopped = tooManyErrors(offsetOf(source)));
      report(source, code, message, warning);
    };
  }
}

const tooManyErrors = (offset: number) =>
  new Stopped(offset, `more than ${MAX_SYNTAX_ERRORS} YAML syntax errors: this is not a YAML or JSON file`);

/**
 * Native threat models (YAML, and JSON, which YAML 1.2 reads too) and the config file. The parser is set up for
 * untrusted input: core schema, duplicate keys refused, no merge keys, and anchors, aliases, explicit tags and
 * prototype keys refused before anything is turned into JavaScript. No problem quotes the text. With `json`,
 * the text must also be strict JSON.
 */
export function parseYaml(text: string, options: { allowEmpty?: boolean; json?: boolean } = {}): ParseResult {
  const empty = (): ParseResult =>
    options.allowEmpty
      ? { ok: true, parsed: { format: 'native', data: null, lineOf: () => null } }
      : { ok: false, format: 'native', problems: [{ line: null, message: 'empty file' }] };
  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const parser = new GuardedParser(lineCounter.addNewLine);
  let docs;
  try {
    docs = [...new GuardedComposer(YAML_OPTIONS).compose(parser.parse(text))];
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    return { ok: false, format: 'native', problems: [{ line: lineAt(error.offset), message: error.problem }] };
  }
  if (docs.length === 0) return empty();
  if (docs.length !== 1) {
    const second = docs[1];
    return {
      ok: false,
      format: 'native',
      problems: [
        {
          line: second?.range ? lineAt(second.range[0]) : null,
          message: 'a file holds one YAML document; found several (---)',
        },
      ],
    };
  }
  const doc = docs[0]!;
  const problems: Problem[] = syntaxProblems([...doc.errors, ...doc.warnings], (offset) => lineCounter.linePos(offset));
  for (const { kind, offset } of parser.props) problems.push({ line: lineAt(offset), message: REFUSED[kind] });
  keyProblems(doc.contents, lineAt, problems);
  if (problems.length > 0) return { ok: false, format: 'native', problems: dedupe(problems) };
  if (doc.contents === null) return empty();
  const notJson = options.json ? strictJsonProblem(text, (offset) => lineCounter.linePos(offset)) : null;
  if (notJson) return { ok: false, format: 'native', problems: [notJson] };
  return {
    ok: true,
    parsed: { format: 'native', data: doc.toJS({ maxAliasCount: 0 }), lineOf: (path) => lineOfPath(doc, path, lineAt) },
  };
}

/**
 * The keys of every map that YAML allows and a threat model does not: repeated, not a plain string, or one that
 * could reach a prototype. The parser stops past MAX_DEPTH, so the recursion is shallow.
 */
function keyProblems(node: unknown, lineAt: (offset: number) => number, problems: Problem[]): void {
  if (isSeq(node)) {
    for (const item of node.items) keyProblems(item, lineAt, problems);
  } else if (isMap(node)) {
    for (const key of repeatedKeys(node)) problems.push({ line: lineAt(key.range?.[0] ?? 0), message: 'Map keys must be unique' });
    for (const { key, value } of node.items) {
      if (isScalar(key) && typeof key.value === 'string' && (FORBIDDEN_KEYS.has(key.value) || key.value === '<<')) {
        problems.push({ line: lineAt(key.range?.[0] ?? 0), message: `the key "${key.value}" is not accepted` });
      } else if (key !== null && !isScalar(key)) {
        problems.push({ line: lineAt((key as YamlNode).range?.[0] ?? 0), message: 'map keys must be plain strings' });
      }
      keyProblems(key, lineAt, problems);
      keyProblems(value, lineAt, problems);
    }
  }
}

/** Keys equal to an earlier key of the map, compared as the yaml package's uniqueKeys does: scalar values, with ===. */
function repeatedKeys(map: YAMLMap): Scalar[] {
  const seen = new Set<unknown>();
  const repeated: Scalar[] = [];
  for (const { key } of map.items) {
    if (!isScalar(key) || Number.isNaN(key.value)) continue;
    if (seen.has(key.value)) repeated.push(key);
    seen.add(key.value);
  }
  return repeated;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The line of the deepest node on the path: a map entry's key line, a list item's line. */
function lineOfPath(doc: Document, path: readonly PathSegment[], lineAt: (offset: number) => number): number | null {
  let node: unknown = doc.contents;
  let line = isScalar(node) || isMap(node) || isSeq(node) ? lineAt(node.range?.[0] ?? 0) : null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(segment));
      if (!pair) break;
      const key = pair.key as YamlNode;
      line = lineAt(key.range?.[0] ?? 0);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item || isAlias(item) || !(isScalar(item) || isMap(item) || isSeq(item))) break;
      line = lineAt(item.range?.[0] ?? 0);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A map's entries by key, built once per map, so that a file with thousands of problems looks each line up in constant time. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const item of map.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (!index.has(key)) index.set(key, item);
    }
    keyIndexes.set(map, index);
  }
  return index;
}
