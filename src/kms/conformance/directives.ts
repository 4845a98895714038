/**
 * Input directives (README "Input directives"): `$utf8`, `$b64`, `$ref`, `$fmt`, `$concat`, `$slice`, `$random`,
 * `$named`, `$privateKey`, `$wrap`, `$jsonString`. Everything else is a literal, walked for nested directives.
 */
import { concatBytes, fromBase64, utf8 } from '../bytes';
import { referencedValue, renderLeaves, renderTemplate, type CaseContext } from './templates';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** The single `$name` key of a directive object, if it is one. */
export function directiveName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length >= 1 && keys[0].startsWith('$') ? keys[0] : undefined;
}

export async function resolveInput(value: unknown, context: CaseContext): Promise<unknown> {
  const name = directiveName(value);
  if (name) return resolveDirective(name, value as Record<string, unknown>, context);
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveInput(v, context)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveInput(v, context);
    return out;
  }
  return value;
}

async function resolveBlob(value: unknown, context: CaseContext): Promise<Uint8Array> {
  const resolved = await resolveInput(value, context);
  if (resolved instanceof Uint8Array) return resolved;
  if (typeof resolved === 'string') return fromBase64(resolved);
  throw new Error(`expected bytes, got ${JSON.stringify(resolved)}`);
}

async function resolveDirective(
  name: string,
  directive: Record<string, unknown>,
  context: CaseContext,
): Promise<unknown> {
  const argument = directive[name];
  switch (name) {
    case '$utf8':
      return utf8(argument as string);
    case '$b64':
      return fromBase64(argument as string);
    case '$ref':
      return referencedValue(argument as string, context);
    case '$fmt':
      return renderTemplate(argument as string, context);
    case '$concat':
      return concatBytes(
        ...(await Promise.all((argument as unknown[]).map((part) => resolveBlob(part, context)))),
      );
    case '$slice': {
      const { of, start, end } = argument as { of: unknown; start: number; end?: number };
      return (await resolveBlob(of, context)).slice(start, end);
    }
    case '$random': {
      const bytes = context.crypto.random(argument as number);
      if (typeof directive.name === 'string') context.named.set(directive.name, bytes);
      return bytes;
    }
    case '$named': {
      const bytes = context.named.get(argument as string);
      if (!bytes) throw new Error(`$named: no bytes named "${String(argument)}"`);
      return bytes;
    }
    case '$privateKey': {
      const { keySpec, name: keyName } = argument as { keySpec: string; name?: string };
      const pair = await context.crypto.privateKey(keySpec);
      if (keyName) context.publicKeys.set(keyName, pair.publicKey);
      return pair.privateKey;
    }
    case '$wrap': {
      const { publicKeyRef, algorithm, material } = argument as {
        publicKeyRef: string;
        algorithm: string;
        material: unknown;
      };
      const publicKey = await resolveBlob({ $ref: publicKeyRef }, context);
      return context.crypto.wrap(publicKey, algorithm, await resolveBlob(material, context));
    }
    case '$jsonString':
      return JSON.stringify(renderLeaves(argument, context));
    default:
      throw new Error(`unknown input directive ${name}`);
  }
}

export { resolveBlob };
