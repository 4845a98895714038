/**
 * Loads a scenario from text: JSON(C) parsing with locations, version migration, schema validation and the
 * semantic checks a schema cannot express. Every problem comes back as a LocatedError (file, JSON path, 1-based
 * line and column); `loadScenario` never throws.
 */
import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { policyId } from '../engine/policy-ids';
import type { PolicyId, SourcePosition, SourceRange } from '../engine/types';
import { migrateScenario } from './migrate';
import { organizationProblems, orgTargets } from './organization';
import { scenarioSchema, type JsonSchema } from './schema';
import type { Scenario } from './types';
import { validateAgainstSchema, type JsonPath, type SchemaViolation } from './validate';
import { scenarioWarnings } from './warnings';

export interface LocatedError {
  file?: string;
  path: JsonPath;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export type LoadResult =
  | {
      ok: true;
      scenario: Scenario;
      /** The text of each policy document as written in the file, keyed by PolicyId (for the engine's ranges). */
      sources: Record<PolicyId, string>;
      /** Where each of those texts starts in the file, to map a range inside a policy back to the file. */
      sourceStarts: Record<PolicyId, SourcePosition>;
      /** Remarks for the learner (e.g. a migration happened). */
      notes: string[];
      /** What the lab reads past without using: unknown fields, parameters the operation ignores (scenarioWarnings). */
      warnings: LocatedError[];
    }
  | { ok: false; errors: LocatedError[]; warnings?: LocatedError[] };

/** Parses, migrates and validates a scenario document. Never throws. */
export function loadScenario(text: string, file?: string): LoadResult {
  try {
    return load(text, file);
  } catch (error) {
    // A bug in the loader must still reach the user as a message, not as a crash.
    return {
      ok: false,
      errors: [
        { file, path: [], line: 1, column: 1, message: `internal error while loading: ${String(error)}` },
      ],
    };
  }
}

function load(text: string, file: string | undefined): LoadResult {
  const lines = lineStarts(text);
  const at = (offset: number, path: JsonPath, message: string): LocatedError => {
    const { line, column } = positionAt(lines, offset);
    return { file, path, line, column, message };
  };

  if (text.trim() === '')
    return { ok: false, errors: [at(0, [], 'the file is empty; a scenario is a JSON object')] };
  const parseErrors: ParseError[] = [];
  // Comments are accepted (lab-design §2 writes scenarios as JSONC); trailing commas are not.
  const root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    const errors = parseErrors.map((e) => at(e.offset, [], `JSON syntax error: ${describeParseError(e)}`));
    return { ok: false, errors: errors.length > 0 ? errors : [at(0, [], 'not a JSON document')] };
  }

  const locate = (path: JsonPath, message: string, atKey = false): LocatedError => {
    const node = nearestNode(root, path);
    const target = atKey && node.parent?.type === 'property' ? node.parent.children![0] : node;
    return at(target.offset, path, message);
  };

  const migration = migrateScenario(getNodeValue(root));
  if (!migration.ok) return { ok: false, errors: [locate(migration.path, migration.message)] };
  const locateMigrated = (path: JsonPath, message: string, atKey = false) =>
    locate(migration.pathBefore(path), message, atKey);

  const violations: SchemaViolation[] = [
    ...validateAgainstSchema(migration.scenario, scenarioSchema),
    ...semanticProblems(migration.scenario),
  ];
  const duplicates = duplicateKeys(root, scenarioSchema, []).map((d) => at(d.offset, d.path, d.message));
  const errors = [...violations.map((v) => locateMigrated(v.path, v.message, v.atKey)), ...duplicates];
  const warnings = locatedWarnings(migration.scenario, locateMigrated);
  if (errors.length > 0) return { ok: false, errors: byPosition(errors), warnings };

