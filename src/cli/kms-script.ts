/**
 * KMS lab scripts (`lab kms run SCRIPT`): a plain text file of calls for instructors and tests, one per line, neither
 * JSON nor YAML. docs/kms.md ("Endpoint", "lab kms run") describes the format:
 *
 *   # a comment; blank lines are skipped
 *   as user/lab-admin                 who calls from here on: user/NAME, role/NAME (its …/lab session), root, or an ARN
 *   region eu-west-1                  the region of the calls that follow
 *   advance 30 days                   moves the lab clock (days, hours, minutes, seconds)
 *   key = CreateKey Description="payroll key" Tags.1.TagKey=team Tags.1.TagValue=pay
 *   ct = Encrypt KeyId=$key.KeyMetadata.KeyId Plaintext="hello" EncryptionContext.purpose=demo
 *   Decrypt CiphertextBlob=$ct.CiphertextBlob => InvalidCiphertextException
 *
 * A call is `[name =] Operation Member=value… [=> ok | => ExceptionName]`. Member paths follow the AWS model: `A.B`
 * for a structure's member, `A.key` for a map entry, `A.1` for a list's first element (`A=x,y` for a list of
 * strings). Values are words or "quoted text" (\" and \\ inside); blobs take text as UTF-8 or `base64:…`; `@file`
 * reads a file (a key policy); `$name.Path` is a value from an earlier named call's response (list elements from 1).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromBase64 } from '../kms/bytes';
import { OPERATIONS, type Member } from '../kms/model';

export interface ScriptProblem {
  line: number;
  column: number;
  message: string;
}

export type ScriptValue =
  | { kind: 'literal'; text: string; column: number }
  | { kind: 'reference'; name: string; path: string[]; column: number }
  | { kind: 'file'; file: string; column: number };

export interface ScriptArgument {
  path: string[];
  value: ScriptValue;
}

export type ScriptStep =
  | { kind: 'as'; line: number; principal: string }
  | { kind: 'region'; line: number; region: string }
  | { kind: 'advance'; line: number; seconds: number; text: string }
  | {
      kind: 'call';
      line: number;
      name?: string;
      operation: string;
      args: ScriptArgument[];
      /** `ok` or an exception name. */
      expect?: string;
    };

interface Token {
  text: string;
  column: number;
  /** The value part was quoted (so `$x` or `@x` inside it is plain text). */
  quotedValue: boolean;
}

/** Splits a line into tokens: whitespace separates, "…" quotes (with \" \\ \n), `#` at a token's start ends the line. */
function tokenize(line: string, lineNumber: number, problems: ScriptProblem[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const column = i + 1;
    let text = '';
    let quotedValue = false;
    while (i < line.length && !/\s/.test(line[i])) {
      if (line[i] !== '"') {
        text += line[i++];
        continue;
      }
      if (text === '' || text.endsWith('=')) quotedValue = true;
      const opening = i++;
      let closed = false;
      while (i < line.length) {
        const char = line[i++];
        if (char === '"') {
          closed = true;
          break;
        }
        if (char === '\\' && i < line.length) {
          const escaped = line[i++];
          text += escaped === 'n' ? '\n' : escaped;
        } else text += char;
      }
      if (!closed) {
        problems.push({ line: lineNumber, column: opening + 1, message: 'this quote is never closed' });
        return tokens;
      }
    }
    tokens.push({ text, column, quotedValue });
  }
  return tokens;
}

const UNIT_SECONDS: Record<string, number> = {};
for (const [seconds, names] of [
  [86_400, ['d', 'day', 'days']],
  [3_600, ['h', 'hour', 'hours']],
  [60, ['m', 'min', 'mins', 'minute', 'minutes']],
  [1, ['s', 'sec', 'secs', 'second', 'seconds']],
] as const)
  for (const name of names) UNIT_SECONDS[name] = seconds;

