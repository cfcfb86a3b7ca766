import { describe, expect, it } from 'vitest';
import { evaluateFile } from '../../src/engine.js';
import { parseThreatModel } from '../../src/parse/index.js';
import { validateThreatModel } from '../../src/validate/index.js';
import { BASE } from './base-model.js';

/** The vector of the base model. */
const V = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

interface Mistake {
  mistake: string;
  /** The text of the base model to replace, once. */
  from: string;
  to: string;
  /** Every problem of the file: its line and the exact message. */
  errors: [number, string][];
}

/** Typical mistakes of people writing threat models by hand, and the exact answer each gets. */
const MISTAKES: Mistake[] = [
  {
    mistake: 'a CVSS vector without a base metric',
    from: V,
    to: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: missing base metric SA (Subsequent System Availability)']],
  },
  {
    mistake: 'a CVSS metric given twice',
    from: V,
    to: `${V}/SA:H`,
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: SA (Subsequent System Availability) is given twice']],
  },
  {
    mistake: 'an unknown CVSS metric',
    from: V,
    to: `${V}/XX:Y`,
    errors: [
      [17, 'aivss.cvss: not a valid CVSS v4.0 vector: "XX:Y": unknown metric; the base metrics are AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA'],
    ],
  },
  {
    mistake: 'a misspelled CVSS metric',
    from: V,
    to: 'CVSS:4.0/AW:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: "AW:N": unknown metric (did you mean AV, Attack Vector?); the base metrics are AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA',
      ],
    ],
  },
  {
    mistake: 'a CVSS value the metric does not take',
    from: V,
    to: 'CVSS:4.0/AV:Q/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: "AV:Q" is not a value of AV; AV (Attack Vector) takes N, A, L or P']],
  },
  {
    mistake: 'a lower-case CVSS value and a wrong one',
    from: V,
    to: 'CVSS:4.0/AV:n/AC:L/AT:Q/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: "AV:n" is not a value of AV; AV (Attack Vector) takes N, A, L or P (did you mean AV:N?)',
      ],
      [17, 'aivss.cvss: not a valid CVSS v4.0 vector: "AT:Q" is not a value of AT; AT (Attack Requirements) takes N or P'],
    ],
  },
  {
    mistake: 'a CVSS vector in lower case',
    from: V,
    to: 'cvss:4.0/av:n/ac:l/at:n/pr:l/ui:n/vc:h/vi:h/va:h/sc:n/si:n/sa:n',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: it is written in lower case; write "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"',
      ],
    ],
  },
  {
    mistake: 'a CVSS vector without CVSS:4.0/',
    from: V,
    to: 'AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: it lacks the "CVSS:4.0/" prefix; write "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"',
      ],
    ],
  },
  {
    mistake: 'CVSS metrics out of order',
    from: V,
    to: 'CVSS:4.0/AC:L/AV:N/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: the metrics are out of FIRST\'s order (AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA): AV comes after AC; write "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"',
      ],
    ],
  },
  {
    mistake: 'a CVSS 3.1 vector',
    from: V,
    to: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    errors: [
      [
        17,
        'aivss.cvss: a CVSS 3.x vector is not accepted: AIVSS v0.8 takes a CVSS v4.0 base score; rescore the vulnerability with a CVSS:4.0/... vector or give the v4.0 base as a number',
      ],
    ],
  },
  {
    mistake: 'a CVSS version other than 4.0',
    from: V,
    to: 'CVSS:4.1/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: the version "CVSS:4.1" is not 4.0; start with "CVSS:4.0/"']],
  },
  {
    mistake: 'a CVSS vector ending in /',
    from: V,
    to: `${V}/`,
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: an empty metric: remove the extra "/"']],
  },
  {
    mistake: 'a CVSS metric without a value',
    from: V,
    to: 'CVSS:4.0/AV/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: AV has no value; AV (Attack Vector) takes N, A, L or P']],
  },
  {
    mistake: 'E: given twice',
    from: V,
    to: `${V}/E:A/E:U`,
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: E (Exploit Maturity) is given twice']],
  },
  {
    mistake: 'a CVSS score in quotes',
    from: `cvss: ${V}`,
    to: 'cvss: "7.5"',
    errors: [[17, 'aivss.cvss: not a valid CVSS v4.0 vector: "7.5" is a number in quotes; write the base score without quotes: cvss: 7.5']],
  },
  {
    mistake: 'an empty CVSS vector',
    from: `cvss: ${V}`,
    to: 'cvss: ""',
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: the vector is empty; give a CVSS:4.0/... vector or the base score as a number from 0 to 10',
      ],
    ],
  },
  {
    mistake: 'a CVSS base of .nan',
    from: `cvss: ${V}`,
    to: 'cvss: .nan',
    errors: [[17, 'aivss.cvss: the CVSS base is a CVSS v4.0 score from 0 to 10 or a CVSS:4.0/... vector; found .nan (not a number)']],
  },
  {
    mistake: 'a CVSS base of .inf',
    from: `cvss: ${V}`,
    to: 'cvss: .inf',
    errors: [[17, 'aivss.cvss: the CVSS base is a CVSS v4.0 score from 0 to 10 or a CVSS:4.0/... vector; found .inf']],
  },
  {
    mistake: 'a CVSS score above 10',
    from: `cvss: ${V}`,
    to: 'cvss: 11',
    errors: [[17, 'aivss.cvss: 11 is too large: the CVSS base score is at most 10']],
  },
  {
    mistake: 'a negative CVSS score',
    from: `cvss: ${V}`,
    to: 'cvss: -1',
    errors: [[17, 'aivss.cvss: -1 is too small: the CVSS base score is at least 0']],
  },
  {
    mistake: 'a CVSS base of true',
    from: `cvss: ${V}`,
    to: 'cvss: true',
    errors: [[17, 'aivss.cvss: the CVSS base is a CVSS v4.0 score from 0 to 10 or a CVSS:4.0/... vector; found true']],
  },
  {
    mistake: 'an unknown threat multiplier',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: likely',
    errors: [
      [
        18,
        'aivss.threatMultiplier: "likely" is not a threat multiplier: use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'a misspelled threat multiplier',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: atacked',
    errors: [
      [
        18,
        'aivss.threatMultiplier: "atacked" is not a threat multiplier (did you mean "attacked"?): use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'a threat multiplier in capitals',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: Attacked',
    errors: [
      [
        18,
        'aivss.threatMultiplier: "Attacked" is not a threat multiplier (did you mean "attacked"?): use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'a threat multiplier of .nan',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: .nan',
    errors: [
      [
        18,
        'aivss.threatMultiplier: .nan (not a number) is not a threat multiplier: use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'a threat multiplier of .inf',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: .inf',
    errors: [
      [
        18,
        'aivss.threatMultiplier: .inf is not a threat multiplier: use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'a threat multiplier of 0',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: 0',
    errors: [[18, 'aivss.threatMultiplier: 0 is too small: a threat multiplier is greater than 0']],
  },
  {
    mistake: 'a threat multiplier number in quotes',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: "0.9"',
    errors: [[18, 'aivss.threatMultiplier: "0.9" is a number in quotes: write 0.9 without them']],
  },
  {
    mistake: 'proof of concept without hyphens',
    from: 'threatMultiplier: poc',
    to: 'threatMultiplier: proof of concept',
    errors: [
      [
        18,
        'aivss.threatMultiplier: "proof of concept" is not a threat multiplier (did you mean "proof-of-concept"?): use attacked (1.00), poc or proof-of-concept (0.97), unreported (0.50), or a number greater than 0',
      ],
    ],
  },
  {
    mistake: 'an unknown mitigation factor',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: medium',
    errors: [
      [
        19,
        'aivss.mitigationFactor: "medium" is not a mitigation factor: use none or weak (1.00), partial (0.83), strong (0.67), or a number greater than 0 and at most 1',
      ],
    ],
  },
  {
    mistake: 'a mitigation factor above 1',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: 1.5',
    errors: [[19, 'aivss.mitigationFactor: 1.5 is too large: a mitigation factor is at most 1']],
  },
  {
    mistake: 'a mitigation factor of 0',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: 0',
    errors: [[19, 'aivss.mitigationFactor: 0 is too small: a mitigation factor is greater than 0']],
  },
  {
    mistake: 'a mitigation factor of .nan',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: .nan',
    errors: [
      [
        19,
        'aivss.mitigationFactor: .nan (not a number) is not a mitigation factor: use none or weak (1.00), partial (0.83), strong (0.67), or a number greater than 0 and at most 1',
      ],
    ],
  },
  {
    mistake: 'a misspelled mitigation level',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: weakk',
    errors: [
      [
        19,
        'aivss.mitigationFactor: "weakk" is not a mitigation factor (did you mean "weak"?): use none or weak (1.00), partial (0.83), strong (0.67), or a number greater than 0 and at most 1',
      ],
    ],
  },
  {
    mistake: 'a misspelled factor name',
    from: '    identity: 0.3',
    to: '    identiy: 0.3',
    errors: [
      [
        13,
        'aivss.factors.identiy: unknown factor "identiy" (did you mean "identity"?); the factors are autonomy, planning or natural-language, self-modification, tool-use, memory, context, identity, multi-agent, non-determinism, opacity, or their names such as "Autonomy of Action"',
      ],
    ],
  },
  {
    mistake: 'an unknown factor',
    from: '    identity: 0.3',
    to: '    creativity: 0.3',
    errors: [
      [6, 'aivss.factors: a model has exactly 10 factors; missing: Dynamic Identity (identity)'],
      [
        13,
        'aivss.factors.creativity: unknown factor "creativity"; the factors are autonomy, planning or natural-language, self-modification, tool-use, memory, context, identity, multi-agent, non-determinism, opacity, or their names such as "Autonomy of Action"',
      ],
    ],
  },
  {
    mistake: 'a factor above 1',
    from: '    memory: 0.6',
    to: '    memory: 1.5',
    errors: [[11, 'aivss.factors.memory: 1.5 is too large: a factor is at most 1']],
  },
  {
    mistake: 'a negative factor',
    from: '    memory: 0.6',
    to: '    memory: -0.1',
    errors: [[11, 'aivss.factors.memory: -0.1 is too small: a factor is at least 0']],
  },
  {
    mistake: 'a factor of .nan',
    from: '    memory: 0.6',
    to: '    memory: .nan',
    errors: [[11, 'aivss.factors.memory: a factor is a number from 0 to 1; found .nan (not a number)']],
  },
  {
    mistake: 'a factor given as a word',
    from: '    memory: 0.6',
    to: '    memory: high',
    errors: [[11, 'aivss.factors.memory: a factor is a number from 0 to 1; found "high"']],
  },
  {
    mistake: 'a factor number in quotes',
    from: '    memory: 0.6',
    to: '    memory: "0.6"',
    errors: [[11, 'aivss.factors.memory: "0.6" is a number in quotes: write 0.6 without them']],
  },
  {
    mistake: 'planning and natural-language together',
    from: '    planning: 0.7',
    to: '    planning: 0.7\n    natural-language: 0.7',
    errors: [
      [
        9,
        'aivss.factors.natural-language: factor "natural-language" repeats "planning" (both fill slot 2: Goal-Driven Planning or Natural Language Interface); keep one',
      ],
    ],
  },
  {
    mistake: 'a factor left out',
    from: '    opacity: 0.5\n',
    to: '',
    errors: [[6, 'aivss.factors: a model has exactly 10 factors; missing: Opacity & Reflexivity (opacity)']],
  },
  {
    mistake: 'a misspelled threat key',
    from: '        severity: high',
    to: '        severty: high',
    errors: [
      [
        27,
        'layers.L1.threats.0.severty: unknown key "severty" (did you mean "severity"?); the keys here are id, title, description, severity, likelihood, status, tags or mitigations',
      ],
    ],
  },
  {
    mistake: 'a misspelled top-level key',
    from: 'aivss:',
    to: 'aivs:',
    errors: [[5, 'aivs: unknown key "aivs" (did you mean "aivss"?); the keys here are $schema, formatVersion, agent, aivss or layers']],
  },
  {
    mistake: 'a misspelled agent key',
    from: '  name: Payments Agent',
    to: '  nmae: Payments Agent',
    errors: [[4, 'agent.nmae: unknown key "nmae" (did you mean "name"?); the keys here are id, name, description or links']],
  },
  {
    mistake: 'an unknown key',
    from: '  name: Payments Agent',
    to: '  name: Payments Agent\n  owner: team-payments',
    errors: [[5, 'agent.owner: unknown key "owner"; the keys here are id, name, description or links']],
  },
  {
    mistake: 'an unknown severity',
    from: 'severity: high',
    to: 'severity: severe',
    errors: [[27, 'layers.L1.threats.0.severity: "severe" is not accepted; use critical, high, medium or low']],
  },
  {
    mistake: 'a severity in capitals',
    from: 'severity: high',
    to: 'severity: High',
    errors: [[27, 'layers.L1.threats.0.severity: "High" is not accepted (did you mean "high"?); use critical, high, medium or low']],
  },
  {
    mistake: 'a misspelled likelihood',
    from: 'likelihood: medium',
    to: 'likelihood: meduim',
    errors: [[28, 'layers.L1.threats.0.likelihood: "meduim" is not accepted (did you mean "medium"?); use high, medium or low']],
  },
  {
    mistake: 'an unknown threat status',
    from: '        status: open',
    to: '        status: closed',
    errors: [[29, 'layers.L1.threats.0.status: "closed" is not accepted; use open, mitigated or accepted']],
  },
  {
    mistake: 'in progress without the hyphen',
    from: 'status: in-progress',
    to: 'status: in progress',
    errors: [
      [
        33,
        'layers.L1.threats.0.mitigations.0.status: "in progress" is not accepted (did you mean "in-progress"?); use planned, in-progress or implemented',
      ],
    ],
  },
  {
    mistake: 'an unknown mitigation status',
    from: 'status: in-progress',
    to: 'status: done',
    errors: [[33, 'layers.L1.threats.0.mitigations.0.status: "done" is not accepted; use planned, in-progress or implemented']],
  },
  {
    mistake: 'an unknown layer status',
    from: 'L4: { status: uncertain }',
    to: 'L4: { status: unsure }',
    errors: [[36, 'layers.L4.status: "unsure" is not accepted; use mapped, uncertain or not-applicable']],
  },
  {
    mistake: 'a layer given as its status alone',
    from: 'L4: { status: uncertain }',
    to: 'L4: not-applicable',
    errors: [[36, 'layers.L4: a layer is a map with a status, such as { status: not-applicable }; found "not-applicable"']],
  },
  {
    mistake: 'a layer left out',
    from: '  L7: { status: not-applicable }\n',
    to: '',
    errors: [
      [
        20,
        'layers: missing layer L7 (Agent Ecosystem): every MAESTRO layer L1-L7 is listed, with status not-applicable where it does not apply',
      ],
    ],
  },
  {
    mistake: 'an unknown layer id',
    from: '  L7: { status: not-applicable }',
    to: '  L7: { status: not-applicable }\n  L8: { status: mapped }',
    errors: [
      [
        40,
        'layers.L8: unknown layer "L8"; use L1, L2, L3, L4, L5, L6, L7, CL (Foundation Models, Data Operations, Agent Frameworks, Deployment & Infrastructure, Evaluation & Observability, Security & Compliance, Agent Ecosystem, cross-layer)',
      ],
    ],
  },
  {
    mistake: 'a misspelled layer name',
    from: '  L3: { status: mapped }',
    to: '  Agent Framworks: { status: mapped }',
    errors: [
      [
        35,
        'layers.Agent Framworks: unknown layer "Agent Framworks" (did you mean "Agent Frameworks"?); use L1, L2, L3, L4, L5, L6, L7, CL (Foundation Models, Data Operations, Agent Frameworks, Deployment & Infrastructure, Evaluation & Observability, Security & Compliance, Agent Ecosystem, cross-layer)',
      ],
    ],
  },
  {
    mistake: 'one layer under its id and its name',
    from: '  L3: { status: mapped }',
    to: '  L3: { status: mapped }\n  Agent Frameworks: { status: mapped }',
    errors: [[36, 'layers.Agent Frameworks: layer "Agent Frameworks" repeats "L3" (both are L3); keep one']],
  },
  {
    mistake: 'a misspelled layers key',
    from: 'layers:',
    to: 'layerz:',
    errors: [
      [20, 'layerz: unknown key "layerz" (did you mean "layers"?); the keys here are $schema, formatVersion, agent, aivss or layers'],
    ],
  },
  {
    mistake: 'a threat id used in two layers',
    from: '  L2: { status: mapped }',
    to: '  L2:\n    status: mapped\n    threats:\n      - { id: PAY-1, title: Replayed transfer, severity: low, likelihood: low, status: open }',
    errors: [[37, 'layers.L2.threats.0.id: threat id "PAY-1" is already used by layers.L1.threats.0; threat ids are unique within a file']],
  },
  {
    mistake: 'a threat id with a space',
    from: 'id: PAY-1',
    to: 'id: PAY 1',
    errors: [
      [
        25,
        'layers.L1.threats.0.id: "PAY 1" is not a valid threat id: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ],
    ],
  },
  {
    mistake: 'an agent id with a space',
    from: 'id: payments-agent',
    to: 'id: payments agent',
    errors: [
      [3, 'agent.id: "payments agent" is not a valid agent id: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
    ],
  },
  {
    mistake: 'an ASI tag without its zero',
    from: 'tags: [T6, ASI01]',
    to: 'tags: [T6, ASI1]',
    errors: [
      [
        30,
        'layers.L1.threats.0.tags.1: "ASI1" is not a known tag (did you mean "ASI01"?): a tag is an OWASP ASI threat id (T1-T17), an ASI Top-10 id (ASI01-ASI10) or a MITRE ATLAS id (AML.T0051 or AML.T0051.000)',
      ],
    ],
  },
  {
    mistake: 'a lower-case tag and an unknown one',
    from: 'tags: [T6, ASI01]',
    to: 'tags: [t6, T18]',
    errors: [
      [
        30,
        'layers.L1.threats.0.tags.0: "t6" is not a known tag (did you mean "T6"?): a tag is an OWASP ASI threat id (T1-T17), an ASI Top-10 id (ASI01-ASI10) or a MITRE ATLAS id (AML.T0051 or AML.T0051.000)',
      ],
      [
        30,
        'layers.L1.threats.0.tags.1: "T18" is not a known tag: a tag is an OWASP ASI threat id (T1-T17), an ASI Top-10 id (ASI01-ASI10) or a MITRE ATLAS id (AML.T0051 or AML.T0051.000)',
      ],
    ],
  },
  {
    mistake: 'a threat without a title',
    from: '        title: Prompt injection through payee names\n',
    to: '',
    errors: [[25, 'layers.L1.threats.0.title: missing (required)']],
  },
  {
    mistake: 'an empty title',
    from: 'title: Prompt injection through payee names',
    to: 'title: ""',
    errors: [[26, 'layers.L1.threats.0.title: empty: write some text']],
  },
  {
    mistake: 'an agent without a name',
    from: '  name: Payments Agent\n',
    to: '',
    errors: [[2, 'agent.name: missing (required)']],
  },
  {
    mistake: 'no formatVersion',
    from: 'formatVersion: 1\n',
    to: '',
    errors: [[1, 'formatVersion: missing: write formatVersion: 1']],
  },
  {
    mistake: 'an unknown formatVersion',
    from: 'formatVersion: 1',
    to: 'formatVersion: 2',
    errors: [[1, 'formatVersion: 2 is not a supported format version: write formatVersion: 1']],
  },
  {
    mistake: 'formatVersion in quotes',
    from: 'formatVersion: 1',
    to: 'formatVersion: "1"',
    errors: [[1, 'formatVersion: "1" is a number in quotes: write 1 without them']],
  },
  {
    mistake: 'tags given as one word',
    from: 'tags: [T6, ASI01]',
    to: 'tags: T6',
    errors: [[30, 'layers.L1.threats.0.tags: expected a list (lines starting with "- "), found "T6"']],
  },
  {
    mistake: 'a link that is not http(s)',
    from: '  name: Payments Agent',
    to: '  name: Payments Agent\n  links: [ftp://example.com/x]',
    errors: [[5, 'agent.links.0: "ftp://example.com/x" is not an http or https URL']],
  },
  {
    mistake: 'a declared score above 10',
    from: 'mitigationFactor: partial',
    to: 'mitigationFactor: partial\n  declaredScore: 11',
    errors: [[20, 'aivss.declaredScore: 11 is too large: a declared score is at most 10']],
  },
  {
    mistake: 'a layer without a status',
    from: 'L5: { status: mapped }',
    to: 'L5: { summary: Logged. }',
    errors: [[37, 'layers.L5.status: missing (required): use mapped, uncertain or not-applicable']],
  },
  {
    mistake: 'a quoted CVSS vector with spaces around it',
    from: `cvss: ${V}`,
    to: `cvss: " ${V} "`,
    errors: [
      [
        17,
        'aivss.cvss: not a valid CVSS v4.0 vector: it has spaces or line breaks around it; write "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"',
      ],
    ],
  },
  {
    mistake: 'no layers at all',
    from: 'layers:\n  L1:',
    to: 'other:\n  L1:',
    errors: [
      [1, 'layers: missing (required)'],
      [20, 'other: unknown key "other"; the keys here are $schema, formatVersion, agent, aivss or layers'],
    ],
  },
  {
    mistake: 'a bad status and a missing layer, reported together',
    from: '  L6: { status: mapped }\n  L7: { status: not-applicable }\n',
    to: '  L6: { status: done }\n',
    errors: [
      [
        20,
        'layers: missing layer L7 (Agent Ecosystem): every MAESTRO layer L1-L7 is listed, with status not-applicable where it does not apply',
      ],
      [38, 'layers.L6.status: "done" is not accepted; use mapped, uncertain or not-applicable'],
    ],
  },
  {
    mistake: 'a title that is too long',
    from: 'title: Prompt injection through payee names',
    to: `title: ${'x'.repeat(301)}`,
    errors: [[26, 'layers.L1.threats.0.title: too long: at most 300 characters (found 301)']],
  },
  {
    mistake: 'too many tags',
    from: 'tags: [T6, ASI01]',
    to: `tags: [${Array(51).fill('T6').join(', ')}]`,
    errors: [[30, 'layers.L1.threats.0.tags: too many items: at most 50 (found 51)']],
  },
  {
    mistake: 'two unknown keys in one map, each on its line',
    from: '  name: Payments Agent',
    to: '  name: Payments Agent\n  owner: payments\n  team: core',
    errors: [
      [5, 'agent.owner: unknown key "owner"; the keys here are id, name, description or links'],
      [6, 'agent.team: unknown key "team"; the keys here are id, name, description or links'],
    ],
  },
  {
    mistake: 'the agent given as its id alone',
    from: 'agent:\n  id: payments-agent\n  name: Payments Agent\n',
    to: 'agent: payments-agent\n',
    errors: [[2, 'agent: expected a map (key: value lines), found "payments-agent"']],
  },
  {
    mistake: 'threats given as a map',
    from: '  L2: { status: mapped }',
    to: '  L2: { status: mapped, threats: { id: X } }',
    errors: [[34, 'layers.L2.threats: expected a list (lines starting with "- "), found a map']],
  },
];

describe('every authoring mistake gets one precise message with its line', () => {
  it('the base model is valid', () => {
    expect(evaluateFile('model.yaml', BASE, 'v0.8').errors).toEqual([]);
  });

  it('the table covers at least forty mistakes', () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(MISTAKES)('$mistake', ({ from, to, errors }) => {
    expect(BASE.split(from)).toHaveLength(2);
    const evaluated = evaluateFile('model.yaml', BASE.replace(from, to), 'v0.8');
    expect(evaluated.status).toBe('invalid');
    expect(evaluated.errors.map((e) => [e.line, e.message])).toEqual(errors);
  });
});

describe("the spec's own words", () => {
  const evaluate = (from: string, to: string) => evaluateFile('model.yaml', BASE.replace(from, to), 'v0.8');

  it.each([
    ['threatMultiplier: poc', 'threatMultiplier: proof-of-concept'],
    ['mitigationFactor: partial', 'mitigationFactor: weak'],
  ])('accepts the spec synonym in %s -> %s, scored as its label', (from, to) => {
    const [field, synonym] = to.split(': ') as [string, string];
    const label = { 'proof-of-concept': 'poc', weak: 'none' }[synonym]!;
    const expected = evaluate(from, `${field}: ${label}`);
    const given = evaluate(from, to);
    expect(given.errors).toEqual([]);
    expect(given.score).toBe(expected.score);
    expect(given[field as 'threatMultiplier' | 'mitigationFactor']?.label).toBe(label);
  });
});

describe('a file full of unknown names', () => {
  const many = (indent: string, value: string) => Array.from({ length: 25 }, (_, i) => `${indent}extra-${i}: ${value}`).join('\n');

  it.each([
    ['keys', '  name: Payments Agent', `  name: Payments Agent\n${many('  ', '1')}`, 'agent: and 5 more unknown keys', 2],
    ['factors', '    opacity: 0.5', `    opacity: 0.5\n${many('    ', '0.5')}`, 'aivss.factors: and 5 more unknown factors', 6],
    [
      'layers',
      '  L7: { status: not-applicable }',
      `  L7: { status: not-applicable }\n${many('  ', '{ status: mapped }')}`,
      'layers: and 5 more unknown layers',
      20,
    ],
  ])('names twenty unknown %s and counts the rest on the line of their map', (_what, from, to, last, line) => {
    const errors = evaluateFile('model.yaml', BASE.replace(from, to), 'v0.8').errors;
    expect(errors).toHaveLength(21);
    expect(errors).toContainEqual({ line, message: last });
  });

  // Each problem costs a line lookup and a message, and zod an issue: a junk file held 36,000 unknown layers.
  it.each([
    ['layers', '  L7: { status: not-applicable }', (i: number) => `  extra-${i}: { status: bogus, threats: [1] }`],
    ['factors', '    opacity: 0.5', (i: number) => `    extra-${i}: -1`],
  ])('reads nothing under an unknown %s: as many problems for 10,000 of them as for 100', (_what, from, line) => {
    const problems = (n: number) => {
      const parsed = parseThreatModel(BASE.replace(from, `${from}\n${Array.from({ length: n }, (_, i) => line(i)).join('\n')}`));
      if (!parsed.ok) throw new Error('the test file does not parse');
      const validated = validateThreatModel(parsed.parsed);
      return validated.ok ? 0 : validated.problems.length;
    };
    expect(problems(100)).toBe(21);
    expect(problems(10_000)).toBe(21);
  });
});
