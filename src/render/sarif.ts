import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { ModelReport, Report, ThreatReport } from '../report/schema.js';
import { LAYER_NAMES } from '../spec/layers.js';
import { md, plainText } from './escape.js';
import { taxonomyOf } from './taxonomy.js';
import { formatScore } from './words.js';

/**
 * The report as SARIF 2.1.0 for GitHub code scanning: one result per model that fails, is unscored or is
 * invalid, and one per open threat, each at its file and line. Every rule carries a numeric security-severity,
 * which code scanning turns into critical, high, medium or low.
 */
export interface SarifOptions {
  /** The path of a report's file from the repository's top, as code scanning wants it; the file as it is by default. */
  uriOf?: (file: string) => string;
  /** The most the upload may weigh once gzipped; GitHub's limit less a margin by default. */
  maxGzippedBytes?: number;
}

/** GitHub's limits for one upload: 25,000 results a run, and 10 MB once gzipped (less a margin). */
export const MAX_RESULTS = 25_000;
export const MAX_GZIPPED_BYTES = 9_500_000;

const INFORMATION_URI = 'https://www.npmjs.com/package/aivss-gate';
const FINGERPRINT = 'aivssGate/v1';

/** Code scanning's security-severity of a threat, by its declared severity: the middle of GitHub's band. */
const THREAT_SECURITY_SEVERITY: Readonly<Record<ThreatReport['severity'], string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};
const THREAT_LEVEL: Readonly<Record<ThreatReport['severity'], Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
// A model the gate cannot score or read fails closed: it is worth a look, but says nothing of the agent's risk.
const UNJUDGED_SECURITY_SEVERITY = '5.0';

interface Finding {
  rule: ReportingDescriptor;
  result: Result;
}

export function renderSarif(report: Report, options: SarifOptions = {}): Log {
  const { rules, results, left } = fittedSarif(report, options);
  return sarifLog(report, rules, results, left);
}

/**
 * The SARIF log that renderSarif makes, as compact JSON a rule or a result at a time: what the action writes. The
 * log of 25,000 results is tens of megabytes of JSON, which as one string (and its bytes, to gzip and to write)
 * was most of the memory that making it took.
 */
export function renderSarifChunks(report: Report, options: SarifOptions = {}): Generator<string> {
  return jsonChunks(report, fittedSarif(report, options));
}

interface Fitted {
  rules: ReportingDescriptor[];
  results: Result[];
  /** How many findings were left out. */
  left: number;
}

function fittedSarif(report: Report, options: SarifOptions): Fitted {
  const uriOf = options.uriOf ?? ((file: string) => file);
  // Rules are listed in the order of their first result, so the rules of the first n results are a prefix.
  const rules: ReportingDescriptor[] = [];
  const results: Result[] = [];
  const ruleIndex = new Map<string, number>();
  let found = 0;
  for (const make of findings(report, uriOf)) {
    found++;
    if (results.length === MAX_RESULTS) continue;
    const finding = make();
    const index = ruleIndex.get(finding.rule.id) ?? rules.push(finding.rule) - 1;
    ruleIndex.set(finding.rule.id, index);
    results.push({ ...finding.result, ruleIndex: index });
  }
  const keep = (kept: number): Fitted => {
    const ruleCount = kept === 0 ? 0 : Math.max(...results.slice(0, kept).map((r) => r.ruleIndex!)) + 1;
    return { rules: rules.slice(0, ruleCount), results: results.slice(0, kept), left: found - kept };
  };
  // Most uploads fit at once; one that does not is cut in proportion to its excess, a few passes at most.
  const budget = options.maxGzippedBytes ?? MAX_GZIPPED_BYTES;
  let fitted = keep(results.length);
  for (let size = gzippedBytes(jsonChunks(report, fitted)); size > budget; size = gzippedBytes(jsonChunks(report, fitted))) {
    fitted = keep(Math.floor(fitted.results.length * (budget / size) * 0.95));
  }
  return fitted;
}

function* jsonChunks(report: Report, { rules, results, left }: Fitted): Generator<string> {
  // The outline's empty arrays: keys of our own, which nothing else in the outline looks like.
  const outline = JSON.stringify(sarifLog(report, [], [], left));
  const [inRules, inResults] = ['"rules":[', '"results":['].map((key) => outline.indexOf(`${key}]`) + key.length) as [number, number];
  yield outline.slice(0, inRules);
  for (const [i, rule] of rules.entries()) yield `${i > 0 ? ',' : ''}${JSON.stringify(rule)}`;
  yield outline.slice(inRules, inResults);
  for (const [i, result] of results.entries()) yield `${i > 0 ? ',' : ''}${JSON.stringify(result)}`;
  yield `${outline.slice(inResults)}\n`;
}

