/**
 * The CLI commands as in-process functions (lab-design §4). `main.ts` only wires argv, stdout/stderr and the exit
 * code; tests call `runCli` with their own output sinks and, if they wish, their own engine.
 *
 * Exit codes:
 * - `lab eval`: 0 every request with an `expect` passed; 1 one did not; 2 unreadable or invalid input.
 * - `lab lint`: 0 no ERROR finding; 1 at least one ERROR finding (a JSON syntax error in the policy is an ERROR
 *   finding too); 2 unreadable input or bad usage.
 * - `lab lessons check`: 0 every lesson checks out (or there are none yet); 1 problems were found; 2 bad usage.
 */
import type { EvaluationResult, Finding, PolicyId, PolicyType } from '../engine/types';
import { formatLocatedError, formatLocatedWarning, loadScenario, type LocatedError } from '../scenario/load';
import type { RequestSpec, Scenario } from '../scenario/types';
import { expandInputs, readTextFile } from './files';
import { renderTable } from './table';
import { policyNameWarnings, rejectedPolicyErrors } from './warnings';
import { rejectionsOf } from '../engine/lint/rejected';
import { expectationMismatch } from '../engine/expectation';
import { withFilePositions, withFileRanges } from './positions';
import { REPLAY_USAGE, replayCommand } from './replay';
import { KMS_USAGE, kmsCommand } from './kms-command';
import { ENVELOPE_USAGE, envelopeCommand } from './envelope';
import { LESSONS_USAGE, lessonsCheck } from './lessons-check';

/** What the CLI needs from the engine (the real one is wired in main.ts). */
export interface CliEngine {
  evaluateScenario(scenario: Scenario, sources: Record<PolicyId, string>): EvaluationResult[];
  lintPolicy(text: string, type: PolicyType): Finding[];
}

export interface CliContext {
  cwd: string;
  /** The project root, where `lessons/` lives. */
  root: string;
  stdout(text: string): void;
  stderr(text: string): void;
  engine: CliEngine;
  /** Binary stdin and stdout for `lab envelope` (default: the process's own). */
  stdin?: AsyncIterable<Uint8Array>;
  writeStdout?(bytes: Uint8Array): Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

const POLICY_TYPES: readonly PolicyType[] = [
  'key',
  'identity',
  'boundary',
  'session',
  'scp',
  'rcp',
  'endpoint',
];
type Format = 'json' | 'table';

export const USAGE = `KMS Policy Lab: decide and explain who may use an AWS KMS key.

Usage:
  lab eval <scenario.json | folder>... [--format json|table]
      Evaluate every request of each scenario file (a folder means every *.json inside it, recursively,
      except index.json). Prints one result set per file: JSON by default, a table with --format table.
      Exit 0 when every request with "expect" passed, 1 when one did not, 2 for unreadable or invalid
      input (the problems are printed on stderr as file:line:column  $.json.path: message).
      Warnings (unknown fields, parameters an operation does not read, misspelt condition keys) go to
      stderr as file:line:column  $.json.path: warning: message, and do not change the exit code. A
      request that meets a policy AWS would refuse fails with MalformedPolicyDocumentException.

  lab lint <policy.json>... --type key|identity|boundary|session|scp|rcp|endpoint [--format json|table]
      Validate policy documents like IAM Access Analyzer. Exit 0 when no finding is an ERROR, 1 when one
      is (a JSON syntax error in the policy is an ERROR finding), 2 for unreadable input or bad usage.

${REPLAY_USAGE}
${KMS_USAGE}
${ENVELOPE_USAGE}
${LESSONS_USAGE}

  lab --help
`;

/** Runs one CLI invocation; resolves to the exit code. Never throws for bad input. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    context.stdout(USAGE);
    return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  // replay has options of its own (--scenario, --format csv, --limit).
  if (command === 'replay' && !rest.includes('--help') && !rest.includes('-h'))
    return replayCommand(rest, context);
  // kms serve | trail | run have options of their own.
  if (command === 'kms' && !rest.includes('--help') && !rest.includes('-h')) return kmsCommand(rest, context);
  // envelope encrypt | decrypt | inspect read binary input and have options of their own.
  if (command === 'envelope' && !rest.includes('--help') && !rest.includes('-h'))
    return envelopeCommand(rest, context);
  const parsed = parseOptions(rest);
  if (!parsed.ok) return usageError(context, parsed.message);
  if (parsed.options.help) {
    context.stdout(USAGE);
    return EXIT_OK;
  }
  switch (command) {
    case 'eval':
      return evalCommand(parsed.positional, parsed.options, context);
    case 'lint':
      return lintCommand(parsed.positional, parsed.options, context);
    case 'lessons':
      return lessonsCommand(parsed.positional, context);
    default:
      return usageError(context, `unknown command "${command}"`);
  }
}

interface Options {
  format: Format;
  type?: string;
  help: boolean;
}

function parseOptions(
  args: string[],
): { ok: true; positional: string[]; options: Options } | { ok: false; message: string } {
  const positional: string[] = [];
  const options: Options = { format: 'json', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name !== 'format' && name !== 'type') return { ok: false, message: `unknown option --${name}` };
    const value = inline ?? args[++i];
    if (value === undefined) return { ok: false, message: `--${name} needs a value` };
    if (name === 'format') {
      if (value !== 'json' && value !== 'table')
        return { ok: false, message: `--format must be json or table, not "${value}"` };
      options.format = value;
    } else {
      options.type = value;
    }
  }
  return { ok: true, positional, options };
}

function usageError(context: CliContext, message: string): number {
  context.stderr(`lab: ${message}\nRun "lab --help" for usage.\n`);
  return EXIT_BAD_INPUT;
}

// ---- lab eval ----

export interface FileResults {
  file: string;
  title?: string;
  /** Remarks from loading, e.g. a migration from an older version. */
  notes?: string[];
  results: EvaluationResult[];
  summary: { requests: number; withExpect: number; passed: number; failed: number };
}

