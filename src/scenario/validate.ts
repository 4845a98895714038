/**
 * A small JSON Schema validator for the subset `schema.ts` uses (no ajv: the bundle stays small). It walks a
 * plain JSON value and returns every violation with its JSON path; the loader turns paths into line/column.
 */
import { didYouMean } from '../engine/did-you-mean';
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
  if (schema.const !== undefined && schema.const !== value) {
    out.push({ path, message: `must be ${JSON.stringify(schema.const)}` });
  }
  if (schema.oneOf) checkOneOf(value, schema.oneOf, path, out);
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

/** The violations of each alternative, in order. */
function alternatives(value: unknown, schemas: readonly JsonSchema[], path: JsonPath): SchemaViolation[][] {
  return schemas.map((alternative) => validateAgainstSchema(value, alternative, path));
}

/** Exactly one alternative must hold; when none does, the closest one's violations say why. */
function checkOneOf(
  value: unknown,
  schemas: readonly JsonSchema[],
  path: JsonPath,
  out: SchemaViolation[],
): void {
  const results = alternatives(value, schemas, path);
  const holding = results.filter((violations) => violations.length === 0).length;
  if (holding === 1) return;
  if (holding > 1) {
    out.push({ path, message: `matches ${holding} of the alternatives; it must match exactly one` });
    return;
  }
  const closest = results.reduce((best, violations) => (violations.length < best.length ? violations : best));
  out.push(...closest);
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
    // An undeclared name under `additionalProperties: false` is a warning, not an error: see unknownProperties.
    if (typeof schema.additionalProperties === 'object')
      walk(child, schema.additionalProperties, childPath, out);
  }
}

// ---- Unknown property names (warnings) ----

/**
 * Property names the schema does not declare where it closes an object (`additionalProperties: false`), at
 * every level the schema describes. Each is a warning with the nearest declared name: the document is still
 * valid, and the field is ignored. The walk follows the schema, so it goes no deeper than the schema does.
 */
export function unknownProperties(
  value: unknown,
  schema: JsonSchema,
  path: JsonPath = [],
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  findUnknownProperties(value, schema, path, out);
  return out;
}

function findUnknownProperties(
  value: unknown,
  schema: JsonSchema,
  path: JsonPath,
  out: SchemaViolation[],
): void {
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((item, index) => findUnknownProperties(item, schema.items!, [...path, index], out));
    return;
  }
  if (!isPlainObject(value)) return;
  if (schema.oneOf) {
    // Unknown names are looked for in the alternative that holds.
    const results = alternatives(value, schema.oneOf, path);
    const holding = results.findIndex((violations) => violations.length === 0);
    if (holding >= 0) findUnknownProperties(value, schema.oneOf[holding], path, out);
  }
  for (const [name, child] of Object.entries(value)) {
    const childPath = [...path, name];
    const declared = schema.properties?.[name];
    const byPattern = Object.entries(schema.patternProperties ?? {})
      .filter(([pattern]) => compiled(pattern).test(name))
      .map(([, s]) => s);
    if (declared) findUnknownProperties(child, declared, childPath, out);
    for (const s of byPattern) findUnknownProperties(child, s, childPath, out);
    if (declared || byPattern.length > 0) continue;
    if (schema.additionalProperties === false) {
      out.push({
        path: childPath,
        atKey: true,
        message: unknownPropertyMessage(name, Object.keys(schema.properties ?? {})),
      });
    } else if (typeof schema.additionalProperties === 'object') {
      findUnknownProperties(child, schema.additionalProperties, childPath, out);
    }
  }
}

/** `unknown field "titel" is ignored. Did you mean "title"?` (or the names this object takes). */
export function unknownPropertyMessage(name: string, known: string[]): string {
  const hint = didYouMean(name, known);
  const listed = known.filter((k) => k !== '$schema');
  return `unknown field ${JSON.stringify(name)} is ignored.${hint || (listed.length > 0 ? ` Here the fields are ${listed.join(', ')}.` : '')}`;
}
