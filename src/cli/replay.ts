/**
 * `lab replay --scenario FILE TRAIL…`: decides every KMS call of a CloudTrail trail again under a scenario and
 * reports the calls whose answer would change (src/replay does the work; this file reads arguments and files and
 * writes the report). The trail is streamed: changed calls are written as they are found (JSON, CSV), and the
 * table lists the first `--limit` of them, so memory does not grow with the trail.
 *
 * Exit codes (exitCode): 1 some decision changes, whatever else went wrong; 2 no change found but nothing could be
 * replayed, or some input was unreadable (the scenario, a trail file, a malformed record: the rest is still replayed
 * and reported), so "no change" cannot be trusted; 0 every replayed call answered as AWS did.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadScenario, formatLocatedError, formatLocatedWarning } from '../scenario/load';
import type { EvaluationResult, RejectedPolicy } from '../engine/types';
import { policyNameWarnings, rejectedPolicyErrors } from './warnings';
import {
  describeGroup,
  replayTrail,
  SKIP_REASONS,
  type RecordLocation,
  type ReplayChange,
  type ReplayCounts,
  type ReplayGroup,
  type SkipReason,
  type UnreadableInput,
} from '../replay/index';
import type { CliContext } from './commands';
import { renderTable } from './table';
import { walkTrail } from './trail-files';

type ReplayFormat = 'table' | 'json' | 'csv';

/** Exit codes (like lab eval's: 2 is unreadable input). */
const EXIT_NO_CHANGE = 0;
const EXIT_CHANGED = 1;
const EXIT_BAD_INPUT = 2;

export const REPLAY_USAGE = `  lab replay --scenario <scenario.json> <trail file | folder>... [--format table|json|csv] [--limit N]
      Decide every KMS call of a CloudTrail trail again under the scenario and report the calls whose answer
      would change: AWS allowed them and the scenario denies them, or the reverse. A trail is CloudTrail's
      {"Records": [...]} files (.json or .json.gz, a folder of them walked recursively as in S3), aws
      cloudtrail lookup-events output, or JSON Lines. JSON is the default (one row per changed call, then the
      groups and the summary); CSV has one row per changed call; the table groups the changes by caller and
      action, then lists the first --limit (100) changed calls. The summary line goes to stderr for JSON and CSV.
      Exit 0 when no decision changes, 1 when one does, 2 for unreadable input (the rest is still replayed).
`;

interface ReplayArgs {
  scenario?: string;
  format: ReplayFormat;
  limit: number;
  trails: string[];
}

function parseReplayArgs(args: string[]): { ok: true; args: ReplayArgs } | { ok: false; message: string } {
  const parsed: ReplayArgs = { format: 'json', limit: 100, trails: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') parsed.trails.push(arg);
      else parsed.trails.push(...args.slice(i + 1));
      if (arg === '--') break;
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name !== 'scenario' && name !== 'format' && name !== 'limit')
      return { ok: false, message: `unknown option --${name} for replay` };
    const value = inline ?? args[++i];
    if (value === undefined) return { ok: false, message: `--${name} needs a value` };
    if (name === 'scenario') parsed.scenario = value;
    else if (name === 'format') {
      if (value !== 'table' && value !== 'json' && value !== 'csv')
        return { ok: false, message: `--format must be table, json or csv, not "${value}"` };
      parsed.format = value;
    } else {
      const limit = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(limit))
        return { ok: false, message: `--limit must be a whole number, not "${value}"` };
      parsed.limit = limit;
    }
  }
  if (!parsed.scenario) return { ok: false, message: 'replay needs --scenario <scenario.json>' };
  if (parsed.trails.length === 0)
    return { ok: false, message: 'replay needs at least one CloudTrail file or folder' };
  return { ok: true, args: parsed };
}

