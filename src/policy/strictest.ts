import { threshold, type Config, type Waiver } from './config.js';

/**
 * The policy a pull request is judged under: the stricter of the base branch's and the pull request's own. A
 * pull request may tighten the policy at once; what it loosens takes effect only once merged.
 */
export interface PolicyChange {
  key: string;
  message: string;
  /** Tightenings apply now; loosenings wait for the merge. */
  effect: 'tightened' | 'loosened';
}

export interface EffectivePolicy {
  config: Config;
  changes: PolicyChange[];
  /** Waivers that the pull request adds: they apply once merged. */
  pendingWaivers: Waiver[];
}

const OUTCOME_KEYS = ['on-unscored', 'on-invalid', 'on-removed'] as const;

/** Every field: a waiver changed in any way, a later expiry or a higher max-score among others, is a new waiver. */
const waiverKey = (w: Waiver) =>
  JSON.stringify([w.model, w.layer ?? null, w.threat ?? null, w.owner, w.reason, w.expires, w['max-score'] ?? null]);

export function strictest(base: Config, head: Config): EffectivePolicy {
  const changes: PolicyChange[] = [];
  const note = (key: string, effect: PolicyChange['effect'], message: string) => changes.push({ key, effect, message });

  const baseLimit = threshold(base['fail-on']);
  const headLimit = threshold(head['fail-on']);
  if (headLimit < baseLimit) note('fail-on', 'tightened', `fail-on ${String(base['fail-on'])} → ${String(head['fail-on'])}`);
  if (headLimit > baseLimit) note('fail-on', 'loosened', `fail-on ${String(base['fail-on'])} → ${String(head['fail-on'])}`);
  const config: Config = { ...base, 'fail-on': headLimit < baseLimit ? head['fail-on'] : base['fail-on'] };

  for (const key of OUTCOME_KEYS) {
    if (base[key] === head[key]) continue;
    note(key, head[key] === 'fail' ? 'tightened' : 'loosened', `${key} ${base[key]} → ${head[key]}`);
    config[key] = 'fail';
  }
  if (base['warn-only'] !== head['warn-only']) {
    note('warn-only', head['warn-only'] ? 'loosened' : 'tightened', `warn-only ${base['warn-only']} → ${head['warn-only']}`);
    config['warn-only'] = false;
  }

  const added = head.include.filter((p) => !base.include.includes(p));
  const dropped = base.include.filter((p) => !head.include.includes(p));
  if (added.length > 0) note('include', 'tightened', `include adds ${added.join(', ')}`);
  if (dropped.length > 0) note('include', 'loosened', `include drops ${dropped.join(', ')}`);
  config.include = [...base.include, ...added];

  const newExcludes = head.exclude.filter((p) => !base.exclude.includes(p));
  const keptExcludes = base.exclude.filter((p) => head.exclude.includes(p));
  if (newExcludes.length > 0) note('exclude', 'loosened', `exclude adds ${newExcludes.join(', ')}`);
  if (keptExcludes.length < base.exclude.length)
    note('exclude', 'tightened', `exclude drops ${base.exclude.filter((p) => !keptExcludes.includes(p)).join(', ')}`);
  config.exclude = keptExcludes;

  if (base.formula !== head.formula) note('formula', 'loosened', `formula ${base.formula} → ${head.formula}`);
  if (JSON.stringify(base.limits) !== JSON.stringify(head.limits)) note('limits', 'loosened', 'limits changed');

  const headWaivers = new Set(head.waivers.map(waiverKey));
  const baseWaivers = new Set(base.waivers.map(waiverKey));
  const pendingWaivers = head.waivers.filter((w) => !baseWaivers.has(waiverKey(w)));
  const withdrawn = base.waivers.filter((w) => !headWaivers.has(waiverKey(w)));
  if (pendingWaivers.length > 0)
    note('waivers', 'loosened', `${pendingWaivers.length} new or changed waiver${pendingWaivers.length === 1 ? '' : 's'}`);
  if (withdrawn.length > 0) note('waivers', 'tightened', `${withdrawn.length} waiver${withdrawn.length === 1 ? '' : 's'} withdrawn`);
  config.waivers = base.waivers.filter((w) => headWaivers.has(waiverKey(w)));

  return { config, changes, pendingWaivers };
}