async function evalCommand(inputs: string[], options: Options, context: CliContext): Promise<number> {
  if (inputs.length === 0) return usageError(context, 'eval needs at least one scenario file or folder');
  const { files, problems } = await expandInputs(inputs, context.cwd);
  let badInput = problems.length > 0;
  for (const problem of problems) context.stderr(`${problem.input}: ${problem.message}\n`);

  const evaluated: Evaluated[] = [];
  for (const file of files) {
    const outcome = await evaluateFile(file, context);
    printProblems(outcome, context);
    if ('errors' in outcome) {
      badInput = true;
      for (const error of outcome.errors) context.stderr(formatLocatedError(error) + '\n');
    } else {
      evaluated.push(outcome);
    }
  }

  const sets = evaluated.map((e) => e.set);
  context.stdout(
    options.format === 'table'
      ? evaluated.map(evalTable).join('\n\n') + '\n'
      : JSON.stringify(sets, null, 2) + '\n',
  );
  if (badInput) return EXIT_BAD_INPUT;
  return sets.every((set) => set.summary.failed === 0) ? EXIT_OK : EXIT_FAILED;
}

interface Evaluated extends FileProblems {
  set: FileResults;
  /** The scenario's requests by id, for the table's principal and action columns. */
  requests: Map<string, RequestSpec>;
}

/** What is said on stderr beside a file's results (src/cli/warnings.ts); warnings leave the exit code alone. */
interface FileProblems {
  warnings?: LocatedError[];
  /** Problems of policies AWS would refuse, that requests met (their requests fail, so do their `expect`s). */
  rejections?: LocatedError[];
}

function printProblems(outcome: FileProblems, context: CliContext): void {
  for (const warning of outcome.warnings ?? []) context.stderr(formatLocatedWarning(warning) + '\n');
  for (const problem of outcome.rejections ?? [])
    context.stderr(formatLocatedError({ ...problem, message: `error: ${problem.message}` }) + '\n');
}

async function evaluateFile(
  file: string,
  context: CliContext,
): Promise<Evaluated | ({ errors: LocatedError[] } & FileProblems)> {
  const located = (message: string): { errors: LocatedError[] } => ({
    errors: [{ file, path: [], line: 1, column: 1, message }],
  });
  // UTF-8 (with or without a BOM) or UTF-16 with a BOM; a bad byte is located (files.ts).
  const read = await readTextFile(file, context.cwd);
  if (!read.ok)
    return {
      errors: [{ file, path: [], line: read.line ?? 1, column: read.column ?? 1, message: read.message }],
    };
  const loaded = loadScenario(read.text, file);
  if (!loaded.ok) return { errors: loaded.errors, warnings: loaded.warnings };
  let results: EvaluationResult[];
  try {
    results = context.engine.evaluateScenario(loaded.scenario, loaded.sources);
  } catch (error) {
    return located(
      `the engine failed on this scenario (a lab bug): ${(error as Error).message ?? String(error)}`,
    );
  }
  // The engine places problems inside each policy's text; the file is what the user has open.
  results = withFileRanges(loaded, withFilePositions(file, read.text, loaded, results));
  const withExpect = results.filter((r) => r.expect !== undefined);
  const passed = withExpect.filter((r) => r.pass === true).length;
  const set: FileResults = {
    file,
    ...(loaded.scenario.title !== undefined ? { title: loaded.scenario.title } : {}),
    ...(loaded.notes.length > 0 ? { notes: loaded.notes } : {}),
    results,
    summary: {
      requests: results.length,
      withExpect: withExpect.length,
      passed,
      failed: withExpect.length - passed,
    },
  };
  return {
    set,
    requests: new Map((loaded.scenario.requests ?? []).map((r) => [r.id, r])),
    warnings: [...loaded.warnings, ...policyNameWarnings(file, loaded, context.engine.lintPolicy)],
    rejections: rejectedPolicyErrors(file, read.text, loaded, results),
  };
}

