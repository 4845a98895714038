/**
 * One CloudTrail record of a KMS call → the lab request it stands for: the caller (userIdentity), the action, the key
 * as the caller named it, the encryption context, grant tokens, network origin and calling service, and what AWS
 * answered. Shared by the paste importer (`import-aws.ts`, one event) and the trail replay (`src/replay`, millions of
 * events), so it does the least work per event: no regular expression is built per call, no sentence is written.
 * Pure; never throws.
 *
 * Field meanings: CloudTrail userIdentity element and record contents (kms-service-facts §3.1); CloudTrail echoes the
 * request with lowerCamelCase names.
 */
import { isIpAddress } from './load';
import { VIA_SERVICE_PATTERN, VPC_ENDPOINT_PATTERN } from './schema';
import { isAccountId } from '../engine/arn';
import type { RequestSpec } from './types';

type Json = Record<string, unknown>;
export const isJsonObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';

/** A request built from a CloudTrail record, with what the importer tells people about how it was read. */
export interface CloudTrailCall {
  request: RequestSpec;
  /** The caller named no key: it comes from the event's resources (KMS found it in the ciphertext). */
  keyFromResources: boolean;
  /** The key ARNs the event names (resources[] of type AWS::KMS::Key), in order (ReEncrypt: source, destination). */
  resourceKeys: string[];
  /** Only the caller's account is known (userIdentity type AWSAccount in the key owner's trail). */
  accountOnly?: string;
  /** The AWS service that called KMS for the principal (e.g. `s3`), when it did. */
  service?: string;
  /** What AWS answered, when the call failed. */
  error?: { code: string; message?: string };
}

/** A field the conversion could not use, with its JSON path inside the record. */
export interface CallProblem {
  path: (string | number)[];
  message: string;
}

export type CallConversion =
  | { ok: true; call: CloudTrailCall; problems: CallProblem[] }
  | { ok: false; path: (string | number)[]; message: string };

const VPC_ENDPOINT = new RegExp(VPC_ENDPOINT_PATTERN);
const VIA_SERVICE = new RegExp(VIA_SERVICE_PATTERN);
/** A CloudTrail host name of an AWS service, e.g. `s3.amazonaws.com` (CloudTrail userIdentity invokedBy). */
const SERVICE_HOST = /^([a-z0-9-]+)\.amazonaws\.com$/;

const KEY_FIELDS = ['keyId', 'sourceKeyId', 'targetKeyId'] as const;
const CONTEXT_FIELDS = ['encryptionContext', 'sourceEncryptionContext'] as const;

/** Fields of requestParameters that have a place of their own in a lab request; the rest become `parameters`. */
const OWN_REQUEST_FIELDS = new Set([
  'keyId',
  'sourceKeyId',
  'encryptionContext',
  'sourceEncryptionContext',
  'grantTokens',
]);

/**
 * Whether a source address is an IP address (CloudTrail puts a service's host name there when a service made the
 * call). Dotted IPv4, the common case, is checked by hand: a trail has as many addresses as callers.
 */
function isIp(text: string): boolean {
  if (text.includes(':')) return isIpAddress(text); // IPv6
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++parts > 3) return false;
      digits = 0;
      value = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      // No leading zeros (isIpAddress's rule) and at most 255.
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  return parts === 3 && digits > 0;
}

/** `kms:<eventName>`, one string per name (the engine and the replay look actions up in maps). Bounded. */
const actions = new Map<string, string>();
function actionOf(eventName: string): string {
  let action = actions.get(eventName);
  if (action === undefined) {
    if (actions.size >= 256) actions.clear();
    action = `kms:${eventName}`;
    actions.set(eventName, action);
  }
  return action;
}

/**
 * The request a CloudTrail record of a KMS call stands for. `id` becomes the request id. Problems are fields of
 * the wrong type that were left out (an encryption context that is not a string map…); a record without a caller
 * is not convertible at all.
 */