/**
 * The gzipped size of the chunks, compressed a megabyte at a time: deflate looks back 32 KiB at most, so this
 * overstates the size of the whole by a few dozen bytes a megabyte.
 */
function gzippedBytes(chunks: Iterable<string>): number {
  let size = 0;
  let group = '';
  for (const chunk of chunks) {
    group += chunk;
    if (group.length < 1024 * 1024) continue;
    size += gzipSync(group).length;
    group = '';
  }
  return size + gzipSync(group).length;
}

function sarifLog(report: Report, rules: ReportingDescriptor[], results: Result[], left: number): Log {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'aivss-gate',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications:
              left > 0
                ? [
                    {
                      level: 'warning',
                      message: { text: `${left} more findings are left out to stay within GitHub's limits for one upload.` },
                    },
                  ]
                : [],
          },
        ],
        results,
      },
    ],
  };
}

/**
 * Most important first, so that the limits cut the least important: models, then threats by severity. A threat's
 * finding is made only when asked: past the limit of results, the rest are only counted.
 */
function* findings(report: Report, uriOf: (file: string) => string): Generator<() => Finding> {
  for (const model of report.models) {
    const finding = modelFinding(model, uriOf(model.file));
    if (finding) yield () => finding;
  }
  for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
    for (const model of report.models) {
      for (const layer of model.layers) {
        for (const threat of layer.threats) {
          if (threat.status === 'open' && threat.severity === severity) yield () => threatFinding(model, layer, threat, uriOf(model.file));
        }
      }
    }
  }
}

const fingerprint = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

function location(uri: string, line: number): Result['locations'] {
  return [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: line } } }];
}

const modelName = (model: ModelReport) => plainText(model.name ?? model.agentId ?? model.file, 120);

function modelFinding(model: ModelReport, uri: string): Finding | null {
  const level: Result.level = model.gate.outcome === 'fail' ? 'error' : 'warning';
  const reasons = plainText(model.gate.reasons.join('; '), 600);
  const key = model.agentId ?? model.file;
  if (model.status === 'invalid') {
    const first = model.errors[0];
    return {
      rule: UNJUDGED_RULES.invalid,
      result: {
        ruleId: UNJUDGED_RULES.invalid.id,
        level,
        message: {
          text: `${plainText(model.file, 200)} is not a valid threat model: ${plainText(first?.message ?? 'it cannot be read', 400)}`,
        },
        locations: location(uri, first?.line ?? model.line),
        partialFingerprints: { [FINGERPRINT]: fingerprint(UNJUDGED_RULES.invalid.id, key) },
      },
    };
  }
  if (model.status === 'unscored') {
    return {
      rule: UNJUDGED_RULES.unscored,
      result: {
        ruleId: UNJUDGED_RULES.unscored.id,
        level,
        message: { text: `${modelName(model)} has no CVSS base, so no AIVSS score: agentic risk ${formatScore(model.factorSum ?? 0)}/10.` },
        locations: location(uri, model.line),
        partialFingerprints: { [FINGERPRINT]: fingerprint(UNJUDGED_RULES.unscored.id, key) },
      },
    };
  }
  if (model.gate.outcome === 'pass' || model.score === null) return null;
  const id = `aivss/score/${ruleKey(key)}`;
  const score = formatScore(model.score);
  return {
    rule: {
      id,
      name: 'AivssScoreAtOrAboveThreshold',
      shortDescription: { text: `AIVSS score of ${modelName(model)}` },
      fullDescription: {
        text: `The OWASP AIVSS score of the agent ${modelName(model)} is at or above the gate's fail-on threshold, or the gate flags it.`,
      },
      help: {
        text: "Lower the agent's risk (fewer or narrower tools, a human in the loop, less autonomy), raise its mitigation factor with implemented mitigations, or accept the risk with a waiver that names an owner and an expiry date.",
        markdown: `The OWASP AIVSS score of **${md(model.name ?? key, 120)}** is **${score}**. ${md(reasons, 600)}\n\nLower the agent's risk (fewer or narrower tools, a human in the loop, less autonomy), raise its mitigation factor with implemented mitigations, or accept the risk with a waiver in \`.aivss-gate.yml\` that names an owner and an expiry date.`,
      },
      defaultConfiguration: { level },
      properties: { tags: ['security', 'aivss'], precision: 'high', 'security-severity': score },
    },
    result: {
      ruleId: id,
      level,
      message: { text: `${modelName(model)} scores AIVSS ${score} (${model.severity}): ${reasons}` },
      locations: location(uri, model.line),
      partialFingerprints: { [FINGERPRINT]: fingerprint(id) },
    },
  };
}

