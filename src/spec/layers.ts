import { normalizeName } from './factors.js';

/** The seven MAESTRO layers (Cloud Security Alliance) plus cross-layer threats, keyed by stable id. */
export const LAYER_IDS = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'CL'] as const;
export type LayerId = (typeof LAYER_IDS)[number];
export const REQUIRED_LAYERS: readonly LayerId[] = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'];

export const LAYER_NAMES: Readonly<Record<LayerId, string>> = {
  L1: 'Foundation Models',
  L2: 'Data Operations',
  L3: 'Agent Frameworks',
  L4: 'Deployment & Infrastructure',
  L5: 'Evaluation & Observability',
  L6: 'Security & Compliance',
  L7: 'Agent Ecosystem',
  CL: 'Cross-layer',
};

const ALIASES: Readonly<Record<LayerId, readonly string[]>> = {
  L1: ['Foundation Model'],
  L2: [],
  L3: ['Agent Framework'],
  L4: ['Deployment Infrastructure'],
  L5: [],
  L6: [],
  L7: [],
  CL: ['Cross Layer', 'Cross-layer threats'],
};

/** The id, the name and the other names a layer is known by. */
export function layerSpellings(id: LayerId): string[] {
  return [id, LAYER_NAMES[id], ...ALIASES[id]];
}

const byKey = new Map<string, LayerId>();
for (const id of LAYER_IDS) {
  for (const spelling of layerSpellings(id)) byKey.set(normalizeName(spelling), id);
}

export function findLayer(name: string): LayerId | undefined {
  return byKey.get(normalizeName(name));
}