  const scenario = migration.scenario as unknown as Scenario;
  const sources: Record<PolicyId, string> = {};
  const sourceStarts: Record<PolicyId, SourcePosition> = {};
  for (const [id, path] of policyPaths(scenario)) {
    const node = findNodeAtLocation(root, migration.pathBefore(path));
    if (!node) continue;
    sources[id] = text.slice(node.offset, node.offset + node.length);
    sourceStarts[id] = { ...positionAt(lines, node.offset), offset: node.offset };
  }
  return { ok: true, scenario, sources, sourceStarts, notes: migration.notes, warnings };
}

function byPosition(errors: LocatedError[]): LocatedError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The scenario's warnings (scenarioWarnings), each at the name it is about. */
function locatedWarnings(
  scenario: Record<string, unknown>,
  locate: (path: JsonPath, message: string, atKey?: boolean) => LocatedError,
): LocatedError[] {
  return byPosition(scenarioWarnings(scenario).map((w) => locate(w.path, w.message, w.atKey)));
}

/** `file:line:column  $.titel: warning: unknown field "titel" is ignored. Did you mean "title"?` */
export function formatLocatedWarning(warning: LocatedError): string {
  return `${warning.file ?? '<input>'}:${warning.line}:${warning.column}  ${formatJsonPath(warning.path)}: warning: ${warning.message}`;
}

/** `file:line:column  $.keys["arn…"].state: must be one of Enabled, Disabled, …` */
export function formatLocatedError(error: LocatedError): string {
  return `${error.file ?? '<input>'}:${error.line}:${error.column}  ${formatJsonPath(error.path)}: ${error.message}`;
}

/** `$`, `$.keys["arn:aws:kms:…"].state`, `$.requests[2].id`. */
export function formatJsonPath(path: JsonPath): string {
  return (
    '$' +
    path
      .map((part) =>
        typeof part === 'number'
          ? `[${part}]`
          : /^[A-Za-z_$][\w$]*$/.test(part)
            ? `.${part}`
            : `[${JSON.stringify(part)}]`,
      )
      .join('')
  );
}

/** The 1-based line and column of the value at `path` in `text`, or of its nearest ancestor that exists. */
export function locatePath(text: string, path: JsonPath): { line: number; column: number } {
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: false });
  return root ? positionAt(lineStarts(text), nearestNode(root, path).offset) : { line: 1, column: 1 };
}

/** A warning or error of a scenario located in a text of it: its JSON path, message and range. */
export interface LocatedRange {
  path: JsonPath;
  message: string;
  range: SourceRange;
}

/**
 * Locates violations (e.g. `scenarioWarnings`) in a text of the scenario, such as the lab's scenario editor:
 * the text is parsed once. A violation about a property name is placed on the name.
 */
export function locateViolations(text: string, violations: SchemaViolation[]): LocatedRange[] {
  if (violations.length === 0) return [];
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: false });
  const lines = lineStarts(text);
  const position = (offset: number): SourcePosition => ({ ...positionAt(lines, offset), offset });
  return violations.map((v) => {
    const node = root ? nearestNode(root, v.path) : undefined;
    const target = node && v.atKey && node.parent?.type === 'property' ? node.parent.children![0] : node;
    const start = target?.offset ?? 0;
    return {
      path: v.path,
      message: v.message,
      range: { start: position(start), end: position(start + (target?.length ?? 0)) },
    };
  });
}

/** Maps a position inside a policy's source text (as the engine reports it) to the position in the scenario file. */
export function toFilePosition(sourceStart: SourcePosition, inPolicy: SourcePosition): SourcePosition {
  return {
    offset: sourceStart.offset + inPolicy.offset,
    line: sourceStart.line + inPolicy.line - 1,
    column: inPolicy.line === 1 ? sourceStart.column + inPolicy.column - 1 : inPolicy.column,
  };
}

// ---- Policy documents of a scenario and their ids ----

