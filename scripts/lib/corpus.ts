import { stringify } from 'yaml';
import { FACTORS } from '../../src/spec/factors.js';
import { LAYER_NAMES, REQUIRED_LAYERS } from '../../src/spec/layers.js';
import { MITIGATION_LEVELS, THREAT_MULTIPLIERS } from '../../src/validate/schema.js';
import type { Random } from './random.js';

/** Synthetic but valid inputs: native threat models and variants of a published agent listing. */

const NOUNS = ['Code', 'Data', 'Support', 'Research', 'Ops', 'Finance', 'Travel', 'Browser', 'Shell', 'Review', 'Sales', 'Triage'];
const KINDS = ['Agent', 'Assistant', 'Copilot', 'Pilot', 'Runner', 'Bot'];
const VERBS = ['exfiltrates', 'poisons', 'hijacks', 'escalates through', 'leaks', 'tampers with', 'replays', 'spoofs'];
const OBJECTS = [
  'the tool registry',
  'long-term memory',
  'the retrieval index',
  'session tokens',
  'the plan cache',
  'CI secrets',
  'the prompt template',
  'the sandbox',
];
const ACTORS = [
  'A prompt injection',
  'A malicious plugin',
  'A compromised upstream model',
  'An insider',
  'A poisoned document',
  'A rogue sub-agent',
];
const TAGS = ['T1', 'T2', 'T3', 'T6', 'T7', 'T11', 'T15', 'ASI01', 'ASI03', 'ASI06', 'ASI10', 'AML.T0051', 'AML.T0051.000', 'AML.T0054'];
const MITIGATIONS = [
  'Sandbox tool execution',
  'Pin model versions',
  'Sign plugins',
  'Rate-limit tool calls',
  'Human approval for writes',
  'Scrub memory on logout',
];

const sentence = (random: Random) => `${random.pick(ACTORS)} ${random.pick(VERBS)} ${random.pick(OBJECTS)}.`;
const factorValue = (random: Random) => random.int(101) / 100;

/** A CVSS v4.0 base vector, sometimes with the exploit maturity (E:) metric. */
export function cvssVector(random: Random): string {
  const metrics = [
    ['AV', 'NALP'],
    ['AC', 'LH'],
    ['AT', 'NP'],
    ['PR', 'NLH'],
    ['UI', 'NPA'],
    ['VC', 'HLN'],
    ['VI', 'HLN'],
    ['VA', 'HLN'],
    ['SC', 'HLN'],
    ['SI', 'HLN'],
    ['SA', 'HLN'],
  ] as const;
  const base = metrics.map(([name, values]) => `${name}:${random.pick([...values])}`).join('/');
  return `CVSS:4.0/${base}${random.chance(0.3) ? `/E:${random.pick(['A', 'P', 'U'])}` : ''}`;
}

function factors(random: Random): Record<string, number> {
  const slot2 = random.chance(0.5) ? 'planning' : 'natural-language';
  const chosen = FACTORS.filter((f) => f.slot !== 2 || f.id === slot2);
  return Object.fromEntries(chosen.map((f) => [random.pick([f.id, f.name, ...f.aliases]), factorValue(random)]));
}

function threat(random: Random, layer: string, index: number) {
  return {
    id: `${layer}-T${index + 1}`,
    title: sentence(random),
    ...(random.chance(0.6) ? { description: `${sentence(random)} ${sentence(random)}` } : {}),
    severity: random.pick(['critical', 'high', 'medium', 'low']),
    likelihood: random.pick(['high', 'medium', 'low']),
    status: random.pick(['open', 'mitigated', 'accepted']),
    ...(random.chance(0.7) ? { tags: [...new Set([random.pick(TAGS), random.pick(TAGS)])] } : {}),
    ...(random.chance(0.5)
      ? { mitigations: [{ title: random.pick(MITIGATIONS), status: random.pick(['planned', 'in-progress', 'implemented']) }] }
      : {}),
  };
}

