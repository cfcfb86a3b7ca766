import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workingTree } from '../src/discover/tree.js';
import { comparePullRequest, gate } from '../src/engine.js';
import { JSON_SCHEMAS, schemaFile, type SchemaName } from '../src/render/json-schema.js';
import { linkContext } from '../src/render/links.js';
import { renderMarkdown } from '../src/render/markdown.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** Every committed generated file and the content it must have. */
export async function GENERATED(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(JSON_SCHEMAS) as SchemaName[]) {
    files[schemaFile(name)] = `${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`;
  }
  const root = path.resolve('.');
  const report = await gate({ root, overrides: {}, paths: ['examples'], pathsName: 'paths' });
  files['docs/example-comment.md'] = renderMarkdown(report, { commit: COMMIT });
  files['docs/example-pull-request-comment.md'] = await pullRequestExample();
  return files;
}

const example = (file: string) => readFileSync(path.join('examples', file), 'utf8');

/** The text with one change made; it fails loudly when the example no longer has what it changes. */
function edit(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`the example no longer contains ${String(from)}: update test/generated.ts`);
  return changed;
}

function tree(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aivss-example-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return workingTree(root);
}

const POLICY = (failOn: string) =>
  `include: [examples/**]\nfail-on: ${failOn}\nwaivers:\n  - { model: release-ops-agent, layer: L3, threat: ROA-3, owner: "@platform-sec", reason: cluster-admin is removed in Q3, expires: "2999-06-30" }\n`;

/**
 * The comment on a pull request of the examples, from a real comparison: the base is the examples as they were
 * before it (a legacy bot, one more threat, no mitigation claimed, less autonomy), the head is examples/ as it is,
 * and the pull request also raises fail-on.
 */
async function pullRequestExample(): Promise<string> {
  const head = {
    '.aivss-gate.yml': POLICY('critical'),
    ...Object.fromEntries(
      [
        'release-ops-agent.threat-model.yaml',
        'support-agent.threat-model.json',
        'micro-agent.threat-model.yaml',
        'faq-bot.threat-model.yaml',
      ].map((f) => [`examples/${f}`, example(f)]),
    ),
  };
  const roa9 = [
    '      - id: ROA-9',
    '        title: Rollback credentials are readable by every pipeline job',
    '        severity: high',
    '        likelihood: medium',
    '        status: open',
    '',
  ].join('\n');
  const base = {
    '.aivss-gate.yml': POLICY('high'),
    'examples/release-ops-agent.threat-model.yaml': edit(example('release-ops-agent.threat-model.yaml'), '  L6:\n', `${roa9}  L6:\n`),
    'examples/support-agent.threat-model.json': edit(
      example('support-agent.threat-model.json'),
      '"mitigationFactor": "partial"',
      '"mitigationFactor": "none"',
    ),
    'examples/micro-agent.threat-model.yaml': edit(example('micro-agent.threat-model.yaml'), 'autonomy: 0.7', 'autonomy: 0.3'),
    'examples/legacy-bot.threat-model.yaml': edit(
      edit(example('faq-bot.threat-model.yaml'), /id: faq-bot/, 'id: legacy-bot'),
      /name: .*/,
      'name: Legacy Helpdesk Bot',
    ),
  };
  const report = await comparePullRequest({
    base: { ...tree(base), label: 'commit 89abcde' },
    head: tree(head),
    overrides: {},
    today: '2026-12-01',
  });
  const links = linkContext({ server: 'https://github.com', repository: 'OWNER/aivss-gate', sha: COMMIT, runId: 1234567890, prefix: '' });
  return renderMarkdown(report, { commit: COMMIT, links });
}
