/**
 * Matchers of `expect.fields` (README "Matchers"). `mismatch` returns undefined when the value satisfies the
 * matcher, or a short reason.
 */
import { equalBytes, fromBase64, toBase64 } from '../bytes';
import { directiveName, resolveBlob, resolveInput } from './directives';
import { renderLeaves, renderTemplate, type CaseContext } from './templates';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes ${toBase64(value).slice(0, 24)}…>`;
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text && text.length > 160 ? `${text.slice(0, 160)}…` : String(text);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Uint8Array) &&
  !(v instanceof Date);

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    try {
      return fromBase64(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function typeMismatch(actual: unknown, type: string): string | undefined {
  const ok = (() => {
    switch (type) {
      case 'string':
        return typeof actual === 'string' && actual.length > 0;
      case 'number':
        return typeof actual === 'number';
      case 'boolean':
        return typeof actual === 'boolean';
      case 'base64':
        return (asBytes(actual)?.length ?? 0) > 0;
      case 'arn':
        return typeof actual === 'string' && actual.startsWith('arn:');
      case 'uuid':
        return typeof actual === 'string' && UUID.test(actual);
      case 'timestamp':
        return (
          actual instanceof Date ||
          typeof actual === 'number' ||
          (typeof actual === 'string' && !Number.isNaN(Date.parse(actual)))
        );
      case 'array':
        return Array.isArray(actual);
      case 'object':
        return isObject(actual);
      default:
        return false;
    }
  })();
  return ok ? undefined : `expected ${type}, got ${show(actual)}`;
}

function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000; // epoch seconds, as the JSON protocol writes timestamps
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}

/** Deep equality of JSON-like values (arrays in order; bytes by content). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    const x = asBytes(a);
    const y = asBytes(b);
    return !!x && !!y && equalBytes(x, y);
  }
  if (a instanceof Date || b instanceof Date) return timeOf(a) !== undefined && timeOf(a) === timeOf(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return a === b;
}

export async function mismatch(
  actual: unknown,
  matcher: unknown,
  context: CaseContext,
): Promise<string | undefined> {
  const name = directiveName(matcher);
  if (name) return directiveMismatch(actual, name, matcher as Record<string, unknown>, context);
  if (Array.isArray(matcher)) {
    if (!Array.isArray(actual) || actual.length !== matcher.length)
      return `expected ${show(matcher)}, got ${show(actual)}`;
    for (let i = 0; i < matcher.length; i++) {
      const why = await mismatch(actual[i], matcher[i], context);
      if (why) return `[${i}]: ${why}`;
    }
    return undefined;
  }
  if (isObject(matcher)) {
    if (!isObject(actual)) return `expected an object, got ${show(actual)}`;
    const extra = Object.keys(actual).filter((k) => actual[k] !== undefined && !(k in matcher));
    if (extra.length > 0) return `unexpected members ${extra.join(', ')}`;
    for (const [k, m] of Object.entries(matcher)) {
      const why = await mismatch(actual[k], m, context);
      if (why) return `${k}: ${why}`;
    }
    return undefined;
  }
  return deepEqual(actual, matcher) ? undefined : `expected ${show(matcher)}, got ${show(actual)}`;
}

async function partialMismatch(element: unknown, partial: Record<string, unknown>, context: CaseContext) {
  if (!isObject(element)) return 'not an object';
  for (const [k, m] of Object.entries(partial)) {
    const why = await mismatch(element[k], m, context);
    if (why) return `${k}: ${why}`;
  }
  return undefined;
}

async function directiveMismatch(
  actual: unknown,
  name: string,
  matcher: Record<string, unknown>,
  context: CaseContext,
): Promise<string | undefined> {
  const argument = matcher[name];
  switch (name) {
    case '$utf8':
    case '$b64':
    case '$ref': {
      const expected = await resolveInput(matcher, context);
      return deepEqual(actual, expected) ? undefined : `expected ${show(expected)}, got ${show(actual)}`;
    }
    case '$fmt': {
      const expected = renderTemplate(argument as string, context);
      return actual === expected ? undefined : `expected ${show(expected)}, got ${show(actual)}`;
    }
    case '$regex': {
      const pattern = new RegExp(renderTemplate(argument as string, context, true));
      return typeof actual === 'string' && pattern.test(actual)
        ? undefined
        : `${show(actual)} does not match ${pattern}`;
    }
    case '$type':
      return typeMismatch(actual, argument as string);
    case '$absent':
      return actual === undefined || actual === null ? undefined : `expected absent, got ${show(actual)}`;
    case '$ne':
      return (await mismatch(actual, argument, context))
        ? undefined
        : `expected anything but ${show(argument)}`;
    case '$len':
      return Array.isArray(actual) && actual.length === argument
        ? undefined
        : `expected ${String(argument)} elements, got ${Array.isArray(actual) ? actual.length : show(actual)}`;
    case '$byteLength': {
      const bytes = asBytes(actual);
      return bytes?.length === argument
        ? undefined
        : `expected ${String(argument)} bytes, got ${show(actual)}`;
    }
    case '$contains':
    case '$notContains': {
      if (!Array.isArray(actual)) return `expected an array, got ${show(actual)}`;
      let found = false;
      for (const element of actual)
        if (!(await partialMismatch(element, argument as Record<string, unknown>, context))) found = true;
      if (name === '$contains') return found ? undefined : `no element matches ${show(argument)}`;
      return found ? `an element matches ${show(argument)}` : undefined;
    }
    case '$json': {
      if (typeof actual !== 'string') return `expected a JSON string, got ${show(actual)}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(actual);
      } catch {
        return `not JSON: ${show(actual)}`;
      }
      const expected = renderLeaves(argument, context);
      return deepEqual(parsed, expected) ? undefined : `expected JSON ${show(expected)}, got ${show(parsed)}`;
    }
    case '$publicKeyOf': {
      const expected = context.publicKeys.get(argument as string);
      if (!expected) return `no private key named "${String(argument)}"`;
      return deepEqual(actual, expected) ? undefined : `not the public key of "${String(argument)}"`;
    }
    case '$verifies': {
      const spec = argument as {
        publicKeyRef: string;
        signingAlgorithm: string;
        messageType: 'RAW' | 'DIGEST';
        message: unknown;
        pssSaltLength?: number;
      };
      const signature = asBytes(actual);
      if (!signature) return `expected a signature, got ${show(actual)}`;
      const valid = await context.crypto.verify({
        publicKey: await resolveBlob({ $ref: spec.publicKeyRef }, context),
        signingAlgorithm: spec.signingAlgorithm,
        messageType: spec.messageType,
        message: await resolveBlob(spec.message, context),
        signature,
        pssSaltLength: spec.pssSaltLength,
      });
      return valid
        ? undefined
        : `the signature does not verify offline (${spec.signingAlgorithm}, ${spec.messageType})`;
    }
    default:
      return `unknown matcher ${name}`;
  }
}
