/**
 * "Paste real AWS JSON": recognise what a practitioner copied from the AWS CLI, the console or CloudTrail, and
 * turn it into lab input: a key policy, an identity policy, an SCP/RCP, or a request (from a CloudTrail event,
 * typically one with an AccessDenied error). Returns a result with a message for people; never throws.
 *
 * Recognised shapes:
 * - `aws kms get-key-policy`: {"Policy": "<policy JSON as a string>", "PolicyName": "default"}
 * - `aws iam get-policy-version`: {"PolicyVersion": {"Document": {...} | "<URL-encoded JSON>", "VersionId", …}}
 * - `aws iam get-role-policy` / `get-user-policy` / `get-group-policy`: {"RoleName", "PolicyName", "PolicyDocument"}
 * - `aws organizations describe-policy`: {"Policy": {"PolicySummary": {"Type": …}, "Content": "<JSON string>"}}
 * - a bare policy document (a key policy when a statement names a Principal, else an identity policy)
 * - a CloudTrail record, {"Records": [...]}, an array of records, or `aws cloudtrail lookup-events` output
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { defaultKeyPolicy } from './default-key-policy';
import { callOfEvent, isAccessDenied, isJsonObject, KMS_EVENT_SOURCE } from './cloudtrail-event';
import { EXPECT_VALUES } from './schema';
import { classifyPrincipal, isAccountId, parseKmsArn } from '../engine/arn';
import type { PolicyDocument, RequestSpec, Scenario } from './types';

export type AwsImportResult =
  | {
      ok: true;
      kind: 'key-policy' | 'identity-policy' | 'scp' | 'rcp';
      policy: PolicyDocument;
      /** The policy JSON to put in an editor (as AWS returned it when it came as a string). */
      text: string;
      /** What the pasted JSON was, e.g. `aws kms get-key-policy output`. */
      source: string;
      /** The policy name when the output gave one. */
      name?: string;
      /** For inline IAM policies: the user, role or group it belongs to. */
      attachedTo?: { type: 'user' | 'role' | 'group'; name: string };
      message: string;
    }
  | {
      ok: true;
      kind: 'request';
      request: RequestSpec;
      /** The key, caller and account the event names, to build a scenario around the request. */
      world: EventWorld;
      source: string;
      /** The event's error, when the call failed. */
      error?: { code: string; message?: string };
      message: string;
    }
  | { ok: false; message: string };

/** What a CloudTrail event tells of the world around its request. */
export interface EventWorld {
  /** The caller's account (userIdentity.accountId). */
  account?: string;
  /** The key's ARN: from resources[], a key ARN in requestParameters, or the error message. */
  keyArn?: string;
  /** The alias the caller named the key by, e.g. `alias/payroll`. */
  keyAlias?: string;
  /** The scenario principal behind the caller: for an assumed-role session the role, for an IAM user the user. */
  principalArn?: string;
  /** For an assumed-role session: its name (the last part of the session ARN). */
  sessionName?: string;
}

type Json = Record<string, unknown>;
const isObject = isJsonObject;

/** Recognises pasted AWS JSON. Never throws. */
export function importAwsJson(text: string): AwsImportResult {
  try {
    return recognise(text);
  } catch (error) {
    return { ok: false, message: `Could not read the pasted JSON: ${String(error)}` };
  }
}

function recognise(pasted: string): AwsImportResult {
  const text = pasted.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, message: 'Nothing to import: the pasted text is empty.' };
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: `The pasted text is not JSON: ${parsed.message}` };
  const value = parsed.value;

  if (Array.isArray(value)) return fromCloudTrail(value, 'an array of CloudTrail records');
  if (!isObject(value))
    return {
      ok: false,
      message: 'The pasted JSON is not an object, so it is neither a policy nor a CloudTrail event.',
    };
  if (Array.isArray(value.Records))
    return fromCloudTrail(value.Records, 'a CloudTrail log file ({"Records": [...]})');
  if (Array.isArray(value.Events)) return fromLookupEvents(value.Events);
  if (typeof value.eventSource === 'string' || typeof value.eventName === 'string') {
    return fromCloudTrail([value], 'a CloudTrail event');
  }
  if (typeof value.Policy === 'string') return fromKeyPolicyOutput(value);
  if (isObject(value.Policy) && typeof value.Policy.Content === 'string')
    return fromOrganizationsPolicy(value.Policy);
  if (isObject(value.PolicyVersion)) return fromPolicyVersion(value.PolicyVersion);
  if ('PolicyDocument' in value) return fromInlinePolicy(value);
  if ('Statement' in value) return fromBareDocument(value, text);
  return {
    ok: false,
    message:
      'This JSON was not recognised. Paste a policy document, the output of aws kms get-key-policy, aws iam get-policy-version, ' +
      'aws iam get-role-policy, aws organizations describe-policy, or a CloudTrail event for a KMS call.',
  };
}

