/**
 * `lab kms serve | trail | run` (lab-design §4, issue 9 "A local KMS endpoint"): argument parsing and output.
 * Exit codes: 0 done (serve: stopped by SIGINT/SIGTERM); 1 `run`: an `=>` expectation did not hold; 2 bad
 * arguments or unreadable input (named with its file, line and column), or a port that cannot be opened.
 */
import path from 'node:path';
import type { KmsCredentials } from '../kms/api';
import { LAB_ADMIN } from '../kms/kms';
import type { KmsHttpCall } from '../kms/http/index';
import { encodeResponse } from '../kms/http/index';
import { Trail, type TrailQuery, type TrailRecord } from '../kms/trail';
import type { CliContext } from './commands';
import { readTextFile } from './files';
import { parseScript, runScript, ScriptRunError, type ScriptCall } from './kms-script';
import { serveKms } from './kms-serve';
import { openLabKms, readSavedTrail, type LabKms } from './kms-state';
import { renderTable } from './table';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;

export const KMS_USAGE = `  lab kms serve [--scenario <scenario.json>] [--port N] [--region R] [--state DIR]
      Run the simulated KMS as a local endpoint on 127.0.0.1 (AWS JSON 1.1 protocol, SigV4-signed requests), for
      the AWS CLI and SDKs: aws --endpoint-url http://127.0.0.1:N kms …. The first line on stdout is one JSON
      object: {"endpoint", "region", "principals": {"<principal ARN>": {"accessKeyId", "secretAccessKey",
      "sessionToken"?}}}; then one log line per request. --port 0 (the default) picks a free port; --region
      defaults to us-east-1. Without --scenario: account 111122223333 and the user lab-admin allowed kms:*.
      --state DIR keeps keys, aliases, grants, the lab clock and the trail across restarts. Stop with Ctrl-C.

  lab kms trail --state DIR [--format json|table] [--event NAME] [--user NAME] [--key ID] [--errors]
      Print the CloudTrail records kept in DIR: {"Records": [...]} (what lab replay reads), or a table.

  lab kms run <script> [--scenario <scenario.json>] [--region R] [--state DIR] [--format text|json]
      Run a file of KMS calls (one per line: [name =] Operation Member=value… [=> ok | => ExceptionName]; also
      "as user/NAME", "region R", "advance 30 days"; docs/kms.md describes it) and print each response, then
      the trail of the run. Exit 1 when an "=>" expectation does not hold.
`;

type Flags = Record<string, string | true>;

/** `--name value`, `--name=value`, and the valueless flags named in `switches`. */
function parseFlags(
  args: string[],
  valued: readonly string[],
  switches: readonly string[] = [],
): { ok: true; flags: Flags; positional: string[] } | { ok: false; message: string } {
  const flags: Flags = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (switches.includes(name)) {
      flags[name] = true;
      continue;
    }
    if (!valued.includes(name)) return { ok: false, message: `unknown option --${name}` };
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { ok: false, message: `--${name} needs a value` };
    flags[name] = value;
  }
  return { ok: true, flags, positional };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function checkRegion(flags: Flags): string | undefined {
  const region = flags.region;
  if (typeof region === 'string' && !REGION.test(region))
    return `--region must be a region name such as us-east-1, not "${region}"`;
  return undefined;
}

function usageError(context: CliContext, message: string): number {
  context.stderr(`lab kms: ${message}\nRun "lab --help" for usage.\n`);
  return EXIT_BAD_INPUT;
}

function printErrors(context: CliContext, errors: string[]): number {
  for (const error of errors) context.stderr(`${error}\n`);
  return EXIT_BAD_INPUT;
}

export async function kmsCommand(args: string[], context: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'serve') return serveCommand(rest, context);
  if (sub === 'trail') return trailCommand(rest, context);
  if (sub === 'run') return runCommand(rest, context);
  return usageError(
    context,
    sub ? `unknown kms command "${sub}" (serve, trail or run)` : 'kms needs serve, trail or run',
  );
}

