import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../policy/config.js';
import { plainText } from '../render/escape.js';
import { toNativeYaml } from '../render/native-yaml.js';
import { VERSION } from '../version.js';
import { readListing } from './listing.js';
import type { Io } from './main.js';

export const INIT_HELP = `Usage: aivss-gate init [--agent NAME] [--from-listing FILE] [--root DIR]

Sets up aivss-gate in a git repository. It writes, and never overwrites:
  ${DEFAULT_CONFIG_FILE}                      the policy: where the threat models are, when the check fails
  .github/workflows/aivss-gate.yml      the workflow that runs the gate on every pull request
  threat-models/<agent>.threat-model.yaml
                                        a starter threat model, every factor explained

Options:
  --agent NAME         the agent's name (default: the repository's folder name); its id is made from it
  --from-listing FILE  start the threat model from an agent listing (as aivss-gate convert does)
  --root DIR           the repository root (default: the current directory)

A file that exists already is left as it is. Exit status: 0 done, 2 a usage error.
`;

/** Where editors and readers find the schemas and the factor rubric of this version: the published package. */
const PACKAGE_URL = `https://unpkg.com/aivss-gate@${VERSION}`;
export const SCHEMA_URLS = {
  config: `${PACKAGE_URL}/schema/config.schema.json`,
  threatModel: `${PACKAGE_URL}/schema/threat-model.schema.json`,
};
export const RUBRIC_URL = `${PACKAGE_URL}/docs/factors.md`;

class InitError extends Error {}

export async function runInit(args: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        agent: { type: 'string' },
        'from-listing': { type: 'string' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(INIT_HELP);
      return 0;
    }
    if (positionals.length > 0) throw new InitError(`init takes no arguments, only options: "${plainText(positionals[0]!, 40)}"`);
    const root = path.resolve(io.cwd, values.root ?? '.');
    await requireRepository(root);
    const files = await plannedFiles(root, values.agent, values['from-listing'], io.cwd);
    for (const [file, text] of files) {
      const written = await writeNew(root, file, text);
      io.stdout.write(written ? `wrote ${file}\n` : `skipped ${file}: it exists, left as it is\n`);
    }
    io.stdout.write(NEXT_STEPS);
    return 0;
  } catch (error) {
    const usage =
      error instanceof InitError ||
      (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'));
    if (!usage) throw error;
    io.stderr.write(`aivss-gate: init: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  }
}

const NEXT_STEPS = `
Next:
  1. describe the agent and its threats in the threat model, and give it a CVSS v4.0 base (aivss.cvss)
  2. npx aivss-gate check      prints the report the pull-request comment will show
  3. commit, push, and make the "AIVSS gate" check required for the default branch
Factor rubric: ${RUBRIC_URL}
`;

async function requireRepository(root: string): Promise<void> {
  if (!(await stat(root).catch(() => null))?.isDirectory()) throw new InitError(`${plainText(root)} is not a folder`);
  // .git is a folder in a clone and a file in a worktree or a submodule.
  if (!(await stat(path.join(root, '.git')).catch(() => null))) {
    throw new InitError(`${plainText(root)} is not the root of a git repository: run it where .git is, or pass --root`);
  }
}

/** Each file init writes, by path relative to the root, in the order it writes them. */
async function plannedFiles(
  root: string,
  agent: string | undefined,
  listing: string | undefined,
  cwd: string,
): Promise<[string, string][]> {
  const name = (agent ?? (listing === undefined ? path.basename(root) : undefined))?.trim();
  if (name !== undefined && agentId(name) === '')
    throw new InitError(`the agent name "${plainText(name, 40)}" has no letter or digit to make an id of: pass --agent NAME`);
  if (name !== undefined && name.length > 200) throw new InitError('the agent name is at most 200 characters');
  const model = listing === undefined ? starterModel(name!) : await convertedListing(listing, path.resolve(cwd, listing), name);
  return [
    [DEFAULT_CONFIG_FILE, CONFIG],
    ['.github/workflows/aivss-gate.yml', WORKFLOW],
    [`threat-models/${model.id}.threat-model.yaml`, model.text],
  ];
}

/** The listing as a native threat model; `file` is as the user wrote it, for messages, and `absolute` is read. */
async function convertedListing(file: string, absolute: string, name: string | undefined): Promise<{ id: string; text: string }> {
  const result = await readListing(absolute);
  if (!result.ok) {
    const [first] = result.problems;
    const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more problems)` : '';
    throw new InitError(`${plainText(file)}${first!.line ? `:${first!.line}` : ''}: ${plainText(first!.message, 300)}${more}`);
  }
  const model = result.model;
  if (name !== undefined) model.agent = { ...model.agent, id: agentId(name), name };
  return {
    id: model.agent.id,
    text: toNativeYaml(model, { source: path.basename(file), schema: SCHEMA_URLS.threatModel, rubric: RUBRIC_URL }),
  };
}

/** An agent id from a name: lower-case letters, digits, ".", "_" and "-", as the threat-model schema allows. */
function agentId(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 64)
    .replace(/^[._-]+|[._-]+$/g, '');
}

