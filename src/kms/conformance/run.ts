/**
 * Runs conformance cases (README "Case format") against any KMS client: each case from a clean state, steps in
 * order, `region: "secondary"` to the second region, `paginate` following NextMarker, `poll` repeating a step until
 * its expectation holds.
 */
import { resolveInput } from './directives';
import { mismatch } from './matchers';
import { valueAt } from './paths';
import { renderTemplate, type CaseContext } from './templates';
import type {
  CaseResult,
  ConformanceCase,
  ConformanceClient,
  ConformanceCrypto,
  ConformanceEnvironment,
  ConformanceStep,
} from './types';

type Outcome = { ok: true; response: Record<string, unknown> } | { ok: false; code: string; message: string };

/** The AWS code and message of whatever the client threw (a KmsError, an SDK ServiceException, `{__type}`). */
function errorOutcome(error: unknown): Outcome {
  const e = error as { type?: string; name?: string; __type?: string; message?: string; Message?: string };
  const code = (e?.type ?? e?.__type ?? e?.name ?? 'Error').replace(/^.*#/, '');
  return { ok: false, code, message: e?.message ?? e?.Message ?? '' };
}

/** The list member a paginated response carries (`Keys`, `Aliases`, `Grants`, …). */
function listMember(response: Record<string, unknown>): string | undefined {
  return Object.keys(response).find((k) => Array.isArray(response[k]));
}

async function call(
  client: ConformanceClient,
  step: ConformanceStep,
  input: Record<string, unknown>,
  region: string,
) {
  try {
    if (!step.paginate) return { ok: true, response: await client(step.op, input, region) } as Outcome;
    const first = await client(step.op, input, region);
    const member = listMember(first);
    const all = member ? [...(first[member] as unknown[])] : [];
    let page = first;
    for (let pages = 0; page.Truncated === true && pages < 10_000; pages++) {
      page = await client(step.op, { ...input, Marker: page.NextMarker }, region);
      if (member) all.push(...((page[member] as unknown[]) ?? []));
    }
    const response = { ...page };
    if (member) response[member] = all;
    return { ok: true, response } as Outcome;
  } catch (error) {
    return errorOutcome(error);
  }
}

async function expectationMismatch(step: ConformanceStep, outcome: Outcome, context: CaseContext) {
  const expect = step.expect;
  if ('ok' in expect) {
    if (!outcome.ok) return `expected success, got ${outcome.code}: ${outcome.message}`;
    context.self = outcome.response;
    for (const [path, matcher] of Object.entries(expect.fields)) {
      const why = await mismatch(valueAt(outcome.response, path), matcher, context);
      if (why) return `${path}: ${why}`;
    }
    return undefined;
  }
  if (outcome.ok) return `expected ${expect.error}, but the call succeeded`;
  if (outcome.code !== expect.error)
    return `expected ${expect.error}, got ${outcome.code}: ${outcome.message}`;
  if (expect.message !== undefined) {
    const message = renderTemplate(expect.message, context);
    if (outcome.message !== message) return `expected message "${message}", got "${outcome.message}"`;
  }
  if (expect.messageRegex !== undefined) {
    const pattern = new RegExp(renderTemplate(expect.messageRegex, context, true));
    if (!pattern.test(outcome.message)) return `message "${outcome.message}" does not match ${pattern}`;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCase(
  testCase: ConformanceCase,
  options: { client: ConformanceClient; env: ConformanceEnvironment; crypto: ConformanceCrypto },
): Promise<CaseResult> {
  const context: CaseContext = {
    env: options.env,
    crypto: options.crypto,
    responses: [],
    named: new Map(),
    publicKeys: new Map(),
  };
  for (let index = 0; index < testCase.steps.length; index++) {
    const step = testCase.steps[index];
    const region = step.region === 'secondary' ? options.env.region2 : options.env.region;
    let reason: string | undefined;
    let outcome: Outcome;
    try {
      const input = (await resolveInput(step.input, context)) as Record<string, unknown>;
      const deadline = Date.now() + (step.poll?.timeoutSeconds ?? 0) * 1000;
      for (;;) {
        outcome = await call(options.client, step, input, region);
        context.self = undefined;
        reason = await expectationMismatch(step, outcome, context);
        if (!reason || !step.poll || Date.now() >= deadline) break;
        await sleep(step.poll.intervalSeconds * 1000);
      }
    } catch (error) {
      return { id: testCase.id, passed: false, failedStep: index, reason: `${step.op}: ${String(error)}` };
    }
    if (reason) return { id: testCase.id, passed: false, failedStep: index, reason: `${step.op}: ${reason}` };
    context.responses[index] = outcome!.ok ? outcome!.response : undefined;
  }
  return { id: testCase.id, passed: true };
}

export async function runCases(
  cases: ConformanceCase[],
  options: {
    /** A client on a fresh KMS for each case. */
    clientForCase: () => ConformanceClient | Promise<ConformanceClient>;
    env: ConformanceEnvironment;
    crypto: ConformanceCrypto;
  },
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases)
    results.push(await runCase(testCase, { ...options, client: await options.clientForCase() }));
  return results;
}