/** A valid native threat model as YAML text: ten factors, a CVSS number or vector, seven layers of 0-5 threats. */
export function nativeModel(random: Random, index: number): string {
  return stringify(nativeModelData(random, index));
}

/**
 * The model that `nativeModel` makes from the same seed, as a pull request edits it: a threat added to one of its
 * layers, or one factor given another value. `change` draws the edit.
 */
export function revisedModel(random: Random, index: number, change: Random): string {
  const model = nativeModelData(random, index);
  if (change.chance(0.5)) {
    const [key, layer] = change.pick(Object.entries(model.layers));
    const threats = layer.threats ?? [];
    const id = Object.keys(LAYER_NAMES).find((id) => key === id || key === LAYER_NAMES[id as keyof typeof LAYER_NAMES])!;
    model.layers[key] = { ...layer, status: 'mapped', threats: [...threats, threat(change, id, threats.length)] };
  } else {
    const [factor, value] = change.pick(Object.entries(model.aivss.factors));
    model.aivss.factors[factor] = Math.round((value >= 0.5 ? value - 0.25 : value + 0.25) * 100) / 100;
  }
  return stringify(model);
}

function nativeModelData(random: Random, index: number) {
  const name = `${random.pick(NOUNS)} ${random.pick(KINDS)} ${index}`;
  const cvss = random.next();
  const layers = Object.fromEntries(
    REQUIRED_LAYERS.map((id) => {
      const threats = Array.from({ length: random.int(6) }, (_, i) => threat(random, id, i));
      const status =
        threats.length > 0
          ? random.pick(['mapped', 'uncertain'] as const)
          : random.pick(['mapped', 'uncertain', 'not-applicable'] as const);
      return [random.chance(0.8) ? id : LAYER_NAMES[id], { status, summary: sentence(random), ...(threats.length > 0 ? { threats } : {}) }];
    }),
  );
  const model = {
    formatVersion: 1,
    agent: {
      id: `agent-${index}`,
      name,
      ...(random.chance(0.8) ? { description: `${name} automates ${random.pick(OBJECTS)}. ${sentence(random)}` } : {}),
      ...(random.chance(0.3) ? { links: [`https://example.com/agents/${index}`] } : {}),
    },
    aivss: {
      factors: factors(random),
      ...(cvss < 0.55 ? { cvss: cvssVector(random) } : cvss < 0.95 ? { cvss: random.int(101) / 10 } : {}),
      ...(random.chance(0.3) ? { threatMultiplier: random.pick(THREAT_MULTIPLIERS) } : {}),
      ...(random.chance(0.3) ? { mitigationFactor: random.pick(MITIGATION_LEVELS) } : {}),
      ...(random.chance(0.1) ? { declaredScore: random.int(101) / 10 } : {}),
    },
    layers,
  };
  return model;
}

/**
 * A variant of a published listing: another agent name and other factor values, and sometimes markdown headings,
 * a table header row or CRLF line ends, which the listing parser all accepts.
 */
export function listingVariant(seed: string, random: Random, index: number): string {
  const headed = random.chance(0.3);
  const lines = seed
    .replace(/\r\n/g, '\n')
    .split('\n')
    .flatMap((line, i) => {
      if (i === 0) return [`${headed ? '# ' : ''}${random.pick(NOUNS)} ${random.pick(KINDS)} ${index} — agentic threat model`];
      const row = /^\|\s*([^|]+?)\s*\|\s*[\d.]+\s*\|/.exec(line);
      if (row) return [`| ${row[1]} | ${factorValue(random).toFixed(2)} | |`];
      if (/^(OWASP AIVSS score rationale|MAESTRO 7-layer threat model)$/.test(line)) {
        const heading = `${headed ? '## ' : ''}${line}`;
        return line.startsWith('OWASP') && random.chance(0.3) ? [heading, '| Factor | Value | Rationale |', '|---|---|---|'] : [heading];
      }
      return [line];
    });
  return lines.join(random.chance(0.2) ? '\r\n' : '\n');
}