/** `lab replay`. Never throws for bad input. */
export async function replayCommand(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseReplayArgs(argv);
  if (!parsed.ok) {
    context.stderr(`lab: ${parsed.message}\nRun "lab --help" for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  const { scenario: scenarioFile, format, limit, trails } = parsed.args;

  let text: string;
  try {
    text = await readFile(path.resolve(context.cwd, scenarioFile!), 'utf8');
  } catch (error) {
    context.stderr(
      `${scenarioFile}:1:1  $: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
    );
    return EXIT_BAD_INPUT;
  }
  const loaded = loadScenario(text, scenarioFile);
  if (!loaded.ok) {
    for (const error of loaded.errors) context.stderr(formatLocatedError(error) + '\n');
    return EXIT_BAD_INPUT;
  }
  // What lab eval says of a scenario, said here too (warnings leave the exit code alone).
  for (const warning of [
    ...loaded.warnings,
    ...policyNameWarnings(scenarioFile!, loaded, context.engine.lintPolicy),
  ])
    context.stderr(formatLocatedWarning(warning) + '\n');

  const closed = watchStdout();
  const write = (chunk: string) => {
    if (!closed.closed) context.stdout(chunk);
  };
  const output = outputFor(format, write, limit);
  let unreadable = false;
  const walk = walkTrail(trails, context.cwd, () => closed.closed);
  try {
    const report = await replayTrail(loaded.scenario, walk.inputs, {
      sources: loaded.sources,
      onChange: (change) => output.change(change),
      onMalformed: (location, message) => context.stderr(formatLocation(location, message) + '\n'),
      onUnreadable: (problem) => {
        unreadable = true;
        context.stderr(formatUnreadable(problem) + '\n');
      },
      // A policy AWS would refuse to store can never be in force: the replay cannot test it (exit 2).
      onRejectedPolicy: (policy: RejectedPolicy) => {
        if (policy.policyId === undefined) return; // a call's own new policy (PutKeyPolicy): not the scenario's
        unreadable = true;
        for (const problem of rejectedPolicyErrors(scenarioFile!, text, loaded, [resultMeeting(policy)]))
          context.stderr(formatLocatedError({ ...problem, message: `error: ${problem.message}` }) + '\n');
      },
      stop: () => closed.closed,
    });
    for (const problem of walk.problems) {
      unreadable = true;
      context.stderr(`${problem.input}: ${problem.message}\n`);
    }
    if (closed.closed) return exitCode(report.counts, unreadable);
    const summary = summaryLine(report.counts, walk.files());
    output.end(report.groups, report.counts, summary);
    if (format !== 'table') context.stderr(summary + '\n');
    return exitCode(report.counts, unreadable);
  } finally {
    closed.release();
  }
}

/**
 * Whether stdout's reader has gone (`lab replay … | head`): the replay then stops quietly instead of dying on
 * EPIPE. (A test's output sink never closes; the listener is then idle.)
 */
function watchStdout(): { closed: boolean; release(): void } {
  const state = { closed: false, release: () => {} };
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') state.closed = true;
    else throw error;
  };
  process.stdout.on('error', onError);
  state.release = () => process.stdout.off('error', onError);
  return state;
}

/** A result that met one rejected scenario policy: all that `rejectedPolicyErrors` reads of it. */
function resultMeeting(policy: RejectedPolicy): EvaluationResult {
  return {
    id: '',
    decision: 'ImplicitDeny',
    outcome: 'MalformedPolicyDocumentException',
    allowedBy: null,
    deniedBy: null,
    steps: [],
    statements: [],
    deciding: [],
    context: {},
    explanation: '',
    notes: [],
    rejectedPolicies: [policy],
  };
}

function formatLocation(location: RecordLocation, message: string): string {
  return `${location.file}:${location.line}:${location.column}  ${location.path}: ${message}`;
}