function parseValue(token: Token, equals: number): ScriptValue {
  const text = token.text.slice(equals + 1);
  const column = token.column + equals + 1;
  if (!token.quotedValue && text.startsWith('$')) {
    const [name, ...rest] = text.slice(1).split('.');
    return { kind: 'reference', name, path: rest, column };
  }
  if (!token.quotedValue && text.startsWith('@')) return { kind: 'file', file: text.slice(1), column };
  return { kind: 'literal', text, column };
}

/** Checks a member path against the model; returns the problem, if any. */
function memberProblem(operation: string, segments: string[]): string | undefined {
  let member: Member = { type: 'structure', members: OPERATIONS[operation] };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const shown = segments.slice(0, i).join('.');
    if (member.type === 'structure') {
      if (!Object.hasOwn(member.members, segment))
        return `${shown ? `${shown} in ${operation}` : operation} has no member "${segment}" (members: ${Object.keys(member.members).join(', ')})`;
      member = member.members[segment];
    } else if (member.type === 'map') {
      return undefined; // the rest of the path is the map key (it may hold dots)
    } else if (member.type === 'list') {
      if (!/^[1-9]\d*$/.test(segment))
        return `${shown} is a list: name its elements ${shown}.1, ${shown}.2, …`;
      member = member.member;
    } else return `${shown} is a ${member.type}: it has no "${segment}"`;
  }
  return undefined;
}

export function parseScript(text: string): { steps: ScriptStep[]; problems: ScriptProblem[] } {
  const steps: ScriptStep[] = [];
  const problems: ScriptProblem[] = [];
  const names = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const before = problems.length;
    const tokens = tokenize(raw, line, problems);
    if (problems.length > before || tokens.length === 0) return;
    const problem = (token: Token | undefined, message: string) =>
      problems.push({ line, column: token?.column ?? raw.length + 1, message });
    const [first, second, third] = tokens;

    if (first.text === 'as' || first.text === 'region') {
      if (tokens.length !== 2) return problem(tokens[2] ?? first, `"${first.text}" takes one word`);
      if (first.text === 'as') steps.push({ kind: 'as', line, principal: second.text });
      else if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(second.text))
        problem(second, `"${second.text}" is not a region name such as us-east-1`);
      else steps.push({ kind: 'region', line, region: second.text });
      return;
    }
    if (first.text === 'advance') {
      const joined = tokens
        .slice(1)
        .map((t) => t.text)
        .join(' ');
      const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(joined);
      const seconds = match && UNIT_SECONDS[match[2].toLowerCase()];
      if (!match || !seconds)
        return problem(second ?? first, 'write "advance N days" (or hours, minutes, seconds)');
      steps.push({ kind: 'advance', line, seconds: Number(match[1]) * seconds, text: joined });
      return;
    }

    let rest = tokens;
    let name: string | undefined;
    if (second?.text === '=') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(first.text))
        return problem(first, `"${first.text}" cannot name a result: use letters, digits and _`);
      name = first.text;
      rest = tokens.slice(2);
      if (rest.length === 0) return problem(third, `"${name} =" needs an operation after it`);
    }
    const [operationToken, ...argTokens] = rest;
    const operation = operationToken.text;
    if (!Object.hasOwn(OPERATIONS, operation))
      return problem(operationToken, `"${operation}" is not a KMS operation the lab serves`);

    let expect: string | undefined;
    const arrow = argTokens.findIndex((t) => t.text === '=>');
    if (arrow >= 0) {
      const outcome = argTokens[arrow + 1];
      if (!outcome || argTokens.length !== arrow + 2)
        return problem(
          outcome ?? argTokens[arrow],
          'write "=> ok" or "=> ExceptionName" at the end of the line',
        );
      if (outcome.text !== 'ok' && !/^[A-Z][A-Za-z]*Exception$/.test(outcome.text))
        return problem(outcome, `"${outcome.text}" is neither "ok" nor an exception name`);
      expect = outcome.text;
      argTokens.splice(arrow);
    }

    const args: ScriptArgument[] = [];
    for (const token of argTokens) {
      const equals = token.text.indexOf('=');
      if (equals <= 0) {
        problem(token, `"${token.text}" is not Member=value`);
        continue;
      }
      const segments = token.text.slice(0, equals).split('.');
      const why = memberProblem(operation, segments);
      if (why) {
        problem(token, why);
        continue;
      }
      const value = parseValue(token, equals);
      if (value.kind === 'reference' && !names.has(value.name))
        problem({ ...token, column: value.column }, `$${value.name} is not the name of an earlier call`);
      args.push({ path: segments, value });
    }
    if (name) names.add(name);
    steps.push({ kind: 'call', line, name, operation, args, expect });
  });
  return { steps, problems };
}

