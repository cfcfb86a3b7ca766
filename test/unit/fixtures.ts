/**
 * Shared fixtures for the engine's unit tests: the spec's test vectors (copied byte for byte from
 * /work/shared/spec and /work/shared/seeds into ./data so that the suite runs from a plain checkout), a valid
 * native threat model, small text helpers and temporary repositories.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import { evaluateText } from '../../src/engine.js';
import { parseThreatModel } from '../../src/parse/index.js';
import type { ParseResult, Parsed, Problem } from '../../src/parse/types.js';
import { validateThreatModel } from '../../src/validate/index.js';
import type { ThreatModel } from '../../src/validate/schema.js';
import { resolveConfig, type Config, type ConfigInput } from '../../src/policy/config.js';
import type { ModelReport } from '../../src/report/schema.js';

const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export function readData(name: string): string {
  return readFileSync(path.join(DATA_DIR, name), 'utf8');
}

// --- the spec's test vectors ------------------------------------------------------------------------------

export interface AivssCase {
  source: string;
  name?: string;
  cvss: number;
  factorSum: number;
  threatMultiplier: number;
  mitigationFactor?: number;
  score: number;
  severity: string;
}

export interface AivssVectors {
  formula: string;
  cases: AivssCase[];
  legacy_v0_5: { formula: string; cases: AivssCase[] };
}

export function aivssVectors(): AivssVectors {
  return JSON.parse(readData('aivss-vectors.json')) as AivssVectors;
}

/** A readable test title for one AIVSS case. */
export function caseTitle(c: AivssCase): string {
  const inputs = `CVSS ${c.cvss}, sum ${c.factorSum}, ThM ${c.threatMultiplier}${c.mitigationFactor === undefined ? '' : `, MF ${c.mitigationFactor}`}`;
  return `${c.name ?? c.source}: ${inputs} -> ${c.score} ${c.severity}`;
}

export interface CvssRow {
  vector: string;
  /** The expected score of the full vector (threat and environmental metrics included). */
  score: number;
  source: string;
}

export function cvssRows(): CvssRow[] {
  return readData('cvss4-vectors.tsv')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [vector = '', score = '', source = ''] = line.split('\t');
      return { vector, score: Number(score), source };
    });
}

export const BASE_METRICS = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const;

/** The metric names a CVSS v4.0 vector sets, in order. */
export function metricNames(vector: string): string[] {
  return vector
    .split('/')
    .slice(1)
    .map((part) => part.split(':')[0]!);
}

/** The same vector with only its eleven base metrics. */
export function baseOnly(vector: string): string {
  const [prefix, ...metrics] = vector.split('/');
  return [prefix, ...metrics.filter((m) => (BASE_METRICS as readonly string[]).includes(m.split(':')[0]!))].join('/');
}

/** The sample agent listing, exactly as published (LF line ends, no final newline), as examples/ keeps it. */
export const SEED_LISTING = readFileSync(fileURLToPath(new URL('../../examples/micro-agent.listing.txt', import.meta.url)), 'utf8');

/** The spec's sample page (a rendered listing copied as text), kept byte for byte as examples/ keeps it. */
export const SAMPLE_PAGE = readFileSync(fileURLToPath(new URL('../../examples/relay-scribe.listing.txt', import.meta.url)), 'utf8');

/** The same page saved as Markdown, made from the spec's description (LF here; tests add CRLF). */
export const SAMPLE_PAGE_MARKDOWN = readData('relay-scribe.page.md');

// --- a valid native threat model --------------------------------------------------------------------------

/**
 * A complete native model. Factor sum 5.5; CVSS 8.7, ThM poc (0.97), MF none: AIVSS 9.4 (critical).
 * Line numbers matter to the tests: find them with lineOf() rather than counting.
 */
export const VALID_MODEL_YAML = `formatVersion: 1
agent:
  id: payments-agent
  name: Payments Agent
  description: Moves money between customer accounts on request.
aivss:
  cvss: 8.7
  threatMultiplier: poc
  mitigationFactor: none
  factors:
    Autonomy of Action: 0.8
    Goal-Driven Planning: 0.7
    Self-Modification: 0.2
    Dynamic Tool Use: 0.9
    Persistent Memory: 0.6
    Contextual Awareness: 0.5
    Dynamic Identity: 0.3
    Multi-Agent Interactions: 0.4
    Non-Determinism: 0.6
    Opacity & Reflexivity: 0.5
layers:
  L1:
    status: mapped
    summary: The model can be steered by text hidden in payee names.
    threats:
      - id: prompt-injection
        title: Prompt injection through payee names
        severity: high
        likelihood: medium
        status: open
        tags: [T6, ASI01, AML.T0051]
        mitigations:
          - title: Strip instructions from payee names
            status: in-progress
  L2:
    status: mapped
    summary: Transaction history is fed into the context window.
  L3:
    status: mapped
    summary: The framework calls the payment API with the agent's own token.
  L4:
    status: uncertain
    summary: The hosting is not described.
  L5:
    status: mapped
    summary: Transfers are logged but not reviewed.
  L6:
    status: mapped
    summary: Transfers above a limit need a second approval.
  L7:
    status: not-applicable
`;

