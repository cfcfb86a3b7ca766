import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { EXIT, exitStatus, gate, type GateRequest } from '../engine.js';
import { GitError, gitTree } from '../discover/git.js';
import { decode, relativeInside } from '../discover/read.js';
import { parseThreatModel } from '../parse/index.js';
import { place, type Problem } from '../spec/problem.js';
import { ConfigError } from '../policy/config.js';
import { OptionError, readOptions } from '../policy/options.js';
import { plainText } from '../render/escape.js';
import { logLines } from '../render/log.js';
import { JSON_SCHEMAS, type SchemaName } from '../render/json-schema.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderSarif } from '../render/sarif.js';
import { toNativeYaml } from '../render/native-yaml.js';
import { listingModel } from './listing.js';
import { renderText, verdictLine } from '../render/text.js';
import type { Report } from '../report/schema.js';
import { validateThreatModel } from '../validate/index.js';
import type { ThreatModel } from '../validate/schema.js';
import { VERSION } from '../version.js';
import { runInit } from './init.js';

export interface Io {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}
/** A file or folder named on the command line that cannot be used: no usage hint, the message says it all. */
class FileError extends Error {}

const HELP = `aivss-gate ${VERSION}: score AI-agent threat models with OWASP AIVSS and gate on the result

Usage:
  aivss-gate init [--agent NAME] [--from-listing FILE]
                                          set up a repository: the policy, the workflow and a starter
                                          threat model (aivss-gate init --help)
  aivss-gate check [paths...] [options]   score the threat models and decide the verdict
  aivss-gate diff <base-ref> [<head-ref>] [options]
                                          compare with a base commit, as on a pull request: the working
                                          tree (or <head-ref>) under the stricter of both policies
  aivss-gate convert <listing> [--output FILE] [--replace] [--schema URL]
                                          write an agent listing as a native YAML threat model;
                                          --replace writes it beside the listing (or to --output)
                                          and removes the listing once the new file validates
  aivss-gate schema [threat-model|config|report]
                                          print a JSON Schema
  aivss-gate --help | --version

check options:
  --config FILE        config file (default .aivss-gate.yml when it exists)
  --fail-on LEVEL      critical, high, medium, low, or a score such as 7.5 (default high)
  --on-unscored MODE   fail or warn: what a model without a CVSS base does (default fail)
  --on-invalid MODE    fail or warn: what an unreadable or invalid file does (default fail)
  --on-removed MODE    fail or warn: what removing a model, emptying a layer or losing a score does (diff; default fail)
  --formula VERSION    v0.8 (default) or v0.5
  --warn-only          report the verdict but exit 0
  --format FORMAT      text (default), markdown (the pull-request comment), json or sarif (code scanning)
  --output FILE        write the report to FILE instead of standard output (the verdict line is still printed)
  --root DIR           repository root (default: the current directory); paths and --config are relative to it

Paths are files or directories under --root; without them, the include patterns of the config are used.
<command> --help shows the usage of one command.
Exit status: 0 pass, 1 the verdict failed, 2 a usage or config error.
`;

const OPTIONS_HELP = HELP.slice(HELP.indexOf('check options:\n') + 'check options:\n'.length, HELP.indexOf('\nPaths are files'));

/** The usage of one command, for `<command> --help`. */
const COMMAND_HELP: Readonly<Record<'check' | 'diff' | 'convert' | 'schema', string>> = {
  check: `Usage: aivss-gate check [paths...] [options]

Score the threat models and decide the verdict. Paths are files or directories under --root; without them, the
include patterns of the config are used.

Options:
${OPTIONS_HELP}
Exit status: 0 pass, 1 the verdict failed, 2 a usage or config error.
`,
  diff: `Usage: aivss-gate diff <base-ref> [<head-ref>] [options]

Compare with a base commit, as on a pull request: the working tree (or <head-ref>) judged under the stricter of
both policies, with what changed.

Options:
${OPTIONS_HELP}
Exit status: 0 pass, 1 the verdict failed, 2 a usage or config error.
`,
  convert: `Usage: aivss-gate convert <listing> [--output FILE] [--replace] [--schema URL]

Write an agent listing as a native YAML threat model (standard output, or --output FILE). --replace writes it
beside the listing (or to --output) and removes the listing once the new file validates. --schema names the
JSON Schema for editors.
`,
  schema: `Usage: aivss-gate schema [threat-model|config|report]

Print a JSON Schema: of a threat model (the default), of the config file, or of the JSON report.
`,
};

/** `<command> --help` or `-h`, anywhere among its arguments, prints that command's usage. */
function commandHelp(command: keyof typeof COMMAND_HELP, args: readonly string[], io: Io): boolean {
  if (!args.includes('--help') && !args.includes('-h')) return false;
  io.stdout.write(COMMAND_HELP[command]);
  return true;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'init':
        return await runInit(rest, io);
      case 'check':
      case 'diff':
      case 'convert':
      case 'schema':
        if (commandHelp(command, rest, io)) return EXIT.pass;
        return await COMMANDS[command](rest, io);
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
    // Config problems quote keys from the file: every line goes through the log-safe writer, and none is a stack.
    io.stderr.write(logLines(errorLines(error)));
    if (error instanceof UsageError || error instanceof OptionError || isArgsError(error))
      io.stderr.write('Run aivss-gate --help for usage.\n');
    return EXIT.usage;
  }
}

const COMMANDS = {
  check: (args: string[], io: Io) => runCheck(args, io),
  diff: (args: string[], io: Io) => runDiff(args, io),
  convert: (args: string[], io: Io) => runConvert(args, io),
  schema: async (args: string[], io: Io) => runSchema(args, io),
} as const;

