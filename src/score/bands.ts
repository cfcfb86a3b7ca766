/** AIVSS severity bands, applied to the rounded score. */
export const BANDS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Band = (typeof BANDS)[number];

/** Lower bound of each band, highest first. */
export const BAND_FLOORS: Readonly<Record<Exclude<Band, 'none'>, number>> = {
  critical: 9.0,
  high: 7.0,
  medium: 4.0,
  low: 0.1,
};

export function bandOf(score: number): Band {
  if (score >= BAND_FLOORS.critical) return 'critical';
  if (score >= BAND_FLOORS.high) return 'high';
  if (score >= BAND_FLOORS.medium) return 'medium';
  if (score >= BAND_FLOORS.low) return 'low';
  return 'none';
}
