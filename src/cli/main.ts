import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, exitStatus, gate, type GateRequest } from '../engine.js';
import { GitError, gitTree } from '../discover/git.js';
import { decode } from '../discover/read.js';
import { parseThreatModel } from '../parse/index.js';
import type { Problem } from '../spec/problem.js';
import { ConfigError } from '../policy/config.js';
import { OptionError, readOptions } from '../policy/options.js';
import { plainText } from '../render/escape.js';
import { JSON_SCHEMAS, type SchemaName } from '../render/json-schema.js';
import { renderMarkdown } from '../render/markdown.js';
import { toNativeYaml } from '../render/native-yaml.js';
import { renderText } from '../render/text.js';
import type { Report } from '../report/schema.js';
import { validateThreatModel } from '../validate/index.js';
import { VERSION } from '../version.js';

export interface Io {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

const HELP = `aivss-gate ${VERSION}: score AI-agent threat models with OWASP AIVSS and gate on the result

Usage:
  aivss-gate check [paths...] [options]   score the threat models and decide the verdict
  aivss-gate diff <base-ref> [<head-ref>] [options]
                                          compare with a base commit, as on a pull request: the working
                                          tree (or <head-ref>) under the stricter of both policies
  aivss-gate convert <listing> [--output FILE] [--schema URL]
                                          write an agent listing as a native YAML threat model
  aivss-gate schema [threat-model|config|report]
                                          print a JSON Schema
  aivss-gate --help | --version

check options:
  --config FILE        config file (default .aivss-gate.yml when it exists)
  --fail-on LEVEL      critical, high, medium, low, or a score such as 7.5 (default high)
  --on-unscored MODE   fail or warn: what a model without a CVSS base does (default fail)
  --on-invalid MODE    fail or warn: what an unreadable or invalid file does (default fail)
  --on-removed MODE    fail or warn: what removing a model or emptying a layer does (diff; default fail)
  --formula VERSION    v0.8 (default) or v0.5
  --warn-only          report the verdict but exit 0
  --format FORMAT      text (default), markdown (the pull-request comment) or json
  --output FILE        write the report to FILE instead of standard output
  --root DIR           repository root (default: the current directory)

Paths are files or directories; without them, the include patterns of the config are used.
Exit status: 0 pass, 1 the verdict failed, 2 a usage or config error.
`;

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'diff':
        return await runDiff(rest, io);
      case 'convert':
        return await runConvert(rest, io);
      case 'schema':
        return runSchema(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.pass;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(HELP);
        return EXIT.pass;
      default:
        throw new UsageError(`unknown command "${plainText(command, 40)}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof OptionError || isArgsError(error)) {
      io.stderr.write(
        `aivss-gate: ${(error as Error).message}\n${error instanceof ConfigError ? '' : 'Run aivss-gate --help for usage.\n'}`,
      );
      return EXIT.usage;
    }
    throw error;
  }
}

function isArgsError(error: unknown): boolean {
  return error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

const REPORT_OPTIONS = {
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  'on-unscored': { type: 'string' },
  'on-invalid': { type: 'string' },
  'on-removed': { type: 'string' },
  formula: { type: 'string' },
  'warn-only': { type: 'boolean' },
  format: { type: 'string', default: 'text' },
  output: { type: 'string' },
  root: { type: 'string' },
} as const;

type ReportValues = ReturnType<typeof parseArgs<{ options: typeof REPORT_OPTIONS; allowPositionals: true }>>['values'];

/** What check and diff share: the root, the config file and the policy flags. */
function gateRequest(values: ReportValues, io: Io): GateRequest {
  return {
    root: path.resolve(io.cwd, values.root ?? '.'),
    configFile: values.config,
    overrides: readOptions({ ...values, 'warn-only': values['warn-only'] ? 'true' : undefined }, (option) => `--${option}`),
    pathsName: 'a path to check',
  };
}

async function runCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPORT_OPTIONS });
  const report = await gate({ ...gateRequest(values, io), paths: positionals.map((p) => path.resolve(io.cwd, p)) });
  return emitReport(report, values, io);
}

async function runDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPORT_OPTIONS });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('diff takes a base revision and, optionally, a head revision');
  const request = gateRequest(values, io);
  const [baseRef, headRef] = positionals as [string, string | undefined];
  let report;
  try {
    report = await gate({
      ...request,
      base: () => gitTree(request.root, baseRef),
      head: headRef === undefined ? undefined : () => gitTree(request.root, headRef),
    });
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(error.message);
    throw error;
  }
  return emitReport(report, values, io);
}

async function emitReport(report: Report, values: ReportValues, io: Io): Promise<number> {
  const format = values.format;
  if (format !== 'text' && format !== 'markdown' && format !== 'json') {
    throw new UsageError(`--format is text, markdown or json, not "${plainText(format ?? '', 40)}"`);
  }
  const color = format === 'text' && values.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const rendered =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'markdown'
        ? renderMarkdown(report)
        : renderText(report, { color });
  await emit(rendered, values.output, io);
  return exitStatus(report);
}

async function runConvert(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string' }, schema: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('convert takes one listing file');
  const file = positionals[0]!;
  const read = decode(await readFile(path.resolve(io.cwd, file)));
  if (!read.ok) throw new UsageError(`${file} ${read.message}`);
  const parsed = parseThreatModel(read.text);
  if (!parsed.ok || parsed.parsed.format !== 'listing') {
    return printProblems(
      file,
      parsed.ok ? [{ line: null, message: 'is not an agent listing (it reads as a native threat model already)' }] : parsed.problems,
      io,
    );
  }
  const validated = validateThreatModel(parsed.parsed);
  if (!validated.ok) return printProblems(file, validated.problems, io);
  await emit(toNativeYaml(validated.model, { source: path.basename(file), schema: values.schema }), values.output, io);
  return EXIT.pass;
}

function printProblems(file: string, problems: readonly Problem[], io: Io): number {
  io.stderr.write(problems.map((p) => `${plainText(file)}${p.line ? `:${p.line}` : ''}: ${plainText(p.message, 400)}\n`).join(''));
  return EXIT.fail;
}

function runSchema(args: string[], io: Io): number {
  const name = (args[0] ?? 'threat-model') as SchemaName;
  if (!Object.hasOwn(JSON_SCHEMAS, name)) throw new UsageError(`schema is one of ${Object.keys(JSON_SCHEMAS).join(', ')}`);
  io.stdout.write(`${JSON.stringify(JSON_SCHEMAS[name](), null, 2)}\n`);
  return EXIT.pass;
}

async function emit(text: string, output: string | undefined, io: Io): Promise<void> {
  if (output === undefined) io.stdout.write(text);
  else await writeFile(path.resolve(io.cwd, output), text);
}