/** What went wrong, one line per problem, without a stack trace. */
function errorLines(error: unknown): string[] {
  if (error instanceof ConfigError) return error.lines;
  if (error instanceof OptionError) return error.message.split('\n');
  if (error instanceof UsageError || error instanceof FileError || isArgsError(error) || isSystemError(error)) {
    return [(error as Error).message];
  }
  return [`unexpected error: ${error instanceof Error ? error.message : String(error)}`];
}

/** A file system error (no such file or folder, no permission...): Node's message names the call and the path. */
function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
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
async function gateRequest(values: ReportValues, io: Io): Promise<GateRequest> {
  const root = await rootOf(values, io);
  return {
    root,
    configFile: configOf(values, root),
    overrides: readOptions({ ...values, 'warn-only': values['warn-only'] ? 'true' : undefined }, (option) => `--${option}`),
    pathsName: 'a path to check',
  };
}

async function runCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPORT_OPTIONS });
  const request = await gateRequest(values, io);
  // Paths are relative to --root, like --config: `check --root repo threat-models` reads repo/threat-models.
  const report = await gate({ ...request, paths: positionals.map((p) => path.resolve(request.root, p)) });
  return emitReport(report, values, io);
}

async function runDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPORT_OPTIONS });
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('diff takes a base revision and, optionally, a head revision');
  const request = await gateRequest(values, io);
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
  if (format !== 'text' && format !== 'markdown' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format is text, markdown, json or sarif, not "${plainText(format ?? '', 40)}"`);
  }
  const color = format === 'text' && values.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
  const rendered =
    format === 'json' || format === 'sarif'
      ? `${JSON.stringify(format === 'json' ? report : renderSarif(report), null, 2)}\n`
      : format === 'markdown'
        ? renderMarkdown(report)
        : renderText(report, { color });
  await emit(rendered, values.output, io);
  // The report went to a file: the verdict is still said where the command was run.
  if (values.output !== undefined)
    io.stdout.write(`${verdictLine(report, { color: false })} (report in ${plainText(values.output, 200)})\n`);
  return exitStatus(report);
}

async function runConvert(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string' }, schema: { type: 'string' }, replace: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('convert takes one listing file');
  const file = positionals[0]!;
  const read = decode(await readFile(path.resolve(io.cwd, file)).catch(failedTo('read', file)));
  if (!read.ok) throw new FileError(`${file} ${read.message}`);
  const listing = listingModel(read.text);
  if (!listing.ok) return printProblems(file, listing.problems, io);
  const yaml = toNativeYaml(listing.model, { source: path.basename(file), schema: values.schema });
  if (values.replace) return replaceListing(file, listing.model, yaml, values.output, io);
  await emit(yaml, values.output, io);
  return EXIT.pass;
}

/**
 * Writes the native file and removes the listing, so that one file describes the agent: beside the listing as
 * <agent id>.threat-model.yaml unless --output names the file. The listing is removed only once the new file has
 * been read back and validates to the same model.
 */
async function replaceListing(file: string, model: ThreatModel, yaml: string, output: string | undefined, io: Io): Promise<number> {
  const listing = path.resolve(io.cwd, file);
  const target =
    output === undefined ? path.join(path.dirname(listing), `${model.agent.id}.threat-model.yaml`) : path.resolve(io.cwd, output);
  const shown = path.relative(io.cwd, target) || target;
  try {
    // Without --output, never overwrite a file that is already there.
    await writeFile(target, yaml, { flag: output === undefined ? 'wx' : 'w' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${plainText(shown)} exists already; name the native file with --output`);
    throw new UsageError(`cannot write ${plainText(shown)} (${code ?? (error as Error).message}); ${plainText(file)} was kept`);
  }
  const written = decode(await readFile(target));
  const reparsed = written.ok ? parseThreatModel(written.text) : null;
  const revalidated = reparsed?.ok && reparsed.parsed.format === 'native' ? validateThreatModel(reparsed.parsed) : null;
  if (!revalidated?.ok || !isDeepStrictEqual(revalidated.model, model)) {
    return printProblems(shown, [{ line: null, message: `does not read back as the listing's model; ${file} was kept` }], io);
  }
  if (target !== listing) await unlink(listing);
  io.stdout.write(`wrote ${plainText(shown)}${target !== listing ? `; removed ${plainText(file)}` : ''}\n`);
  return EXIT.pass;
}

function printProblems(file: string, problems: readonly Problem[], io: Io): number {
  io.stderr.write(logLines(problems.map((p) => `${file}${place(p)}: ${p.message}`)));
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
  else await writeFile(path.resolve(io.cwd, output), text).catch(failedTo('write', output));
}

/** The repository root, which must be a folder that exists. */
async function rootOf(values: ReportValues, io: Io): Promise<string> {
  const root = path.resolve(io.cwd, values.root ?? '.');
  const isFolder = await stat(root).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new FileError(`--root: ${root} is not a folder that exists`);
  return root;
}

/** The --config file, relative to the root (or absolute), which it may not leave. */
function configOf(values: ReportValues, root: string): string | undefined {
  if (values.config === undefined) return undefined;
  const file = relativeInside(root, values.config);
  if (file === null) throw new UsageError(`--config: ${values.config} is outside the repository root ${root}`);
  return file;
}

const SYSTEM_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it or its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
};

/** A file that cannot be read or written is named, with the reason in words. */
const failedTo = (verb: string, file: string) => (error: NodeJS.ErrnoException) => {
  throw new FileError(`cannot ${verb} ${file}: ${SYSTEM_REASONS[error.code ?? ''] ?? error.code ?? error.message}`);
};