// ---- Policies ----

function fromKeyPolicyOutput(output: Json): AwsImportResult {
  const policyText = output.Policy as string;
  const parsed = parseJson(policyText);
  if (!parsed.ok || !isObject(parsed.value)) {
    return {
      ok: false,
      message: `This looks like aws kms get-key-policy output, but its "Policy" string is not a JSON object${parsed.ok ? '' : `: ${parsed.message}`}.`,
    };
  }
  const name = typeof output.PolicyName === 'string' ? output.PolicyName : undefined;
  return {
    ok: true,
    kind: 'key-policy',
    policy: parsed.value,
    text: readablePolicyText(policyText, parsed.value),
    source: 'aws kms get-key-policy output',
    name,
    message: `Imported the key policy${name ? ` "${name}"` : ''} from aws kms get-key-policy output (${statementCount(parsed.value)}).`,
  };
}

function fromOrganizationsPolicy(policy: Json): AwsImportResult {
  const summary = isObject(policy.PolicySummary) ? policy.PolicySummary : {};
  const type = summary.Type;
  const kind =
    type === 'SERVICE_CONTROL_POLICY' ? 'scp' : type === 'RESOURCE_CONTROL_POLICY' ? 'rcp' : undefined;
  if (!kind) {
    return {
      ok: false,
      message: `This is an AWS Organizations policy of type ${String(type)}; only SCPs and RCPs take part in KMS authorization.`,
    };
  }
  const content = policy.Content as string;
  const parsed = parseJson(content);
  if (!parsed.ok || !isObject(parsed.value))
    return { ok: false, message: 'The Organizations policy "Content" is not a JSON object.' };
  const name = typeof summary.Name === 'string' ? summary.Name : undefined;
  return {
    ok: true,
    kind,
    policy: parsed.value,
    text: content,
    source: 'aws organizations describe-policy output',
    name,
    message: `Imported the ${kind === 'scp' ? 'service control policy' : 'resource control policy'}${name ? ` "${name}"` : ''} (${statementCount(parsed.value)}). Choose where to attach it: the root, an OU or an account.`,
  };
}

function fromPolicyVersion(version: Json): AwsImportResult {
  const document = policyDocumentOf(version.Document);
  if (!document)
    return {
      ok: false,
      message:
        'This looks like aws iam get-policy-version output, but its "Document" is not a policy document.',
    };
  const versionId = typeof version.VersionId === 'string' ? ` ${version.VersionId}` : '';
  return {
    ok: true,
    kind: 'identity-policy',
    policy: document.policy,
    text: document.text,
    source: 'aws iam get-policy-version output',
    message: `Imported version${versionId} of a managed IAM policy (${statementCount(document.policy)}). Attach it to a principal.`,
  };
}

function fromInlinePolicy(output: Json): AwsImportResult {
  const document = policyDocumentOf(output.PolicyDocument);
  if (!document)
    return {
      ok: false,
      message:
        'This looks like aws iam get-role-policy output, but its "PolicyDocument" is not a policy document.',
    };
  const owner = (['Role', 'User', 'Group'] as const).find(
    (type) => typeof output[`${type}Name`] === 'string',
  );
  const attachedTo = owner && {
    type: owner.toLowerCase() as 'user' | 'role' | 'group',
    name: output[`${owner}Name`] as string,
  };
  const name = typeof output.PolicyName === 'string' ? output.PolicyName : undefined;
  return {
    ok: true,
    kind: 'identity-policy',
    policy: document.policy,
    text: document.text,
    source: attachedTo ? `aws iam get-${attachedTo.type}-policy output` : 'an inline IAM policy',
    name,
    attachedTo,
    message:
      `Imported the inline policy${name ? ` "${name}"` : ''}${attachedTo ? ` of ${attachedTo.type} ${attachedTo.name}` : ''} (${statementCount(document.policy)}).` +
      (attachedTo?.type === 'group'
        ? ' Groups are not principals: give the policy to each member user.'
        : ''),
  };
}