/** Every policy document of a (valid) scenario: its PolicyId and its JSON path. */
export function policyPaths(scenario: Scenario): [PolicyId, JsonPath][] {
  const found: [PolicyId, JsonPath][] = [];
  for (const [keyArn, key] of Object.entries(scenario.keys ?? {})) {
    if (key.policy) found.push([policyId({ layer: 'key', keyArn }), ['keys', keyArn, 'policy']]);
  }
  for (const [principalArn, principal] of Object.entries(scenario.principals ?? {})) {
    (principal.policies ?? []).forEach((policy, index) => {
      const named = isNamedPolicy(policy);
      found.push([
        policyId({ layer: 'identity', principalArn, index }),
        named
          ? ['principals', principalArn, 'policies', index, 'document']
          : ['principals', principalArn, 'policies', index],
      ]);
    });
    if (principal.permissionsBoundary) {
      found.push([
        policyId({ layer: 'boundary', principalArn }),
        ['principals', principalArn, 'permissionsBoundary'],
      ]);
    }
  }
  for (const [target, attached] of orgTargets(scenario.organization)) {
    const where = target === 'root' ? ['root'] : [target.startsWith('ou-') ? 'units' : 'accounts', target];
    for (const layer of ['scps', 'rcps'] as const) {
      (attached[layer] ?? []).forEach((policy, index) => {
        if (typeof policy === 'string') return; // an AWS managed policy by name: nothing written to edit
        const path = ['organization', ...where, layer, index];
        found.push([
          policyId({ layer: layer === 'scps' ? 'scp' : 'rcp', target, index }),
          isNamedPolicy(policy) ? [...path, 'document'] : path,
        ]);
      });
    }
  }
  for (const [vpceId, endpoint] of Object.entries(scenario.vpcEndpoints ?? {})) {
    if (endpoint.policy)
      found.push([policyId({ layer: 'endpoint', vpceId }), ['vpcEndpoints', vpceId, 'policy']]);
  }
  (scenario.requests ?? []).forEach((request, index) => {
    if (request.sessionPolicy) {
      found.push([
        policyId({ layer: 'session', requestId: request.id }),
        ['requests', index, 'sessionPolicy'],
      ]);
    }
  });
  return found;
}

/** `{"name": "...", "document": {...}}` rather than a bare policy document. */
export function isNamedPolicy(
  policy: unknown,
): policy is { name: string; document: Record<string, unknown> } {
  return (
    typeof policy === 'object' &&
    policy !== null &&
    typeof (policy as { name?: unknown }).name === 'string' &&
    typeof (policy as { document?: unknown }).document === 'object' &&
    !('Statement' in policy)
  );
}

// ---- Semantic checks (what the schema cannot say) ----

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObject = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

/** Key ARN → its account and Region (KMS ARN format: arn:<partition>:kms:<region>:<account>:key/<id>). */
function keyAccountAndRegion(keyArn: string): string | undefined {
  const parts = keyArn.split(':');
  return parts.length >= 6 ? `${parts[3]}:${parts[4]}` : undefined;
}

