/** Where each taxonomy a threat may be tagged with defines its ids, so that a reader can look a tag up. */

const OWASP_AGENTIC_THREATS = 'https://genai.owasp.org/resource/agentic-ai-threats-and-mitigations/';
const OWASP_ASI_TOP_10 = 'https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/';
const MITRE_ATLAS_TECHNIQUES = 'https://atlas.mitre.org/techniques/';

export interface Taxonomy {
  /** A short, stable name, used in SARIF tags such as `owasp-agentic/T6`. */
  key: 'owasp-agentic' | 'owasp-asi' | 'mitre-atlas';
  url: string;
}

/** The definition of a threat tag, or null for a tag of no known taxonomy. */
export function taxonomyOf(tag: string): Taxonomy | null {
  if (/^T(?:[1-9]|1[0-7])$/.test(tag)) return { key: 'owasp-agentic', url: OWASP_AGENTIC_THREATS };
  if (/^ASI(?:0[1-9]|10)$/.test(tag)) return { key: 'owasp-asi', url: OWASP_ASI_TOP_10 };
  if (/^AML\.T\d{4}(?:\.\d{3})?$/.test(tag)) return { key: 'mitre-atlas', url: `${MITRE_ATLAS_TECHNIQUES}${tag}` };
  return null;
}