function fromBareDocument(document: Json, text: string): AwsImportResult {
  // KPO: Principal is required in key-policy statements; IAM identity policies must not have one (IAM-PR).
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const namesPrincipal = statements.some((s) => isObject(s) && ('Principal' in s || 'NotPrincipal' in s));
  return {
    ok: true,
    kind: namesPrincipal ? 'key-policy' : 'identity-policy',
    policy: document,
    text,
    source: 'a policy document',
    message: namesPrincipal
      ? `Imported a key policy (${statementCount(document)}): its statements name a Principal. (A VPC endpoint policy looks the same; move it there if that is what it is.)`
      : `Imported an identity policy (${statementCount(document)}): its statements name no Principal. (SCPs and permissions boundaries look the same; move it if needed.)`,
  };
}

/** A policy document given as an object, a JSON string, or the URL-encoded JSON string the IAM API returns. */
function policyDocumentOf(document: unknown): { policy: PolicyDocument; text: string } | undefined {
  if (isObject(document)) return { policy: document, text: JSON.stringify(document, null, 2) };
  if (typeof document !== 'string') return undefined;
  for (const candidate of [document, safeDecodeURIComponent(document)]) {
    if (candidate === undefined) continue;
    const parsed = parseJson(candidate);
    if (parsed.ok && isObject(parsed.value))
      return { policy: parsed.value, text: readablePolicyText(candidate, parsed.value) };
  }
  return undefined;
}

/**
 * A policy as the CLI returned it when it has lines of its own; a policy stored on one line is laid out, so it
 * can be read in the editor without pressing Format.
 */
function readablePolicyText(text: string, policy: PolicyDocument): string {
  return text.includes('\n') ? text : JSON.stringify(policy, null, 2);
}

function statementCount(document: Json): string {
  const statements = document.Statement;
  const count = Array.isArray(statements) ? statements.length : statements === undefined ? 0 : 1;
  return `${count} statement${count === 1 ? '' : 's'}`;
}

// ---- CloudTrail ----

function fromLookupEvents(events: unknown[]): AwsImportResult {
  // `aws cloudtrail lookup-events` wraps each record as a JSON string in "CloudTrailEvent".
  const records = events
    .map((e) =>
      isObject(e) && typeof e.CloudTrailEvent === 'string' ? parseJson(e.CloudTrailEvent) : undefined,
    )
    .flatMap((p) => (p?.ok ? [p.value] : []));
  if (records.length === 0)
    return {
      ok: false,
      message:
        'This looks like aws cloudtrail lookup-events output, but it holds no readable "CloudTrailEvent".',
    };
  return fromCloudTrail(records, 'aws cloudtrail lookup-events output');
}

function fromCloudTrail(records: unknown[], source: string): AwsImportResult {
  const events = records.filter(isObject);
  const kmsEvents = events.filter(
    (e) => e.eventSource === KMS_EVENT_SOURCE && typeof e.eventName === 'string',
  );
  if (kmsEvents.length === 0) {
    const services = [...new Set(events.map((e) => e.eventSource).filter((s) => typeof s === 'string'))];
    return {
      ok: false,
      message:
        events.length === 0
          ? 'No CloudTrail event found in the pasted JSON.'
          : `None of the ${events.length} CloudTrail event${events.length === 1 ? '' : 's'} is a KMS call${services.length ? ` (event source: ${services.join(', ')})` : ''}.`,
    };
  }
  // The event people paste to debug is the failed one.
  const event = kmsEvents.find((e) => typeof e.errorCode === 'string') ?? kmsEvents[0];
  const converted = requestFromEvent(event);
  if (!converted.ok) return converted;
  const others = kmsEvents.length - 1;
  return {
    ok: true,
    kind: 'request',
    request: converted.request,
    world: worldOf(event, converted.request),
    source,
    error: converted.error,
    message:
      `Imported ${converted.request.action} by ${converted.request.principal} from ${source}` +
      (others > 0
        ? ` (the ${converted.error ? 'first failed' : 'first'} of ${kmsEvents.length} KMS events)`
        : '') +
      '. ' +
      converted.remarks.join(' '),
  };
}

type EventConversion =
  | { ok: true; request: RequestSpec; error?: { code: string; message?: string }; remarks: string[] }
  | { ok: false; message: string };