async function open(flags: Flags, context: CliContext) {
  const opened = await openLabKms({
    scenarioFile: flags.scenario as string | undefined,
    region: flags.region as string | undefined,
    stateDir: flags.state as string | undefined,
    cwd: context.cwd,
  });
  if (opened.ok) for (const warning of opened.warnings) context.stderr(`${warning}\n`);
  return opened;
}

// ---- lab kms serve ----

/** lab-design §4: the first stdout line. */
export function endpointLine(endpoint: string, region: string, credentials: KmsCredentials[]): string {
  const principals: Record<string, Omit<KmsCredentials, 'principalArn'>> = {};
  for (const { principalArn, ...keys } of credentials) principals[principalArn] = keys;
  return JSON.stringify({ endpoint, region, principals });
}

function logLine(call: KmsHttpCall): string {
  const outcome = call.errorType ? `${call.errorType}${call.note ? ` (${call.note})` : ''}` : 'ok';
  return [
    new Date().toISOString(),
    String(call.status),
    call.operation ?? '-',
    call.principalArn ?? '-',
    call.region ?? '-',
    outcome,
  ].join('  ');
}

/** Resolves on SIGINT or SIGTERM (the server's own stop). */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Saves after calls, one write at a time, the last call always included. */
function stateSaver(lab: LabKms, onError: (error: unknown) => void) {
  let running: Promise<void> | undefined;
  let dirty = false;
  const request = () => {
    dirty = true;
    running ??= (async () => {
      while (dirty) {
        dirty = false;
        await lab.save();
      }
    })()
      .catch(onError)
      .finally(() => (running = undefined));
  };
  return { request, flush: async () => running };
}

