/**
 * A small JSON Schema validator for the subset `schema.ts` uses (no ajv: the bundle stays small). It walks a
 * plain JSON value and returns every violation with its JSON path; the loader turns paths into line/column.
 */
import type { JsonSchema, JsonType } from './schema';

export type JsonPath = (string | number)[];

export interface SchemaViolation {
  path: JsonPath;
  message: string;
  /** True when the violation is about a property name (point at the key, not the value). */
  atKey?: boolean;
}

const patternCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    patternCache.set(pattern, regex);
  }
  return regex;
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function typeMatches(actual: JsonType, expected: JsonType): boolean {
  return actual === expected || (expected === 'number' && actual === 'integer');
}

const article = (type: JsonType) =>
  type === 'object' || type === 'array' || type === 'integer' ? 'an' : 'a';

function describeTypes(types: JsonType[]): string {
  return types.map((t) => `${article(t)} ${t}`).join(' or ');
}

export function listValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validate `value` against `schema`; returns every violation found (an empty array means valid). */
export function validateAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  path: JsonPath = [],
): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  walk(value, schema, path, violations);
  return violations;
}

function walk(value: unknown, schema: JsonSchema, path: JsonPath, out: SchemaViolation[]): void {
  const actual = jsonTypeOf(value);
  if (schema.type !== undefined) {
    const expected = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!expected.some((t) => typeMatches(actual, t))) {
      out.push({ path, message: `must be ${describeTypes(expected)}, not ${article(actual)} ${actual}` });
      return; // the other keywords would only repeat the type error
    }
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    out.push({ path, message: `must be one of ${listValues(schema.enum)}` });
  }
  if (typeof value === 'string') checkString(value, schema, path, out);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      out.push({
        path,
        message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`,
      });
    }
    if (schema.items) value.forEach((item, index) => walk(item, schema.items!, [...path, index], out));
  }
  if (isPlainObject(value)) checkObject(value, schema, path, out);
}

function checkString(
  value: string,
  schema: JsonSchema,
  path: JsonPath,
  out: SchemaViolation[],
  atKey = false,
): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    out.push({
      path,
      atKey,
      message:
        schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`,
    });
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    out.push({
      path,
      atKey,
      message: `must be at most ${schema.maxLength} characters long (it has ${value.length})`,
    });
  }
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
    const reason = schema.patternErrorMessage ?? `must match the pattern ${schema.pattern}`;
    out.push({ path, atKey, message: atKey ? `property name ${JSON.stringify(value)} ${reason}` : reason });
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: JsonPath,
  out: SchemaViolation[],
): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) out.push({ path, message: `is missing the required property "${name}"` });
  }
  for (const [name, child] of Object.entries(value)) {
    const childPath = [...path, name];
    if (schema.propertyNames) checkString(name, schema.propertyNames, childPath, out, true);
    const declared = schema.properties?.[name];
    const byPattern = Object.entries(schema.patternProperties ?? {})
      .filter(([pattern]) => compiled(pattern).test(name))
      .map(([, s]) => s);
    if (declared) walk(child, declared, childPath, out);
    for (const s of byPattern) walk(child, s, childPath, out);
    if (declared || byPattern.length > 0) continue;
    if (schema.additionalProperties === false) {
      const known = Object.keys(schema.properties ?? {});
      const hint = known.length > 0 ? `; expected one of ${known.join(', ')}` : '';
      out.push({ path: childPath, atKey: true, message: `is not an allowed property${hint}` });
    } else if (typeof schema.additionalProperties === 'object') {
      walk(child, schema.additionalProperties, childPath, out);
    }
  }
}