/** The model member at a path (maps swallow the rest of the path as their key). */
function memberAt(operation: string, segments: string[]): Member {
  let member: Member = { type: 'structure', members: OPERATIONS[operation] };
  for (const segment of segments) {
    if (member.type === 'structure') member = member.members[segment];
    else if (member.type === 'list') member = member.member;
    else if (member.type === 'map') return member.value ?? { type: 'string' };
  }
  return member;
}

export class ScriptRunError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

function convertLiteral(text: string, member: Member, line: number, column: number): unknown {
  const fail = (expected: string) => {
    throw new ScriptRunError(line, column, `"${text}" is not ${expected}`);
  };
  switch (member.type) {
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : fail('a whole number');
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : fail('true or false');
    case 'blob':
      if (!text.startsWith('base64:')) return new TextEncoder().encode(text);
      try {
        return fromBase64(text.slice('base64:'.length));
      } catch {
        return fail('base64');
      }
    case 'timestamp': {
      const time = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      return Number.isNaN(time) ? fail('a date (ISO 8601) or epoch seconds') : new Date(time);
    }
    case 'list':
      return text === ''
        ? []
        : text.split(',').map((part) => convertLiteral(part, member.member, line, column));
    case 'structure':
    case 'map':
      return fail(`a whole ${member.type}: give its members as Member.Name=value`);
    default:
      return text;
  }
}

/** A value at a `$name.Path` of earlier responses (list elements counted from 1). */
function lookUp(
  responses: Map<string, unknown>,
  value: Extract<ScriptValue, { kind: 'reference' }>,
  line: number,
) {
  let current = responses.get(value.name);
  if (current === undefined)
    throw new ScriptRunError(line, value.column, `$${value.name} has no response (its call failed)`);
  for (const segment of value.path) {
    const next: unknown = Array.isArray(current)
      ? /^[1-9]\d*$/.test(segment)
        ? current[Number(segment) - 1]
        : undefined
      : current && typeof current === 'object' && !(current instanceof Uint8Array)
        ? (current as Record<string, unknown>)[segment]
        : undefined;
    if (next === undefined)
      throw new ScriptRunError(
        line,
        value.column,
        `$${[value.name, ...value.path].join('.')}: the response has no "${segment}" there`,
      );
    current = next;
  }
  return current;
}

/** Builds the request of a call step from its arguments, the model and earlier responses. */
export async function buildRequest(
  step: Extract<ScriptStep, { kind: 'call' }>,
  responses: Map<string, unknown>,
  scriptDir: string,
): Promise<Record<string, unknown>> {
  const request: Record<string, unknown> = {};
  for (const { path: segments, value } of step.args) {
    const member = memberAt(step.operation, segments);
    let resolved: unknown;
    if (value.kind === 'reference') resolved = lookUp(responses, value, step.line);
    else if (value.kind === 'file') {
      try {
        resolved = convertLiteral(
          await readFile(path.resolve(scriptDir, value.file), 'utf8'),
          member,
          step.line,
          value.column,
        );
      } catch (error) {
        if (error instanceof ScriptRunError) throw error;
        throw new ScriptRunError(
          step.line,
          value.column,
          `@${value.file} cannot be read (${(error as Error).message})`,
        );
      }
    } else resolved = convertLiteral(value.text, member, step.line, value.column);
    place(request, step.operation, segments, resolved);
  }
  return request;
}

