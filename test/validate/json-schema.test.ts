import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VALID_MODEL_YAML, replaceOnce } from '../fixtures/index.js';

/** The committed editor schema, as an editor reads it. */
const schema = JSON.parse(readFileSync('schema/threat-model.schema.json', 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormatsPlugin as unknown as (a: Ajv2020) => Ajv2020)(ajv);
const validate = ajv.compile(schema);

const accepts = (data: unknown) => validate(data) || (validate.errors ?? []);

const nativeFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => path.join(dir, f));

describe('the editor JSON Schema', () => {
  it.each([...nativeFiles('examples'), ...nativeFiles('threat-models')])('accepts %s', (file) => {
    expect(accepts(parse(readFileSync(file, 'utf8')))).toBe(true);
  });

  it('accepts the test model, layer names as keys and the spec synonyms', () => {
    expect(accepts(parse(VALID_MODEL_YAML))).toBe(true);
    const named = replaceOnce(
      replaceOnce(VALID_MODEL_YAML, '  L1:', '  Foundation Models:'),
      'mitigationFactor: none',
      'mitigationFactor: weak',
    );
    expect(accepts(parse(replaceOnce(named, 'threatMultiplier: poc', 'threatMultiplier: proof-of-concept')))).toBe(true);
  });

  it.each([
    ['an unknown factor name', 'Dynamic Identity: 0.3', 'Dynamic Identities: 0.3'],
    ['a missing layer', '  L2:', '  CL:'],
    ['an unknown layer', '  L2:', '  L8:'],
    ['a malformed vector', 'cvss: 8.7', 'cvss: CVSS:4.0/AV:N/AC:L'],
    ['a CVSS 3.1 vector', 'cvss: 8.7', 'cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a lower-case vector', 'cvss: 8.7', 'cvss: cvss:4.0/av:n/ac:l/at:n/pr:n/ui:n/vc:h/vi:h/va:h/sc:n/si:n/sa:n'],
    ['a CVSS score above 10', 'cvss: 8.7', 'cvss: 11'],
    ['an unknown threat multiplier', 'threatMultiplier: poc', 'threatMultiplier: likely'],
    ['a mitigation factor above 1', 'mitigationFactor: none', 'mitigationFactor: 1.5'],
    ['a factor above 1', 'Self-Modification: 0.2', 'Self-Modification: 1.5'],
    ['an unknown severity', 'severity: high', 'severity: severe'],
    ['an unknown layer status', 'status: uncertain', 'status: unknown'],
    ['a misspelled key', 'likelihood:', 'likelyhood:'],
    ['a bad tag', '[T6, ASI01, AML.T0051]', '[T6, T18]'],
    ['a bad threat id', 'id: prompt-injection', 'id: prompt injection'],
    ['another format version', 'formatVersion: 1', 'formatVersion: 2'],
  ])('rejects %s', (_what, from, to) => {
    expect(accepts(parse(replaceOnce(VALID_MODEL_YAML, from, to)))).not.toBe(true);
  });
});