function formatUnreadable(problem: UnreadableInput): string {
  return problem.line !== undefined
    ? `${problem.file}:${problem.line}:${problem.column}  ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A found change is the answer the user asked for; otherwise a replay that read nothing, or not all, is not a pass. */
function exitCode(counts: ReplayCounts, unreadable: boolean): number {
  if (counts.changed > 0) return EXIT_CHANGED;
  if (counts.replayed === 0 || unreadable || counts.malformed > 0) return EXIT_BAD_INPUT;
  return EXIT_NO_CHANGE;
}

/** events read, KMS events, replayed, changed, skipped, malformed, with their details. */
export function summaryLine(counts: ReplayCounts, files: number): string {
  const { deny, allow, fail } = counts.byDirection;
  const changes = [
    deny ? `${count(deny)} would be denied` : '',
    allow ? `${count(allow)} would be allowed` : '',
    fail ? `${count(fail)} would fail` : '',
  ].filter(Boolean);
  const skips = (Object.keys(counts.skippedBy) as SkipReason[])
    .filter((reason) => counts.skippedBy[reason] > 0)
    .map((reason) => `${count(counts.skippedBy[reason])} ${SKIP_REASONS[reason]}`);
  const notes: string[] = [];
  if (counts.unlistedCallers > 0)
    notes.push(
      `${count(counts.unlistedCallers)} replayed calls come from callers the scenario does not list (decided as identities with no IAM policies)`,
    );
  if (counts.accountOnlyCallers > 0)
    notes.push(
      `${count(counts.accountOnlyCallers)} calls name only the caller's account (decided as that account's root user)`,
    );
  return (
    `${count(counts.read)} events read from ${count(files)} file${files === 1 ? '' : 's'}, ${count(counts.kms)} KMS events, ` +
    `${count(counts.replayed)} replayed, ${count(counts.changed)} changed${changes.length ? ` (${changes.join(', ')})` : ''}, ` +
    `${count(counts.skipped)} skipped${skips.length ? ` (${skips.join(', ')})` : ''}, ${count(counts.malformed)} malformed` +
    (notes.length ? `. Note: ${notes.join('; ')}.` : '')
  );
}

interface Output {
  change(change: ReplayChange): void;
  end(groups: ReplayGroup[], counts: ReplayCounts, summary: string): void;
}

const DIRECTION_WORDS = { deny: 'would deny', allow: 'would allow', fail: 'would fail' } as const;

/** One changed call as a flat row (JSON and CSV share the fields and their order). */
function row(change: ReplayChange) {
  return {
    eventTime: change.eventTime ?? '',
    eventId: change.eventId ?? '',
    caller: change.caller,
    role: change.group,
    action: change.action,
    key: change.key ?? '',
    aws: change.aws,
    awsError: change.awsError ?? '',
    decision: change.decision,
    outcome: change.outcome,
    change: DIRECTION_WORDS[change.direction],
    decidedBy: change.decidedBy,
    explanation: change.explanation,
    file: change.location.file,
    path: change.location.path,
    line: change.location.line,
    column: change.location.column,
  };
}

function outputFor(format: ReplayFormat, write: (text: string) => void, limit: number): Output {
  if (format === 'json') {
    let first = true;
    write('{\n  "changed": [');
    return {
      change(change) {
        write(`${first ? '\n' : ',\n'}    ${JSON.stringify(row(change))}`);
        first = false;
      },
      end(groups, counts, summary) {
        const changedGroups = groups.filter(
          (g) => g.byDirection.deny + g.byDirection.allow + g.byDirection.fail > 0,
        );
        write(`${first ? '' : '\n  '}],\n  "groups": [`);
        changedGroups.forEach((g, i) => write(`${i ? ',' : ''}\n    ${JSON.stringify(g)}`));
        write(
          `${changedGroups.length ? '\n  ' : ''}],\n  "summary": ${JSON.stringify({ ...counts, text: summary })}\n}\n`,
        );
      },
    };
  }
  if (format === 'csv') {
    const header = Object.keys(row(EMPTY_CHANGE));
    write(header.join(',') + '\r\n');
    return {
      change(change) {
        write(
          Object.values(row(change))
            .map((value) => csvField(Array.isArray(value) ? value.join('; ') : String(value)))
            .join(',') + '\r\n',
        );
      },
      end() {},
    };
  }
  const kept: ReplayChange[] = [];
  return {
    change(change) {
      if (kept.length < limit) kept.push(change);
    },
    end(groups, counts, summary) {
      const changed = groups.filter((g) => g.byDirection.deny + g.byDirection.allow + g.byDirection.fail > 0);
      const parts: string[] = [];
      if (counts.replayed === 0) {
        parts.push(
          `Nothing replayed: ${count(counts.kms)} KMS events among ${count(counts.read)} records read, so no decision was tested.`,
        );
      } else if (changed.length === 0) {
        parts.push('No decision changes: the scenario answers every replayed call as AWS did.');
      } else {
        parts.push(
          'Changes by caller and action:',
          renderTable(
            ['caller', 'action', 'would deny', 'would allow', 'would fail', 'replayed', 'why'],
            changed.map((g) => [
              g.caller,
              g.action,
              count(g.byDirection.deny),
              count(g.byDirection.allow),
              count(g.byDirection.fail),
              count(g.replayed),
              describeGroup(g),
            ]),
          ),
          '',
          `Changed calls${counts.changed > kept.length ? ` (the first ${count(kept.length)} of ${count(counts.changed)}; --format json or csv lists them all)` : ''}:`,
          renderTable(
            ['time', 'caller', 'action', 'AWS', 'scenario', 'where', 'why'],
            kept.map((c) => [
              c.eventTime ?? '',
              c.caller,
              c.action,
              c.awsError ? `${c.aws} (${c.awsError})` : c.aws,
              c.outcome === 'Success' ? c.decision : `${c.decision} (${c.outcome})`,
              `${c.location.file}:${c.location.line}:${c.location.column} ${c.location.path}`,
              c.explanation,
            ]),
          ),
        );
      }
      parts.push('', summary);
      write(parts.join('\n') + '\n');
    },
  };
}

const EMPTY_CHANGE: ReplayChange = {
  caller: '',
  group: '',
  action: '',
  aws: 'Allow',
  decision: 'Allow',
  outcome: 'Success',
  direction: 'deny',
  decidedBy: [],
  explanation: '',
  location: { file: '', path: '', line: 0, column: 0 },
};

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
