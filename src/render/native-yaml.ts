import { stringify } from 'yaml';
import { LAYER_IDS } from '../spec/layers.js';
import type { ThreatModel } from '../validate/schema.js';

/**
 * A validated model written in the native format, with stable factor and layer ids as keys: what
 * `aivss-gate convert` prints for a listing, so a team can start from it and enrich it.
 */
export function toNativeYaml(model: ThreatModel, options: { source: string; schema?: string; rubric?: string }): string {
  const layers = Object.fromEntries(
    LAYER_IDS.filter((id) => model.layers[id]).map((id) => {
      const layer = model.layers[id]!;
      return [id, { status: layer.status, summary: layer.summary, threats: layer.threats }];
    }),
  );
  const document = {
    formatVersion: model.formatVersion,
    agent: model.agent,
    aivss: model.aivss,
    layers,
  };
  const header = [
    ...(options.schema ? [`# yaml-language-server: $schema=${options.schema}`] : []),
    `# Converted by aivss-gate from ${options.source.replace(/[\r\n]/g, ' ')}.`,
    ...(options.rubric ? [`# What each factor means, from 0 to 1: ${options.rubric}`] : []),
    ...(model.aivss.cvss === undefined
      ? ['# Add a CVSS v4.0 base (aivss.cvss: a number or a CVSS:4.0/... vector) to give it an AIVSS score.']
      : []),
  ];
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 110, minContentWidth: 40 })}`;
}