function threatFinding(model: ModelReport, layer: ModelReport['layers'][number], threat: ThreatReport, uri: string): Finding {
  const key = model.agentId ?? model.file;
  const id = `aivss/threat/${ruleKey(key)}/${ruleKey(threat.id)}`;
  const title = plainText(threat.title, 200);
  const layerName = `${layer.id} ${LAYER_NAMES[layer.id]}`;
  const taxonomies = threat.tags.flatMap((tag) => {
    const taxonomy = taxonomyOf(tag);
    return taxonomy ? [{ tag, ...taxonomy }] : [];
  });
  const mitigations = threat.mitigations.slice(0, 10).map((m) => `- ${md(m.title, 200)} (${m.status})`);
  const help = [
    `**${md(threat.title, 200)}**: a ${threat.severity} threat of ${threat.likelihood} likelihood on MAESTRO layer ${layerName} of the agent ${md(model.name ?? key, 120)}.`,
    ...(threat.description ? ['', md(threat.description, 1000)] : []),
    ...(mitigations.length > 0 ? ['', 'Mitigations:', '', ...mitigations] : ['', 'No mitigation is recorded.']),
    ...(taxonomies.length > 0 ? ['', `Tags: ${taxonomies.map((t) => `[${t.tag}](${t.url})`).join(' · ')}`] : []),
  ].join('\n');
  return {
    rule: {
      id,
      name: 'OpenAgentThreat',
      shortDescription: { text: title },
      fullDescription: { text: `${title} (${layerName}, agent ${modelName(model)})` },
      help: { text: plainText(threat.description ?? threat.title, 1000), markdown: help },
      defaultConfiguration: { level: THREAT_LEVEL[threat.severity] },
      properties: {
        tags: ['security', 'aivss', `maestro/${layer.id}`, ...taxonomies.slice(0, 17).map((t) => `${t.key}/${t.tag}`)],
        precision: 'medium',
        'security-severity': THREAT_SECURITY_SEVERITY[threat.severity],
      },
    },
    result: {
      ruleId: id,
      level: THREAT_LEVEL[threat.severity],
      message: { text: `Open ${threat.severity} threat on ${layerName} of ${modelName(model)}: ${title}` },
      locations: location(uri, threat.line ?? model.line),
      partialFingerprints: { [FINGERPRINT]: fingerprint(id) },
    },
  };
}

/** Agent and threat ids are validated when read, but a rule id must stay one safe path segment whatever it is given. */
const ruleKey = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);

const UNJUDGED_RULES = {
  invalid: {
    id: 'aivss/invalid-threat-model',
    name: 'InvalidThreatModel',
    shortDescription: { text: 'Threat model that cannot be read or validated' },
    fullDescription: { text: 'A threat-model file that aivss-gate cannot read or validate, so the agent it describes is not judged.' },
    help: {
      text: 'Fix the problems the message names (file, line and field), then run aivss-gate check locally.',
      markdown:
        'Fix the problems the message names (file, line and field), then run `npx aivss-gate check` locally to see the same report.',
    },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'aivss'], precision: 'very-high', 'security-severity': UNJUDGED_SECURITY_SEVERITY },
  },
  unscored: {
    id: 'aivss/unscored-threat-model',
    name: 'UnscoredThreatModel',
    shortDescription: { text: 'Threat model without a CVSS base' },
    fullDescription: {
      text: 'A threat model with no CVSS v4.0 base has no AIVSS score, so the gate cannot compare it with its threshold.',
    },
    help: {
      text: 'Add a CVSS v4.0 base (a vector or a number) under aivss.cvss, or convert the agent listing and add one.',
      markdown:
        'Add a CVSS v4.0 base (a vector or a number) under `aivss.cvss`, or convert the agent listing with `npx aivss-gate convert` and add one.',
    },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['security', 'aivss'], precision: 'very-high', 'security-severity': UNJUDGED_SECURITY_SEVERITY },
  },
} as const satisfies Record<string, ReportingDescriptor>;