export function callOfEvent(event: Json, id: string): CallConversion {
  const problems: CallProblem[] = [];
  const identity = event.userIdentity;
  if (!isJsonObject(identity))
    return {
      ok: false,
      path: ['userIdentity'],
      message:
        identity === undefined
          ? 'The CloudTrail event does not say who made the call (no userIdentity).'
          : 'userIdentity is not an object.',
    };
  const eventName = event.eventName;
  if (typeof eventName !== 'string' || eventName === '')
    return { ok: false, path: ['eventName'], message: 'eventName is not a string.' };
  const caller = callerOf(identity);
  if (!caller)
    return {
      ok: false,
      path: ['userIdentity'],
      message: 'The CloudTrail event does not say who made the call (no userIdentity.arn or accountId).',
    };
  const region = typeof event.awsRegion === 'string' ? event.awsRegion : undefined;

  // The engine takes ReEncrypt as one request: keyId = the source key, `destinationKeyId` in parameters, and checks
  // kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination (DEF).
  const request: RequestSpec = { id, principal: caller.principal, action: actionOf(eventName) };
  const rawParameters = event.requestParameters;
  let given: Json = {};
  if (isJsonObject(rawParameters)) given = rawParameters;
  else if (rawParameters !== undefined && rawParameters !== null)
    problems.push({ path: ['requestParameters'], message: 'requestParameters is not an object.' });
  let parameters: Json | undefined;
  for (const name in given) {
    if (OWN_REQUEST_FIELDS.has(name)) continue;
    (parameters ??= {})[name] = given[name];
  }

  const resourceKeys: string[] = [];
  const resources = event.resources;
  if (Array.isArray(resources)) {
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i];
      if (!isJsonObject(resource)) {
        problems.push({ path: ['resources', i], message: 'a resource is not an object.' });
        continue;
      }
      const arn = resource.ARN;
      if (arn !== undefined && typeof arn !== 'string')
        problems.push({ path: ['resources', i, 'ARN'], message: 'ARN is not a string.' });
      else if (typeof arn === 'string' && (resource.type === 'AWS::KMS::Key' || resource.type === undefined))
        resourceKeys.push(arn);
    }
  } else if (resources !== undefined && resources !== null) {
    problems.push({ path: ['resources'], message: 'resources is not an array.' });
  }

  // keyId as the caller wrote it; for Decrypt without KeyId, resources[] names the key KMS used (kms-service-facts §3.2).
  let written: string | undefined;
  for (const name of KEY_FIELDS) {
    const value = given[name];
    if (typeof value === 'string' && value !== '') {
      written ??= value;
    } else if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ path: ['requestParameters', name], message: `${name} is not a string.` });
    }
  }
  const keyId = written ?? resourceKeys[0];
  if (keyId) request.keyId = keyId;

  for (const name of CONTEXT_FIELDS) {
    const value = given[name];
    if (value === undefined || value === null) continue;
    const context = stringRecord(value);
    if (!context) {
      problems.push({
        path: ['requestParameters', name],
        message: `${name} is not an object of string values.`,
      });
    } else if (!request.encryptionContext) {
      request.encryptionContext = context;
    }
  }
  const grantTokens = given.grantTokens;
  if (Array.isArray(grantTokens) && grantTokens.every((t) => typeof t === 'string'))
    request.grantTokens = grantTokens as string[];
  else if (grantTokens !== undefined && grantTokens !== null)
    problems.push({
      path: ['requestParameters', 'grantTokens'],
      message: 'grantTokens is not an array of strings.',
    });

  // Network origin. Through a VPC endpoint there is no aws:SourceIp; the private address is aws:VpcSourceIp (CA).
  // sourceIPAddress holds a service's host name (or "AWS Internal") when a service made the call: not an address.
  let sourceAddress: string | undefined;
  if (typeof event.sourceIPAddress === 'string') sourceAddress = event.sourceIPAddress;
  else if (event.sourceIPAddress !== undefined && event.sourceIPAddress !== null)
    problems.push({ path: ['sourceIPAddress'], message: 'sourceIPAddress is not a string.' });
  const addressIsIp = sourceAddress !== undefined && isIp(sourceAddress);
  const endpoint = typeof event.vpcEndpointId === 'string' ? event.vpcEndpointId : undefined;
  let extraContext: Record<string, string> | undefined;
  if (endpoint && VPC_ENDPOINT.test(endpoint)) {
    request.vpcEndpoint = endpoint;
    if (addressIsIp) (extraContext ??= {})['aws:VpcSourceIp'] = sourceAddress!;
  } else if (addressIsIp) {
    request.sourceIp = sourceAddress;
  }

  // A service that called KMS for the user: CloudTrail names it in userIdentity.invokedBy (or as the source
  // address), e.g. "s3.amazonaws.com"; kms:ViaService spells it <service>.<region>.amazonaws.com (CK).
  // [inferred] mapping from the CloudTrail host name to the ViaService name by inserting the event's Region.
  let service: string | undefined;
  if (identity.type !== 'AWSService') {
    const host =
      typeof identity.invokedBy === 'string' && identity.invokedBy !== ''
        ? identity.invokedBy
        : sourceAddress && !addressIsIp
          ? sourceAddress
          : undefined;
    const name = host?.match(SERVICE_HOST)?.[1];
    if (name && region) {
      const viaService = `${name}.${region}.amazonaws.com`;
      if (VIA_SERVICE.test(viaService)) {
        request.viaService = viaService;
        service = name;
      }
    }
  }

  const sessionContext = identity.sessionContext;
  const mfa =
    isJsonObject(sessionContext) && isJsonObject(sessionContext.attributes)
      ? sessionContext.attributes.mfaAuthenticated
      : undefined;
  if (mfa === 'true' || mfa === 'false') (extraContext ??= {})['aws:MultiFactorAuthPresent'] = mfa;
  if (extraContext) request.context = extraContext;
  if (parameters) request.parameters = parameters;

  let error: CloudTrailCall['error'];
  if (typeof event.errorCode === 'string' && event.errorCode !== '') {
    error = { code: event.errorCode };
    if (typeof event.errorMessage === 'string') error.message = event.errorMessage;
  } else if (event.errorCode !== undefined && event.errorCode !== null && event.errorCode !== '') {
    problems.push({ path: ['errorCode'], message: 'errorCode is not a string.' });
  }
  const call: CloudTrailCall = {
    request,
    keyFromResources: written === undefined && keyId !== undefined,
    resourceKeys,
  };
  if (caller.accountOnly) call.accountOnly = caller.accountOnly;
  if (service) call.service = service;
  if (error) call.error = error;
  return { ok: true, call, problems };
}

/** The caller's principal from userIdentity (CloudTrail userIdentity element, kms-service-facts §3.1). */
export function callerOf(identity: Json): { principal: string; accountOnly?: string } | undefined {
  if (typeof identity.arn === 'string' && identity.arn.startsWith('arn:')) return { principal: identity.arn };
  if (identity.type === 'AWSService' && typeof identity.invokedBy === 'string' && identity.invokedBy !== '')
    return { principal: identity.invokedBy };
  if (typeof identity.accountId === 'string' && isAccountId(identity.accountId)) {
    // A call from another account shows only that account in the key owner's trail (userIdentity type AWSAccount).
    return {
      principal: `arn:aws:iam::${identity.accountId}:root`,
      accountOnly: identity.accountId,
    };
  }
  return undefined;
}

/** Is the error one of IAM's authorization denials (`AccessDenied` in CloudTrail, `AccessDeniedException` in the API)? */
export function isAccessDenied(errorCode: string | undefined): boolean {
  return errorCode === 'AccessDenied' || errorCode === 'AccessDeniedException';
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isJsonObject(value)) return undefined;
  for (const key in value) if (typeof value[key] !== 'string') return undefined;
  return value as Record<string, string>;
}