function requestFromEvent(event: Json): EventConversion {
  const converted = callOfEvent(event, requestIdOf(event));
  if (!converted.ok) return { ok: false, message: converted.message };
  const { request, error } = converted.call;
  const remarks: string[] = [];
  if (converted.call.accountOnly)
    remarks.push(
      `The event names only the caller's account ${converted.call.accountOnly} (the key owner's trail hides the identity); replace the account root with the caller's role or user ARN.`,
    );
  if (converted.call.keyFromResources)
    remarks.push(
      "The caller named no key; the key comes from the event's resources (KMS found it in the ciphertext).",
    );
  if (request.vpcEndpoint) remarks.push(`The call came through VPC endpoint ${request.vpcEndpoint}.`);
  if (converted.call.service)
    remarks.push(
      `${converted.call.service} called KMS on the principal's behalf (kms:ViaService ${request.viaService}).`,
    );

  const expected = expectedFrom(error?.code, error?.message);
  if (expected) request.expect = expected;
  else if (error)
    remarks.push(`AWS answered ${error.code}, which the lab does not model, so the request has no "expect".`);

  const region = typeof event.awsRegion === 'string' ? event.awsRegion : undefined;
  const when = typeof event.eventTime === 'string' ? ` at ${event.eventTime}` : '';
  request.description =
    `Imported from CloudTrail: ${request.principal} called ${event.eventName as string}${when}${region ? ` in ${region}` : ''}` +
    (error
      ? ` and AWS answered ${error.code}${error.message ? `: "${error.message}"` : ''}.`
      : ' and it succeeded.');
  remarks.push(
    'Add the key policy and the IAM policies involved (CloudTrail does not record them) to see why.',
  );
  return { ok: true, request, error, remarks };
}

const KEY_ARN_PATTERN = /arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+/;

function worldOf(event: Json, request: RequestSpec): EventWorld {
  const identity = isObject(event.userIdentity) ? event.userIdentity : {};
  const world: EventWorld = {};
  const account = firstString(identity.accountId, event.recipientAccountId);
  if (account && isAccountId(account)) world.account = account;

  const resources = Array.isArray(event.resources) ? event.resources.filter(isObject) : [];
  const fromResources = resources
    .map((r) => r.ARN)
    .find((a) => typeof a === 'string' && KEY_ARN_PATTERN.test(a));
  const written = request.keyId?.match(KEY_ARN_PATTERN)?.[0];
  const fromMessage =
    typeof event.errorMessage === 'string' ? event.errorMessage.match(KEY_ARN_PATTERN)?.[0] : undefined;
  world.keyArn = firstString(fromResources, written, fromMessage);
  // An alias as written (alias/name, or an alias ARN …:alias/name).
  const alias = request.keyId?.match(/(?:^|:)(alias\/[\w/-]+)$/)?.[1];
  if (alias) world.keyAlias = alias;

  // The session's issuer is the role (CloudTrail userIdentity sessionContext.sessionIssuer); the role's
  // policies decide, the session name only identifies the caller.
  const caller = classifyPrincipal(request.principal);
  if (caller.kind === 'assumed-role') {
    const issuer = isObject(identity.sessionContext) ? identity.sessionContext.sessionIssuer : undefined;
    const issuerArn = isObject(issuer) && issuer.type === 'Role' ? firstString(issuer.arn) : undefined;
    world.principalArn = issuerArn ?? `arn:aws:iam::${caller.account}:role/${caller.roleName}`;
    world.sessionName = caller.sessionName;
  } else if (caller.kind === 'user' || caller.kind === 'role') {
    world.principalArn = request.principal;
  }
  return world;
}

/** The scenario principal a caller's policies belong to: the role of an assumed-role session, else the caller. */
export function principalOfCaller(scenario: Scenario, caller: string): string | undefined {
  const principals = Object.keys(scenario.principals ?? {});
  if (principals.includes(caller)) return caller;
  const info = classifyPrincipal(caller);
  if (info.kind !== 'assumed-role') return undefined;
  return principals.find((p) => {
    const candidate = classifyPrincipal(p);
    return candidate.kind === 'role' && candidate.account === info.account && p.endsWith(`/${info.roleName}`);
  });
}

/**
 * The key policy of a key known only from CloudTrail (which does not record policies). It is the default key
 * policy (the account may use IAM policies, DEF), so the lab still evaluates, and its Id says what to do.
 */