function evalTable({ set, requests: specs }: Evaluated): string {
  const rows = set.results.map((r) => [
    r.id,
    specs.get(r.id)?.principal ?? '',
    specs.get(r.id)?.action ?? '',
    r.decision,
    r.outcome,
    r.expect ?? '-',
    r.expect === undefined ? '-' : r.pass ? 'pass' : 'FAIL',
  ]);
  const failures = set.results
    .filter((r) => r.expect !== undefined && !r.pass)
    .map((r) => `FAIL ${r.id}: ${expectationMismatch(r)}. ${r.explanation}`);
  const { requests, withExpect, passed, failed } = set.summary;
  return [
    `${set.file}${set.title ? `  (${set.title})` : ''}`,
    ...(set.notes ?? []).map((note) => `note: ${note}`),
    renderTable(['request', 'principal', 'action', 'decision', 'outcome', 'expect', 'pass'], rows),
    ...failures,
    `${requests} request${requests === 1 ? '' : 's'}, ${withExpect} with expect: ${passed} passed, ${failed} failed`,
  ].join('\n');
}

// ---- lab lint ----

async function lintCommand(inputs: string[], options: Options, context: CliContext): Promise<number> {
  if (inputs.length === 0) return usageError(context, 'lint needs a policy file');
  if (!options.type) return usageError(context, `lint needs --type (${POLICY_TYPES.join('|')})`);
  const type = options.type as PolicyType;
  if (!POLICY_TYPES.includes(type))
    return usageError(context, `--type must be one of ${POLICY_TYPES.join(', ')}, not "${options.type}"`);

  let unreadable = false;
  const reports: { file: string; type: PolicyType; findings: Finding[] }[] = [];
  for (const file of inputs) {
    const read = await readTextFile(file, context.cwd);
    if (!read.ok) {
      unreadable = true;
      const at = read.line !== undefined ? `:${read.line}:${read.column}  ` : ': ';
      context.stderr(`${file}${at}${read.message}\n`);
      continue;
    }
    const text = read.text;
    try {
      reports.push({ file, type, findings: context.engine.lintPolicy(text, type) });
    } catch (error) {
      unreadable = true;
      context.stderr(
        `${file}: the linter failed (a lab bug): ${(error as Error).message ?? String(error)}\n`,
      );
    }
  }

  if (options.format === 'table') {
    const rows = reports.flatMap((report) =>
      report.findings.map((f) => [
        `${report.file}:${f.range.start.line}:${f.range.start.column}`,
        f.type,
        f.code,
        f.message,
      ]),
    );
    const count = rows.length;
    context.stdout(
      (count > 0 ? renderTable(['where', 'type', 'code', 'message'], rows) + '\n' : '') +
        `${count} finding${count === 1 ? '' : 's'}\n` +
        reports.map(refusalLine).join(''),
    );
  } else {
    context.stdout(JSON.stringify(reports, null, 2) + '\n');
  }
  if (unreadable) return EXIT_BAD_INPUT;
  return reports.some((report) => report.findings.some((f) => f.type === 'ERROR')) ? EXIT_FAILED : EXIT_OK;
}

/** `key.json: AWS would refuse this policy (…)`, for a policy with findings of the "AWS rejects this" kind. */
function refusalLine(report: { file: string; type: PolicyType; findings: Finding[] }): string {
  const refused = rejectionsOf(report.findings, report.type).length;
  return refused > 0
    ? `${report.file}: AWS would refuse this policy (MalformedPolicyDocumentException): ${refused} finding${refused === 1 ? '' : 's'} of that kind; the lab evaluates no request that meets it\n`
    : '';
}

// ---- lab lessons check ----

async function lessonsCommand(args: string[], context: CliContext): Promise<number> {
  if (args[0] !== 'check' || args.length > 1)
    return usageError(context, 'the lessons command is "lab lessons check"');
  return lessonsCheck(context);
}