/** Checks that hold across fields. Written defensively: it runs even when the schema found problems. */
function semanticProblems(raw: Record<string, unknown>): SchemaViolation[] {
  const problems: SchemaViolation[] = [];
  const keys = asObject(raw.keys);

  // Aliases: unique per account and Region, and alias/aws/ is reserved for AWS managed keys
  // (alias-create.html: "The alias name for a customer managed key cannot begin with alias/aws/").
  const aliasOwner = new Map<string, string>();
  for (const [keyArn, key] of Object.entries(keys)) {
    const entry = asObject(key);
    asArray(entry.aliases).forEach((alias, index) => {
      if (typeof alias !== 'string') return;
      const path = ['keys', keyArn, 'aliases', index];
      if (alias.startsWith('alias/aws/') && entry.manager !== 'AWS') {
        problems.push({
          path,
          message:
            'alias names that begin with alias/aws/ are reserved for AWS managed keys (set "manager": "AWS")',
        });
      }
      const scope = `${keyAccountAndRegion(keyArn)}|${alias}`;
      const owner = aliasOwner.get(scope);
      if (owner !== undefined && owner !== keyArn) {
        // An alias points at one key in its account and Region (alias-about.html).
        problems.push({
          path,
          message: `alias ${alias} already points at ${owner} in the same account and Region`,
        });
      } else {
        aliasOwner.set(scope, keyArn);
      }
    });
  }

  const grantIds = new Map<string, number>();
  asArray(raw.grants).forEach((grant, index) => {
    const g = asObject(grant);
    if (typeof g.keyArn === 'string' && !(g.keyArn in keys)) {
      problems.push({ path: ['grants', index, 'keyArn'], message: `no key with this ARN under "keys"` });
    }
    if (typeof g.grantId === 'string') {
      const first = grantIds.get(`${g.keyArn}|${g.grantId}`);
      if (first !== undefined) {
        problems.push({
          path: ['grants', index, 'grantId'],
          message: `duplicate grant id "${g.grantId}" on this key (first at $.grants[${first}])`,
        });
      } else {
        grantIds.set(`${g.keyArn}|${g.grantId}`, index);
      }
    }
    if (g.propagated === false && typeof g.grantToken !== 'string') {
      problems.push({
        path: ['grants', index],
        message: 'a grant that is not yet propagated works only with its token: give it a "grantToken"',
      });
    }
  });

  problems.push(...organizationProblems(raw));

  const requestIds = new Map<string, number>();
  asArray(raw.requests).forEach((request, index) => {
    const r = asObject(request);
    if (typeof r.id === 'string') {
      const first = requestIds.get(r.id);
      if (first !== undefined) {
        problems.push({
          path: ['requests', index, 'id'],
          message: `duplicate request id "${r.id}" (first used at $.requests[${first}])`,
        });
      } else {
        requestIds.set(r.id, index);
      }
    }
    if (typeof r.sourceIp === 'string' && !isIpAddress(r.sourceIp)) {
      problems.push({ path: ['requests', index, 'sourceIp'], message: 'must be an IPv4 or IPv6 address' });
    }
  });
  return problems;
}

/** IPv4 dotted quad, or IPv6 (with `::` compression and an optional embedded IPv4 tail). */
export function isIpAddress(text: string): boolean {
  const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (ipv4.test(text)) return true;
  if (!text.includes(':')) return false;
  let groups = text;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two 16-bit groups.
    if (!ipv4.test(text.slice(lastColon + 1))) return false;
    groups = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (parts.some((p) => p.some((g) => !hex.test(g)))) return false;
  const count = parts.reduce((n, p) => n + p.length, 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

// ---- Locations ----

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

/** The node at `path`, or the nearest ancestor that exists (a missing property is reported on its object). */
function nearestNode(root: Node, path: JsonPath): Node {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return node;
  }
  return root;
}

const PARSE_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes (trailing commas are not allowed)',
  ValueExpected: 'expected a value (trailing commas are not allowed)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string (escape it)',
};

function describeParseError(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  return PARSE_ERROR_TEXT[code] ?? code;
}

/**
 * Duplicate property names in the scenario's own objects (JSON keeps only the last one, silently dropping a key
 * or principal). Policy documents are left to the linter: their schema declares no properties.
 */
interface DuplicateKey {
  path: JsonPath;
  /** Where the repeated property name is (findNodeAtLocation would find the first one). */
  offset: number;
  message: string;
}

function duplicateKeys(node: Node, schema: JsonSchema | undefined, path: JsonPath): DuplicateKey[] {
  if (!schema) return [];
  const found: DuplicateKey[] = [];
  if (node.type === 'array' && schema.items) {
    node.children?.forEach((child, index) =>
      found.push(...duplicateKeys(child, schema.items, [...path, index])),
    );
  }
  const structural =
    schema.properties ||
    schema.patternProperties ||
    schema.propertyNames ||
    typeof schema.additionalProperties === 'object';
  if (node.type === 'object' && structural) {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const name = keyNode.value;
      if (seen.has(name)) {
        found.push({
          path: [...path, name],
          offset: keyNode.offset,
          message: `duplicate property "${name}": JSON keeps only the last one`,
        });
      }
      seen.add(name);
      const childSchema =
        schema.properties?.[name] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (valueNode) found.push(...duplicateKeys(valueNode, childSchema, [...path, name]));
    }
  }
  return found;
}