async function serveCommand(args: string[], context: CliContext): Promise<number> {
  const parsed = parseFlags(args, ['scenario', 'port', 'region', 'state']);
  if (!parsed.ok) return usageError(context, parsed.message);
  const { flags, positional } = parsed;
  if (positional.length > 0) return usageError(context, `serve takes no argument "${positional[0]}"`);
  const portText = (flags.port as string | undefined) ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    return usageError(context, `--port must be a port number from 0 to 65535, not "${portText}"`);
  const badRegion = checkRegion(flags);
  if (badRegion) return usageError(context, badRegion);

  const opened = await open(flags, context);
  if (!opened.ok) return printErrors(context, opened.errors);
  const lab = opened.value;
  const saver = stateSaver(lab, (error) =>
    context.stderr(`lab kms serve: cannot save the state: ${String(error)}\n`),
  );

  let server;
  try {
    server = await serveKms(lab.kms, {
      port,
      onCall: (call) => {
        context.stdout(`${logLine(call)}\n`);
        if (call.principalArn && call.operation) saver.request(); // it reached the KMS: state or trail changed
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return usageError(
      context,
      code === 'EADDRINUSE'
        ? `port ${port} is in use; choose another with --port (0 picks a free one)`
        : `cannot listen on 127.0.0.1:${port}: ${String(error)}`,
    );
  }
  context.stdout(`${endpointLine(server.endpoint, lab.kms.region, lab.kms.credentials())}\n`);
  context.stdout(
    `lab kms serve: listening on ${server.endpoint} (region ${lab.kms.region}, ${lab.kms.credentials().length} principals${lab.stateFile ? `, state in ${lab.stateFile}` : ''})\n`,
  );
  const signal = await untilStopped();
  await server.close();
  await saver.flush();
  await lab.save();
  context.stdout(`lab kms serve: stopped (${signal})\n`);
  return EXIT_OK;
}

// ---- lab kms trail ----

function trailTable(records: TrailRecord[]): string {
  return renderTable(
    ['eventTime', 'eventName', 'user', 'region', 'key', 'error'],
    records.map((r) => [
      r.eventTime,
      r.eventName,
      String(r.userIdentity.arn ?? r.userIdentity.invokedBy ?? ''),
      r.awsRegion,
      r.resources?.[0]?.ARN.replace(/^.*:key\//, '') ?? '',
      r.errorCode ?? '',
    ]),
  );
}

async function trailCommand(args: string[], context: CliContext): Promise<number> {
  const parsed = parseFlags(args, ['state', 'format', 'event', 'user', 'key'], ['errors']);
  if (!parsed.ok) return usageError(context, parsed.message);
  const { flags, positional } = parsed;
  if (positional.length > 0) return usageError(context, `trail takes no argument "${positional[0]}"`);
  if (typeof flags.state !== 'string') return usageError(context, 'trail needs --state DIR');
  const format = (flags.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'table')
    return usageError(context, `--format must be json or table, not "${format}"`);
  const saved = await readSavedTrail(flags.state, context.cwd);
  if (!saved.ok) return printErrors(context, saved.errors);
  const trail = new Trail();
  for (const record of saved.value) trail.add(record);
  const query: TrailQuery = {
    eventName: flags.event as string | undefined,
    user: flags.user as string | undefined,
    keyId: flags.key as string | undefined,
    ...(flags.errors ? { error: true } : {}),
  };
  const records = trail.query(query);
  context.stdout(
    format === 'table' ? `${trailTable(records)}\n` : `${JSON.stringify({ Records: records }, null, 2)}\n`,
  );
  return EXIT_OK;
}

// ---- lab kms run ----

function describeCall(call: ScriptCall): string {
  const who = call.principal.replace(/^arn:aws:(iam|sts)::\d{12}:/, '');
  const outcome = call.error ? `${call.error.type}: ${call.error.message}` : 'ok';
  const verdict =
    call.passed === undefined ? '' : call.passed ? '  (as expected)' : `  (FAILED: expected ${call.expect})`;
  const head = `line ${call.line}  ${who}  ${call.region}  ${call.operation} → ${outcome}${verdict}`;
  return call.response ? `${head}\n${JSON.stringify(encodeResponse(call.response), null, 2)}` : head;
}

async function runCommand(args: string[], context: CliContext): Promise<number> {
  const parsed = parseFlags(args, ['scenario', 'region', 'state', 'format']);
  if (!parsed.ok) return usageError(context, parsed.message);
  const { flags, positional } = parsed;
  if (positional.length !== 1) return usageError(context, 'run needs one script file');
  const format = (flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json')
    return usageError(context, `--format must be text or json, not "${format}"`);
  const badRegion = checkRegion(flags);
  if (badRegion) return usageError(context, badRegion);

  const file = positional[0];
  const read = await readTextFile(file, context.cwd);
  if (!read.ok)
    return printErrors(context, [`${file}:${read.line ?? 1}:${read.column ?? 1}  ${read.message}`]);
  const script = parseScript(read.text);
  if (script.problems.length > 0)
    return printErrors(
      context,
      script.problems.map((p) => `${file}:${p.line}:${p.column}  ${p.message}`),
    );

  const opened = await open(flags, context);
  if (!opened.ok) return printErrors(context, opened.errors);
  const { kms, save } = opened.value;
  const principals = kms.principals();
  const defaultPrincipal = principals.includes(LAB_ADMIN)
    ? LAB_ADMIN
    : (principals.find((p) => p.includes(':user/')) ?? principals[0]);
  const firstRecord = kms.trail.records.length;

  let stopped: ScriptRunError | undefined;
  let calls: ScriptCall[];
  const printed: ScriptCall[] = [];
  try {
    calls = await runScript(kms, script.steps, {
      defaultPrincipal,
      scriptDir: path.dirname(path.resolve(context.cwd, file)),
      onCall: (call) => {
        printed.push(call);
        if (format === 'text') context.stdout(`${describeCall(call)}\n\n`);
      },
    });
  } catch (error) {
    if (!(error instanceof ScriptRunError)) throw error;
    stopped = error;
    calls = printed;
  }
  const records = kms.trail.records.slice(firstRecord);
  if (format === 'json')
    context.stdout(
      `${JSON.stringify(
        {
          calls: calls.map((c) => ({
            ...c,
            request: encodeResponse(c.request),
            ...(c.response ? { response: encodeResponse(c.response) } : {}),
          })),
          trail: { Records: records },
        },
        null,
        2,
      )}\n`,
    );
  else context.stdout(`Trail of this run (${records.length} records):\n${trailTable(records)}\n`);
  await save();
  if (stopped) return printErrors(context, [`${file}:${stopped.line}:${stopped.column}  ${stopped.message}`]);
  return calls.some((c) => c.passed === false) ? EXIT_FAILED : EXIT_OK;
}