/** Creates the file and the folders above it; false when the file exists, which it never replaces. */
async function writeNew(root: string, file: string, text: string): Promise<boolean> {
  const absolute = path.join(root, file);
  try {
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, text, { flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EEXIST from mkdir would mean a file stands where a folder must be: writeFile's EEXIST is the only skip.
    if (code === 'EEXIST' && (await stat(absolute).catch(() => null))?.isFile()) return false;
    throw new InitError(`${plainText(file)} cannot be written (${code ?? 'error'})`);
  }
}

const CONFIG = `# yaml-language-server: $schema=${SCHEMA_URLS.config}
#
# aivss-gate's policy for this repository. The action and the CLI read it; every key is optional.
# Pull requests are judged under the stricter of this file on the base branch and on the pull request.

# Where the threat models are (glob patterns from the repository root).
include:
  - threat-models/**
  - '**/*.threat-model.{yaml,yml,json,md,txt}'
# A model fails at or above this: critical (9.0), high (7.0), medium (4.0), low (0.1), or a score such as 7.5.
fail-on: high
# What a model without a CVSS base does: fail or warn.
on-unscored: fail
# What a file that cannot be read or validated does: fail or warn.
on-invalid: fail
# Accepted risks, each with an owner and an expiry date:
# waivers:
#   - model: my-agent
#     owner: '@security-team'
#     reason: why the risk is accepted
#     expires: 2027-01-31
`;

/** The README's workflow (docs/workflows/pull-request.yml): the test keeps them identical. */
export const WORKFLOW = `name: AIVSS gate

on:
  pull_request:

permissions: {}

concurrency:
  group: aivss-gate-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  aivss-gate:
    runs-on: ubuntu-latest
    permissions:
      contents: read         # read the threat models, and the base commit when git does not have it
      pull-requests: write   # the sticky comment; without it the gate still works
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
          fetch-depth: 0       # the base commit, for the comparison, read by git with no API call
      - uses: OWNER/aivss-gate@v1   # pin a commit SHA, as for checkout above
`;

function starterModel(name: string): { id: string; text: string } {
  const id = agentId(name);
  return {
    id,
    text: `# yaml-language-server: $schema=${SCHEMA_URLS.threatModel}
#
# A starter threat model for one AI agent, written by aivss-gate init. Replace every "TODO".
# Until aivss.cvss is set the model is unscored, and the check fails on it (on-unscored: fail).
formatVersion: 1
agent:
  id: ${JSON.stringify(id)}   # stable: the report and the comparison with the base branch match models by it
  name: ${JSON.stringify(name)}
  description: TODO what the agent does, what it can reach, and who gives it input.
aivss:
  # The ten OWASP AIVSS agentic risk factors, each 0 (absent), 0.5 (present but constrained) or 1 (a primary,
  # unconstrained feature); any value in between is accepted. They start at 1, the worst case: lower each one
  # you can justify. The rubric: ${RUBRIC_URL}
  factors:
    autonomy: 1              # acts without a human's approval? 0 = a human approves every action
    planning: 1              # makes and runs multi-step plans? 0 = single-step
    self-modification: 1     # changes its own code, prompts, goals or weights? 0 = never
    tool-use: 1              # breadth and privilege of its tools and APIs; 0 = no tools
    memory: 1                # memory that shapes later actions? 0 = stateless
    context: 1               # how much outside input steers it; 0 = no outside context
    identity: 1              # shifts roles, identities or permissions? 0 = one fixed identity
    multi-agent: 1           # works with other agents? 0 = a single agent
    non-determinism: 1       # how unpredictable its behaviour is; 0 = schema-validated input and output
    opacity: 1               # how little of its reasoning can be seen; 0 = every decision logged
  # TODO the CVSS v4.0 base of the worst thing the agent could be made to do, as a vector or a number:
  # cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N
  threatMultiplier: poc      # exploit maturity: attacked | poc (the default) | unreported
  mitigationFactor: none     # none (the default) | partial | strong: how well the controls below hold
# The seven MAESTRO layers, all required. Set each to mapped (threats listed), uncertain or not-applicable.
layers:
  L1:                        # Foundation Models: the model, its prompts, jailbreaks and injected instructions
    status: uncertain
    summary: TODO which model the agent uses, and how its instructions can be subverted.
    threats:
      - id: ${JSON.stringify(`${id.toUpperCase().slice(0, 60)}-1`)}
        title: TODO a threat, e.g. injected instructions in user input make the agent act against its owner
        severity: high       # critical | high | medium | low
        likelihood: medium   # high | medium | low
        status: open         # open | mitigated | accepted
        tags: [T6]           # OWASP ASI T1-T17, ASI Top 10 ASI01-ASI10, MITRE ATLAS AML.T####
        mitigations:
          - title: TODO what limits it
            status: planned  # planned | in-progress | implemented
  L2:                        # Data Operations: what it reads, stores and retrieves
    status: uncertain
  L3:                        # Agent Frameworks: the loop, its tools and their permissions
    status: uncertain
  L4:                        # Deployment & Infrastructure: where it runs and with which credentials
    status: uncertain
  L5:                        # Evaluation & Observability: logs, monitoring, tests of its behaviour
    status: uncertain
  L6:                        # Security & Compliance: access control, audit, policy
    status: uncertain
  L7:                        # Agent Ecosystem: other agents, plugins, marketplaces, users
    status: uncertain
`,
  };
}
