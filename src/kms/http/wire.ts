/**
 * The JSON 1.1 wire form of KMS requests and responses (facts §2.1): blobs are base64 strings, timestamps are epoch
 * seconds. `shapes.ts` (from the AWS model) says which members are which; every other member passes through as
 * parsed, and the core checks its type against the model (`validate.ts`).
 */
import { KmsError } from '../errors';
import { fromBase64, toBase64 } from '../bytes';
import type { KmsRequest, KmsResponse } from '../api';
import type { WireShape, WireStructure } from './model-shapes';
import { WIRE_SHAPES } from './shapes';

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * A member of the wrong JSON type. The member is named as the core's validation names it ('tags.1.member.tagKey').
 * _Choice_: AWS's SerializationException text for this was not found; the lab names the member.
 */
function wrongType(where: string, expected: string): KmsError {
  return new KmsError('SerializationException', `Unexpected value type at '${where}': expected ${expected}`);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeValue(value: unknown, shape: WireShape, where: string): unknown {
  if (value === null || value === undefined) return value; // the core answers "Member must not be null" if needed
  if (shape === 'blob') {
    if (typeof value !== 'string') throw wrongType(where, 'a base64 string');
    const text = value.replace(/\s+/g, '');
    if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1)
      throw new KmsError('SerializationException', `Invalid base64 value at '${where}'`);
    return fromBase64(text);
  }
  if (shape === 'timestamp') {
    // AWS JSON protocols send timestamps as epoch seconds (a number, fractions allowed).
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw wrongType(where, 'a number of seconds since 1970');
    return new Date(value * 1000);
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) throw wrongType(where, 'a list');
    return value.map((element, i) => decodeValue(element, shape[0], `${where}.${i + 1}.member`));
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(where, 'a structure');
  return decodeStructure(value as Record<string, unknown>, shape as WireStructure, where);
}

function decodeStructure(value: Record<string, unknown>, shape: WireStructure, where: string) {
  const out: Record<string, unknown> = {};
  for (const [member, memberValue] of Object.entries(value)) {
    const memberShape = Object.hasOwn(shape, member) ? shape[member] : undefined;
    const path = where ? `${where}.${lowerFirst(member)}` : lowerFirst(member);
    out[member] = memberShape ? decodeValue(memberValue, memberShape, path) : memberValue;
  }
  return out;
}

/** A parsed JSON request body in the typed API's form (`Uint8Array` blobs, `Date` timestamps). */
export function decodeRequest(operation: string, body: Record<string, unknown>): KmsRequest {
  const shape = Object.hasOwn(WIRE_SHAPES, operation) ? WIRE_SHAPES[operation].input : undefined;
  return shape ? decodeStructure(body, shape, '') : body;
}

/**
 * Responses convert by the value's own type: the typed API promises `Uint8Array` blobs and `Date` timestamps
 * (api.ts), so no table is needed on the way out. `wire.test.ts` checks that the core's responses put them exactly
 * where the model's output shapes (`WIRE_SHAPES[op].output`) say.
 */
function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [member, memberValue] of Object.entries(value))
      if (memberValue !== undefined) out[member] = encodeValue(memberValue);
    return out;
  }
  return value;
}

/** A typed API response in its JSON 1.1 form. */
export function encodeResponse(response: KmsResponse): Record<string, unknown> {
  return encodeValue(response ?? {}) as Record<string, unknown>;
}