export const VALID_MODEL = { score: 9.4, severity: 'critical', factorSum: 5.5, cvss: 8.7 } as const;

/** The valid model as plain data, for JSON variants and edits. A fresh copy each call. */
export function validModelData(): Record<string, unknown> & {
  agent: Record<string, unknown>;
  aivss: Record<string, unknown> & { factors: Record<string, unknown> };
  layers: Record<string, unknown>;
} {
  return parseYamlText(VALID_MODEL_YAML);
}

// --- text helpers -----------------------------------------------------------------------------------------

/** The 1-based line of the first line of `text` that contains `needle`; throws when there is none. */
export function lineOf(text: string, needle: string): number {
  const index = text.split(/\r\n|\r|\n/).findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  return index + 1;
}

/** Replaces exactly one occurrence of `from`; throws when it is absent or ambiguous, so a stale fixture fails loudly. */
export function replaceOnce(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  if (text.indexOf(from, first + from.length) >= 0) throw new Error(`fixture contains ${JSON.stringify(from)} more than once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

/** Inserts `lines` after the first line containing `needle`. */
export function insertAfter(text: string, needle: string, ...lines: string[]): string {
  const all = text.split('\n');
  const at = lineOf(text, needle);
  all.splice(at, 0, ...lines);
  return all.join('\n');
}

/** Removes the first line containing `needle`. */
export function removeLine(text: string, needle: string): string {
  const all = text.split('\n');
  all.splice(lineOf(text, needle) - 1, 1);
  return all.join('\n');
}

// --- engine helpers ---------------------------------------------------------------------------------------

export function config(overrides: Partial<ConfigInput> = {}): Config {
  return resolveConfig(null, overrides);
}

/** Parse, validate and score one text under the default policy (or the given overrides). */
export function evaluate(text: string, overrides: Partial<ConfigInput> = {}, file = 'threat-models/model.yaml'): ModelReport {
  return evaluateText(file, text, config(overrides));
}

/** The messages of a report's errors, one string, for toContain / toMatch. */
export function errorText(report: Pick<ModelReport, 'errors'>): string {
  return report.errors.map((e) => `${e.line ?? '-'}: ${e.message}`).join('\n');
}

// --- listings ---------------------------------------------------------------------------------------------

export function parsedOf(result: ParseResult): Parsed {
  if (!result.ok) throw new Error(`not parsed: ${JSON.stringify(result.problems)}`);
  return result.parsed;
}

/** Reads a listing into a validated model, or fails the test with the problems. */
export function modelOf(text: string): ThreatModel {
  const parsed = parsedOf(parseThreatModel(text));
  expect(parsed.format).toBe('listing');
  const validated = validateThreatModel(parsed);
  if (!validated.ok) throw new Error(`not valid: ${JSON.stringify(validated.problems)}`);
  return validated.model;
}

/** The problems of a listing that is refused, from parsing or from validation. */
export function problemsOf(text: string): Problem[] {
  const result = parseThreatModel(text);
  if (!result.ok) {
    expect(result.format).toBe('listing');
    return result.problems;
  }
  expect(result.parsed.format).toBe('listing');
  const validated = validateThreatModel(result.parsed);
  expect(validated.ok, 'the listing should be refused').toBe(false);
  return validated.ok ? [] : validated.problems;
}

export function expectRefused(text: string, line: number, pattern: RegExp): void {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems, null, 1)).toContainEqual({ line, message: expect.stringMatching(pattern) });
}

// --- temporary repositories -------------------------------------------------------------------------------

/** Written into files that must be refused: it may never appear in a message or a report. */
export const SECRET = 'AKIA-SECRET-CONTENT-7f3a';

/** Makes a named pipe (a FIFO): opening it for reading would block until a writer comes. */
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

export type FileTree = Record<string, string | Uint8Array>;

export async function writeTree(root: string, files: FileTree): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(root, file);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/**
 * Registers cleanup in the calling suite and returns a maker of temporary directories under os.tmpdir(),
 * each filled with the given files.
 */
export function useTempDirs(): (files?: FileTree) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (files = {}) => {
    const root = await mkdtemp(path.join(tmpdir(), 'aivss-gate-unit-'));
    made.push(root);
    await writeTree(root, files);
    return root;
  };
}