export function placeholderKeyPolicy(accountId: string): PolicyDocument {
  return {
    ...defaultKeyPolicy(accountId),
    Id: 'PLACEHOLDER: paste the key policy here (aws kms get-key-policy output)',
  };
}

export const PLACEHOLDER_KEY_DESCRIPTION =
  'From a CloudTrail event. Its policy is a placeholder (the default key policy): paste the key policy here, ' +
  'from aws kms get-key-policy, to see why AWS answered as it did.';

/**
 * Adds what the event names and the scenario lacks: the account, the key (with a placeholder policy, and the
 * alias the caller used) and the caller's principal (with no policies yet). Returns what it added, for a notice.
 */
export function withEventWorld(
  scenario: Scenario,
  world: EventWorld,
): { scenario: Scenario; added: string[] } {
  const added: string[] = [];
  const next: Scenario = { ...scenario };
  if (world.account && !next.accounts?.[world.account]) {
    next.accounts = { ...next.accounts, [world.account]: {} };
    added.push(`account ${world.account}`);
  }
  const knownAlias =
    world.keyAlias && Object.values(next.keys ?? {}).some((k) => k?.aliases?.includes(world.keyAlias!));
  if (world.keyArn && !next.keys?.[world.keyArn] && !knownAlias) {
    const keyAccount = parseKmsArn(world.keyArn)?.account ?? world.account ?? '';
    next.keys = {
      ...next.keys,
      [world.keyArn]: {
        description: PLACEHOLDER_KEY_DESCRIPTION,
        ...(world.keyAlias ? { aliases: [world.keyAlias] } : {}),
        policy: placeholderKeyPolicy(keyAccount),
      },
    };
    added.push(
      `the key ${world.keyAlias ? `${world.keyAlias} (${world.keyArn})` : world.keyArn} with a placeholder policy`,
    );
  }
  if (world.principalArn && !next.principals?.[world.principalArn]) {
    next.principals = { ...next.principals, [world.principalArn]: { policies: [] } };
    added.push(`the ${world.sessionName ? 'role' : 'principal'} ${world.principalArn}`);
  }
  return { scenario: next, added };
}

/** A new scenario around one CloudTrail event: its account, key, caller and the request itself. */
export function scenarioFromEvent(imported: {
  request: RequestSpec;
  world: EventWorld;
  error?: { code: string };
}): Scenario {
  const { request, world, error } = imported;
  const { scenario } = withEventWorld(
    {
      version: 2,
      title: `CloudTrail: ${request.action} by ${shortCaller(request.principal)}${error ? ` (${error.code})` : ''}`,
      description:
        "Built from a CloudTrail event. Paste the key policy (aws kms get-key-policy) and the caller's IAM policies " +
        '(aws iam get-role-policy, get-policy-version) to see why AWS answered as it did.',
    },
    world,
  );
  return { ...scenario, requests: [request] };
}

function shortCaller(arn: string): string {
  const info = classifyPrincipal(arn);
  return info.kind === 'assumed-role' ? `${info.roleName}/${info.sessionName}` : info.name || arn;
}

/** What the lab should find, given what AWS answered (IAM's AccessDenied messages name the kind of denial). */
function expectedFrom(errorCode: string | undefined, errorMessage: string | undefined): string | undefined {
  if (!errorCode) return 'Allow';
  if (isAccessDenied(errorCode)) {
    if (errorMessage && /explicit deny/i.test(errorMessage)) return 'ExplicitDeny';
    if (errorMessage && /because no [\w -]*polic(y|ies) allows?|implicit deny/i.test(errorMessage))
      return 'ImplicitDeny';
    // The message does not say which kind of denial: expect the exception itself.
    return 'AccessDeniedException';
  }
  return (EXPECT_VALUES as readonly string[]).includes(errorCode) ? errorCode : undefined;
}

function requestIdOf(event: Json): string {
  const name = String(event.eventName)
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  const unique = firstString(event.eventID, event.requestID)
    ?.replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 8);
  return `cloudtrail-${name}${unique ? `-${unique}` : ''}`;
}

// ---- Helpers ----

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function safeDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length === 0) return { ok: true, value };
  const { offset, error } = errors[0];
  const before = text.slice(0, offset).split('\n');
  return {
    ok: false,
    message: `${printParseErrorCode(error)} at line ${before.length}, column ${before[before.length - 1].length + 1}`,
  };
}
