/**
 * Loads a scenario from text: JSON(C) parsing with locations, version migration, schema validation and the
 * semantic checks a schema cannot express. Every problem comes back as a LocatedError (file, JSON path, 1-based
 * line and column); `loadScenario` never throws.
 */
import {
  getLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { findTooDeepNesting, tooDeepMessage } from '../engine/json-depth';
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
  | {
      ok: false;
      errors: LocatedError[];
      warnings?: LocatedError[];
      /** The text is not JSON: a JSON editor marks that itself. */
      syntax?: true;
    };

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
  const tooLarge = sizeProblem(text, file);
  if (tooLarge) return { ok: false, errors: [tooLarge] };
  const lines = lineStarts(text);
  const at = (offset: number, path: JsonPath, message: string): LocatedError => {
    const { line, column } = positionAt(lines, offset);
    return { file, path, line, column, message };
  };

  if (text.trim() === '')
    return { ok: false, errors: [at(0, [], 'the file is empty; a scenario is a JSON object')] };
  const tooDeep = nestingProblem(text, file, lines);
  if (tooDeep) return { ok: false, errors: [tooDeep] };
  const parseErrors: ParseError[] = [];
  // Comments are accepted (lab-design §2 writes scenarios as JSONC); trailing commas are not.
  const root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    const errors = parseErrors.map((e) => at(e.offset, [], `JSON syntax error: ${describeParseError(e)}`));
    return {
      ok: false,
      errors: errors.length > 0 ? errors : [at(0, [], 'not a JSON document')],
      syntax: true,
    };
  }

  const nodes = new NodeIndex(root);
  const locate = (path: JsonPath, message: string, atKey = false): LocatedError => {
    const node = nodes.nearest(path);
    const target = atKey && node.parent?.type === 'property' ? node.parent.children![0] : node;
    return at(target.offset, path, message);
  };

  const migration = migrateScenario(getNodeValue(root));
  if (!migration.ok) return { ok: false, errors: [locate(migration.path, migration.message)] };
  const locateMigrated = (path: JsonPath, message: string, atKey = false) =>
    locate(migration.pathBefore(path), message, atKey);
  const overLimits = limitProblems(migration.scenario);
  if (overLimits.length > 0)
    return { ok: false, errors: overLimits.map((v) => locateMigrated(v.path, v.message)) };

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
    const node = nodes.find(migration.pathBefore(path));
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

/**
 * How much the lab reads, far above AWS's own quotas (KMS: 100,000 keys per Region, 50,000 grants per key, a key
 * policy of 32 KB, which holds about 500 statements): past these a scenario would take minutes to load and
 * decide. Loading is linear, about 4 s per 32 MiB on one core. Documented in docs/engine.md.
 */
export const SCENARIO_LIMITS = {
  /** Characters of scenario text (32 MiB). */
  textLength: 32 * 1024 * 1024,
  /** Entries of each of keys, principals, grants and requests. */
  entries: 200_000,
  /** Statements of one policy document. */
  statements: 10_000,
} as const;

function sizeProblem(text: string, file: string | undefined): LocatedError | undefined {
  if (text.length <= SCENARIO_LIMITS.textLength) return undefined;
  return {
    file,
    path: [],
    line: 1,
    column: 1,
    message: `the scenario has ${text.length.toLocaleString('en-US')} characters; the lab reads scenarios of up to ${SCENARIO_LIMITS.textLength.toLocaleString('en-US')} (32 MiB)`,
  };
}

