import type { Waiver } from './config.js';

/** A waiver applies through the whole of its expiry day (UTC). */
export const isExpired = (waiver: Waiver, today: string) => waiver.expires < today;

export function waiversFor(waivers: readonly Waiver[], model: { file: string; agentId: string | null }): Waiver[] {
  return waivers.filter((w) => w.model === model.file || (model.agentId !== null && w.model === model.agentId));
}

export function describeWaiver(waiver: Waiver): string {
  const scope = [waiver.model, waiver.layer, waiver.threat].filter(Boolean).join(' ');
  return `waiver for ${scope} by ${waiver.owner}, until ${waiver.expires}`;
}

/** Today's date in UTC, as waivers write it. */
export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10);