/** Sets a value at a member path, making structures, maps and lists (1-based in the path) on the way. */
function place(request: Record<string, unknown>, operation: string, segments: string[], value: unknown) {
  let container: Record<string, unknown> | unknown[] = request;
  let member: Member = { type: 'structure', members: OPERATIONS[operation] };
  for (let i = 0; i < segments.length; i++) {
    const isMap: boolean = member.type === 'map';
    const key: string = isMap ? segments.slice(i).join('.') : segments[i];
    const last = isMap || i === segments.length - 1;
    const slot = member.type === 'list' ? Number(key) - 1 : key;
    if (last) {
      (container as Record<string | number, unknown>)[slot] = value;
      return;
    }
    member =
      member.type === 'structure' ? member.members[key] : member.type === 'list' ? member.member : member;
    const existing = (container as Record<string | number, unknown>)[slot];
    const next = existing ?? (member.type === 'list' ? [] : {});
    (container as Record<string | number, unknown>)[slot] = next;
    container = next as Record<string, unknown> | unknown[];
  }
}

/** A principal as a script names it, in the KMS's account unless it is a full ARN. */
export function principalArn(spec: string, accountId: string): string | undefined {
  if (spec.startsWith('arn:')) return spec;
  if (spec === 'root') return `arn:aws:iam::${accountId}:root`;
  const user = /^user\/(.+)$/.exec(spec);
  if (user) return `arn:aws:iam::${accountId}:user/${user[1]}`;
  const role = /^role\/([^/]+)$/.exec(spec);
  if (role) return `arn:aws:sts::${accountId}:assumed-role/${role[1]}/lab`;
  return undefined;
}

export interface ScriptCall {
  line: number;
  principal: string;
  region: string;
  operation: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: { type: string; message: string };
  expect?: string;
  /** Whether the outcome is the expected one (absent without `=>`). */
  passed?: boolean;
}

export interface ScriptKms {
  readonly accountId: string;
  readonly region: string;
  call(
    operation: string,
    request: Record<string, unknown>,
    caller: { principalArn: string; region: string },
  ): Promise<Record<string, unknown>>;
  readonly clock: { advance(by: { seconds: number }): Promise<void> };
}

/** Runs the steps in order; a step that cannot run (a bad principal, a missing response) stops with ScriptRunError. */
export async function runScript(
  kms: ScriptKms,
  steps: ScriptStep[],
  options: { defaultPrincipal: string; scriptDir: string; onCall?(call: ScriptCall): void },
): Promise<ScriptCall[]> {
  const calls: ScriptCall[] = [];
  const responses = new Map<string, unknown>();
  let principal = options.defaultPrincipal;
  let region = kms.region;
  for (const step of steps) {
    if (step.kind === 'as') {
      const arn = principalArn(step.principal, kms.accountId);
      if (!arn)
        throw new ScriptRunError(
          step.line,
          4,
          `"${step.principal}" is not user/NAME, role/NAME, root or an ARN`,
        );
      principal = arn;
      continue;
    }
    if (step.kind === 'region') {
      region = step.region;
      continue;
    }
    if (step.kind === 'advance') {
      await kms.clock.advance({ seconds: step.seconds });
      continue;
    }
    const request = await buildRequest(step, responses, options.scriptDir);
    const call: ScriptCall = { line: step.line, principal, region, operation: step.operation, request };
    try {
      call.response = await kms.call(step.operation, request, { principalArn: principal, region });
      if (step.name) responses.set(step.name, call.response);
    } catch (error) {
      const e = error as { type?: string; name?: string; message?: string };
      call.error = { type: e.type ?? e.name ?? 'Error', message: e.message ?? String(error) };
      if (step.name) responses.delete(step.name);
    }
    if (step.expect) {
      call.expect = step.expect;
      call.passed = step.expect === 'ok' ? !call.error : call.error?.type === step.expect;
    }
    calls.push(call);
    options.onCall?.(call);
  }
  return calls;
}