/** Lists and maps past SCENARIO_LIMITS, and policies with too many statements (found without recursion). */
function limitProblems(raw: Record<string, unknown>): SchemaViolation[] {
  const problems: SchemaViolation[] = [];
  const count = (value: unknown) =>
    Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : 0;
  for (const field of ['keys', 'principals', 'grants', 'requests']) {
    const entries = count(raw[field]);
    if (entries > SCENARIO_LIMITS.entries)
      problems.push({
        path: [field],
        message: `has ${entries.toLocaleString('en-US')} entries; the lab reads at most ${SCENARIO_LIMITS.entries.toLocaleString('en-US')}`,
      });
  }
  // Each entry links to its parent, so a path is built only for a policy that is reported.
  interface Visit {
    value: unknown;
    key?: string | number;
    parent?: Visit;
  }
  const pathOf = (visit: Visit): JsonPath => {
    const path: JsonPath = [];
    for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.unshift(v.key);
    return path;
  };
  const stack: Visit[] = [{ value: raw }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (Array.isArray(value)) {
      value.forEach((item, key) => {
        if (typeof item === 'object' && item !== null) stack.push({ value: item, key, parent: visit });
      });
    } else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'Statement' && Array.isArray(child) && child.length > SCENARIO_LIMITS.statements) {
          problems.push({
            path: [...pathOf(visit), key],
            message: `has ${child.length.toLocaleString('en-US')} statements; the lab reads policies of up to ${SCENARIO_LIMITS.statements.toLocaleString('en-US')} (a key policy holds 32 KB, KPO)`,
          });
        } else if (typeof child === 'object' && child !== null) {
          stack.push({ value: child, key, parent: visit });
        }
      }
    }
  }
  return problems;
}

/**
 * JSON nested deeper than the lab reads (json-depth.ts), located at the bracket that passes the limit. Checked
 * before parsing: the parser and every walk over the value recurse once per level.
 */
function nestingProblem(text: string, file: string | undefined, lines: number[]): LocatedError | undefined {
  const offset = findTooDeepNesting(text);
  if (offset === undefined) return undefined;
  return {
    file,
    path: getLocation(text, offset).path,
    ...positionAt(lines, offset),
    message: tooDeepMessage(),
  };
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
  return root
    ? positionAt(lineStarts(text), new NodeIndex(root).nearest(path).offset)
    : { line: 1, column: 1 };
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
  const nodes = root ? new NodeIndex(root) : undefined;
  const position = (offset: number): SourcePosition => ({ ...positionAt(lines, offset), offset });
  return violations.map((v) => {
    const node = nodes?.nearest(v.path);
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
    // Only strings go into the text: the parser's objects have no prototype, so `${{}}` throws (the schema
    // reports a keyArn of the wrong type).
    if (typeof g.grantId === 'string' && typeof g.keyArn === 'string') {
      const scope = `${g.keyArn}|${g.grantId}`;
      const first = grantIds.get(scope);
      if (first !== undefined) {
        problems.push({
          path: ['grants', index, 'grantId'],
          message: `duplicate grant id "${g.grantId}" on this key (first at $.grants[${first}])`,
        });
      } else {
        grantIds.set(scope, index);
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

/**
 * Finds parse-tree nodes by JSON path in time proportional to the path: each object's properties are indexed
 * the first time a path goes through it. (jsonc-parser's findNodeAtLocation scans every property at each step,
 * so locating each of 20,000 principals' policies took 10 s.) Like findNodeAtLocation, the first of duplicate
 * names is found.
 */
class NodeIndex {
  private readonly byName = new Map<Node, Map<string, Node>>();

  constructor(private readonly root: Node) {}

  find(path: JsonPath): Node | undefined {
    let node: Node | undefined = this.root;
    for (const segment of path) {
      node = node && this.child(node, segment);
      if (!node) return undefined;
    }
    return node;
  }

  /** The node at `path`, or the nearest ancestor that exists (a missing property is reported on its object). */
  nearest(path: JsonPath): Node {
    let node = this.root;
    for (const segment of path) {
      const child = this.child(node, segment);
      if (!child) break;
      node = child;
    }
    return node;
  }

  private child(node: Node, segment: string | number): Node | undefined {
    if (node.type === 'array') return typeof segment === 'number' ? node.children?.[segment] : undefined;
    if (node.type !== 'object' || typeof segment !== 'string') return undefined;
    let properties = this.byName.get(node);
    if (!properties) {
      properties = new Map();
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value && typeof key.value === 'string' && !properties.has(key.value))
          properties.set(key.value, value);
      }
      this.byName.set(node, properties);
    }
    return properties.get(segment);
  }
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
