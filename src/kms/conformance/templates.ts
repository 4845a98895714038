/**
 * What a case has learned so far (earlier responses, named bytes and keys) and the templates that read it
 * (README "Templates": `{{N.path}}`, `{{$self.path}}`, `{{$partition}}`, `{{$region}}`, `{{$region2}}`,
 * `{{$account}}`, `{{$callerArn}}`).
 */
import { toBase64 } from '../bytes';
import { splitReference, valueAt } from './paths';
import type { ConformanceCrypto, ConformanceEnvironment } from './types';

export interface CaseContext {
  env: ConformanceEnvironment;
  crypto: ConformanceCrypto;
  /** Responses by step index (undefined for steps that failed as expected). */
  responses: (Record<string, unknown> | undefined)[];
  /** The current step's response, for `{{$self.…}}` in expectations. */
  self?: Record<string, unknown>;
  /** `$random` bytes by name. */
  named: Map<string, Uint8Array>;
  /** `$privateKey` public keys (SPKI DER) by name. */
  publicKeys: Map<string, Uint8Array>;
}

/** The value an `N.path` reference names; throws when the step or the member is missing. */
export function referencedValue(reference: string, context: CaseContext): unknown {
  const { step, path } = splitReference(reference);
  const response = context.responses[step];
  if (!response) throw new Error(`reference ${reference}: step ${step} has no response`);
  const value = valueAt(response, path);
  if (value === undefined)
    throw new Error(`reference ${reference}: no such member in step ${step}'s response`);
  return value;
}

function asText(value: unknown): string {
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function renderTemplate(template: string, context: CaseContext, forRegex = false): string {
  return template.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => {
    const text = placeholder(name.trim(), context);
    return forRegex ? escapeRegex(text) : text;
  });
}

function placeholder(name: string, context: CaseContext): string {
  const { env } = context;
  switch (name) {
    case '$partition':
      return env.partition;
    case '$region':
      return env.region;
    case '$region2':
      return env.region2;
    case '$account':
      return env.account;
    case '$callerArn':
      return env.callerArn;
  }
  if (name.startsWith('$self.')) {
    const value = valueAt(context.self, name.slice('$self.'.length));
    if (value === undefined) throw new Error(`{{${name}}}: no such member in this step's response`);
    return asText(value);
  }
  return asText(referencedValue(name, context));
}

/** `$jsonString` / `$json` values: every string leaf rendered as a template. */
export function renderLeaves(value: unknown, context: CaseContext): unknown {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((v) => renderLeaves(v, context));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderLeaves(v, context)]));
  return value;
}
