/**
 * Policy parser: turns policy text (or a JSON value) into a model where every statement, element, condition
 * operator, key and value carries its source range and JSON path. It accepts every form AWS accepts
 * (kms-authorization.md §8, IAM-PR, IAM-VAR) and never throws: syntax errors and structural problems are
 * returned with ranges, and the linter (src/engine/lint) turns them into findings.
 */
import {
  getLocation,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import { findTooDeepNesting, findTooDeepValue, tooDeepMessage } from './json-depth';
import type { SourcePosition, SourceRange } from './types';

export type JsonPath = (string | number)[];
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A value as written in the policy, with where it is. */
export interface Located<T = string> {
  value: T;
  range: SourceRange;
  path: JsonPath;
}

/** One piece of a string value once policy variables are recognised (IAM-VAR). */
export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `${name}` or `${name, 'default'}`; `name` as written (keys are matched case-insensitively later). */
  | { kind: 'variable'; name: string; defaultValue?: string };

/** A string value of Action/Resource/Principal/Condition. `template` is set only when it holds policy variables. */
export interface LocatedValue extends Located<string> {
  /** The JSON type the value was written as (condition values may be numbers or booleans; they count as strings). */
  kind: JsonKind;
  /** Present when the policy's Version enables variables and the value contains at least one `${...}`. */
  template?: TemplatePart[];
}

/** Any property of a statement or of the policy, as written (the linter checks names, placement and types). */
export interface ParsedElement {
  name: string;
  kind: JsonKind;
  keyRange: SourceRange;
  valueRange: SourceRange;
  /** The whole `"name": value` property. */
  range: SourceRange;
  path: JsonPath;
}

export type ValueListElementName = 'Action' | 'NotAction' | 'Resource' | 'NotResource';

/** Action/NotAction/Resource/NotResource: a string or an array of strings. */
export interface ParsedValueList {
  element: ValueListElementName;
  values: LocatedValue[];
  /** True when written as an array. */
  isArray: boolean;
  keyRange: SourceRange;
  /** The value (string or array). */
  range: SourceRange;
  path: JsonPath;
}

/** One `"AWS": [...]`, `"Service": ...`, `"Federated": ...` or `"CanonicalUser": ...` entry of a Principal. */
export interface PrincipalEntry {
  /** The principal type as written (`AWS`, `Service`, `Federated`, `CanonicalUser`; anything else is a problem). */
  type: string;
  typeRange: SourceRange;
  values: LocatedValue[];
  path: JsonPath;
}

export interface ParsedPrincipal {
  element: 'Principal' | 'NotPrincipal';
  /** True for the bare string form `"Principal": "*"` (IAM-PR: everyone, same as `{"AWS":"*"}`). */
  wildcard: boolean;
  entries: PrincipalEntry[];
  keyRange: SourceRange;
  range: SourceRange;
  path: JsonPath;
}

/** One key under one operator, with its values (several values are ORed, or NORed for negated operators). */
export interface ConditionEntry {
  key: LocatedValue;
  values: LocatedValue[];
  isArray: boolean;
  /** The whole `"key": values` property. */
  range: SourceRange;
  path: JsonPath;
}

/** One operator of a Condition block, e.g. `"StringEquals": { ... }`. */
export interface ConditionBlock {
  operator: Located<string>;
  entries: ConditionEntry[];
  /** The whole `"Operator": {...}` property. */
  range: SourceRange;
  path: JsonPath;
}

export interface ParsedCondition {
  blocks: ConditionBlock[];
  keyRange: SourceRange;
  range: SourceRange;
  path: JsonPath;
}

export interface ParsedStatement {
  index: number;
  /** `["Statement", i]`, or `["Statement"]` when Statement is a single object. */
  path: JsonPath;
  /** The whole statement object. */
  range: SourceRange;
  /** Every property as written, in order (including unknown ones, which the evaluator ignores). */
  elements: ParsedElement[];
  sid?: Located<string>;
  effect?: Located<string>;
  /** Action or NotAction (the first of the two when a statement wrongly has both; see `problems`). */
  action?: ParsedValueList;
  resource?: ParsedValueList;
  principal?: ParsedPrincipal;
  condition?: ParsedCondition;
}

/** A syntax error or a structural problem (wrong JSON type, duplicate element…), with where it is. */
export interface PolicyProblem {
  /**
   * `JSON_SYNTAX` for syntax errors; `NOT_AN_OBJECT`, `WRONG_TYPE`, `DUPLICATE_ELEMENT`, `CONFLICTING_ELEMENTS`,
   * `EMPTY_STATEMENT_LIST`, `INVALID_PRINCIPAL` for structure.
   */
  code: string;
  message: string;
  path: JsonPath;
  range: SourceRange;
}

export interface ParsedPolicy {
  /** The text the ranges refer to. */
  text: string;
  syntaxErrors: PolicyProblem[];
  problems: PolicyProblem[];
  /** Top-level properties as written. */
  elements: ParsedElement[];
  version?: Located<string>;
  id?: Located<string>;
  /** IAM-VAR: policy variables are recognised only under `"Version": "2012-10-17"`; otherwise `${...}` is text. */
  variablesEnabled: boolean;
  statementForm: 'array' | 'object' | 'missing' | 'invalid';
  statements: ParsedStatement[];
  /** The whole document (empty range at 1:1 for empty text). */
  range: SourceRange;
  /** The JSON value of the document when it is an object (syntax errors tolerated where possible). */
  value?: Record<string, unknown>;
  /** Maps offsets to positions; use `rangeOf(policy, path)` to locate any JSON path. */
  readonly lineStarts: number[];
  readonly tree?: JsonNode;
}

export const POLICY_VERSION_WITH_VARIABLES = '2012-10-17';

// ---------------------------------------------------------------- positions

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Converts a 0-based offset to a 1-based line and column (columns count UTF-16 units, as Monaco does). */
export function positionAt(lineStarts: number[], offset: number): SourcePosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low] + 1, offset };
}

function rangeFrom(lineStarts: number[], offset: number, length: number): SourceRange {
  return { start: positionAt(lineStarts, offset), end: positionAt(lineStarts, offset + length) };
}

/** The source range of the node at a JSON path (the value; for a property name use the parent's element). */
export function rangeOf(policy: ParsedPolicy, path: JsonPath): SourceRange | undefined {
  let node = policy.tree;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    } else {
      if (node.type !== 'object') return undefined;
      let found: JsonNode | undefined;
      for (const property of node.children ?? []) {
        if (property.children?.[0]?.value === segment) found = property.children[1];
      }
      node = found;
    }
  }
  return node ? rangeFrom(policy.lineStarts, node.offset, node.length) : undefined;
}

// ---------------------------------------------------------------- policy variables (IAM-VAR)

const VARIABLE_PATTERN = /\$\{([^}]*)\}/g;
/** IAM-VAR: `${*}`, `${?}` and `${$}` stand for the literal characters, so they can appear next to wildcards. */
const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Splits a string into text and `${...}` variables. Returns undefined when it holds none.
 * Default values use IAM-VAR's syntax: `${aws:PrincipalTag/team, 'company-wide'}`.
 * Escapes (`${*}`) come back as `text` parts whose text is the literal character, flagged by `escaped`.
 */
export function parseTemplate(value: string): TemplatePart[] | undefined {
  if (!value.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let last = 0;
  let sawVariable = false;
  VARIABLE_PATTERN.lastIndex = 0;
  for (let m = VARIABLE_PATTERN.exec(value); m; m = VARIABLE_PATTERN.exec(value)) {
    if (m.index > last) parts.push({ kind: 'text', text: value.slice(last, m.index) });
    const inner = m[1].trim();
    if (inner in ESCAPES) {
      parts.push({ kind: 'text', text: `\u0000${ESCAPES[inner]}` }); // marked literal; see templateLiteral()
    } else {
      const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
      if (withDefault)
        parts.push({ kind: 'variable', name: withDefault[1].trim(), defaultValue: withDefault[2] });
      else parts.push({ kind: 'variable', name: inner });
    }
    sawVariable = true;
    last = m.index + m[0].length;
  }
  if (!sawVariable) return undefined;
  if (last < value.length) parts.push({ kind: 'text', text: value.slice(last) });
  return parts;
}

/**
 * A text part produced by an escape (`${*}`) carries a NUL marker so the matcher can treat the character as
 * literal rather than as a wildcard. This splits such a part into (literal?, text).
 */
export function templateLiteral(part: { kind: 'text'; text: string }): { literal: boolean; text: string } {
  return part.text.charCodeAt(0) === 0
    ? { literal: true, text: part.text.slice(1) }
    : { literal: false, text: part.text };
}

// ---------------------------------------------------------------- the parser

function kindOf(node: JsonNode | undefined): JsonKind {
  return (node?.type ?? 'null') as JsonKind;
}

class PolicyBuilder {
  readonly problems: PolicyProblem[] = [];
  readonly lineStarts: number[];
  variablesEnabled = false;

  constructor(readonly text: string) {
    this.lineStarts = computeLineStarts(text);
  }

  range(node: JsonNode): SourceRange {
    return rangeFrom(this.lineStarts, node.offset, node.length);
  }

  problem(code: string, message: string, path: JsonPath, node: JsonNode): void {
    this.problems.push({ code, message, path, range: this.range(node) });
  }

  /** The properties of an object node as [name, keyNode, valueNode, propertyNode]; skips broken ones. */
  properties(
    node: JsonNode,
  ): { name: string; key: JsonNode; value: JsonNode | undefined; property: JsonNode }[] {
    const out: { name: string; key: JsonNode; value: JsonNode | undefined; property: JsonNode }[] = [];
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (!key || typeof key.value !== 'string') continue;
      out.push({ name: key.value, key, value: property.children?.[1], property });
    }
    return out;
  }

  element(
    name: string,
    key: JsonNode,
    value: JsonNode | undefined,
    property: JsonNode,
    path: JsonPath,
  ): ParsedElement {
    return {
      name,
      kind: kindOf(value),
      keyRange: this.range(key),
      valueRange: this.range(value ?? property),
      range: this.range(property),
      path,
    };
  }

  located(node: JsonNode, path: JsonPath): Located<string> {
    return { value: String(node.value), range: this.range(node), path };
  }

  /** A string (or, when `scalarsAllowed`, number/boolean) value; undefined plus a problem otherwise. */
  stringValue(
    node: JsonNode,
    path: JsonPath,
    what: string,
    scalarsAllowed: boolean,
  ): LocatedValue | undefined {
    const kind = kindOf(node);
    if (kind === 'string' || (scalarsAllowed && (kind === 'number' || kind === 'boolean'))) {
      const value = kind === 'string' ? (node.value as string) : String(node.value);
      const located: LocatedValue = { value, kind, range: this.range(node), path };
      if (this.variablesEnabled && kind === 'string') {
        const template = parseTemplate(value);
        if (template) located.template = template;
      }
      return located;
    }
    this.problem(
      'WRONG_TYPE',
      `${what} must be a string${scalarsAllowed ? ', number or boolean' : ''}, not ${kind}.`,
      path,
      node,
    );
    return undefined;
  }

  /** A string or an array of strings. */
  valueList(
    node: JsonNode,
    path: JsonPath,
    what: string,
    scalarsAllowed: boolean,
  ): { values: LocatedValue[]; isArray: boolean } {
    if (node.type === 'array') {
      const values: LocatedValue[] = [];
      (node.children ?? []).forEach((child, i) => {
        const v = this.stringValue(child, [...path, i], `Each value of ${what}`, scalarsAllowed);
        if (v) values.push(v);
      });
      return { values, isArray: true };
    }
    const single = this.stringValue(node, path, what, scalarsAllowed);
    return { values: single ? [single] : [], isArray: false };
  }

  principal(
    name: 'Principal' | 'NotPrincipal',
    key: JsonNode,
    value: JsonNode,
    path: JsonPath,
  ): ParsedPrincipal {
    const parsed: ParsedPrincipal = {
      element: name,
      wildcard: false,
      entries: [],
      keyRange: this.range(key),
      range: this.range(value),
      path,
    };
    if (value.type === 'string') {
      // IAM-PR: the only string form is "*" (everyone); anything else must be wrapped in {"AWS": ...}.
      if (value.value === '*') parsed.wildcard = true;
      else
        this.problem(
          'INVALID_PRINCIPAL',
          `${name} as a string must be "*"; write {"AWS": "${value.value}"} instead.`,
          path,
          value,
        );
      return parsed;
    }
    if (value.type !== 'object') {
      this.problem(
        'WRONG_TYPE',
        `${name} must be "*" or an object such as {"AWS": [...]}, not ${value.type}.`,
        path,
        value,
      );
      return parsed;
    }
    for (const p of this.properties(value)) {
      const entryPath = [...path, p.name];
      if (!p.value) continue;
      const list = this.valueList(p.value, entryPath, `${name}.${p.name}`, false);
      parsed.entries.push({
        type: p.name,
        typeRange: this.range(p.key),
        values: list.values,
        path: entryPath,
      });
    }
    return parsed;
  }

  condition(key: JsonNode, value: JsonNode, path: JsonPath): ParsedCondition {
    const parsed: ParsedCondition = { blocks: [], keyRange: this.range(key), range: this.range(value), path };
    if (value.type !== 'object') {
      this.problem('WRONG_TYPE', `Condition must be an object of operators, not ${value.type}.`, path, value);
      return parsed;
    }
    for (const op of this.properties(value)) {
      const opPath = [...path, op.name];
      const block: ConditionBlock = {
        operator: this.located(op.key, opPath),
        entries: [],
        range: this.range(op.property),
        path: opPath,
      };
      parsed.blocks.push(block);
      if (!op.value) continue;
      if (op.value.type !== 'object') {
        this.problem(
          'WRONG_TYPE',
          `The condition operator ${op.name} must map condition keys to values.`,
          opPath,
          op.value,
        );
        continue;
      }
      for (const entry of this.properties(op.value)) {
        const entryPath = [...opPath, entry.name];
        if (!entry.value) continue;
        const list = this.valueList(entry.value, entryPath, `The value of ${entry.name}`, true);
        block.entries.push({
          key: { value: entry.name, kind: 'string', range: this.range(entry.key), path: entryPath },
          values: list.values,
          isArray: list.isArray,
          range: this.range(entry.property),
          path: entryPath,
        });
      }
    }
    return parsed;
  }

  statement(node: JsonNode, index: number, path: JsonPath): ParsedStatement | undefined {
    if (node.type !== 'object') {
      this.problem('NOT_AN_OBJECT', `Each statement must be an object, not ${node.type}.`, path, node);
      return undefined;
    }
    const statement: ParsedStatement = { index, path, range: this.range(node), elements: [] };
    const seen = new Set<string>();
    for (const p of this.properties(node)) {
      const elementPath = [...path, p.name];
      statement.elements.push(this.element(p.name, p.key, p.value, p.property, elementPath));
      if (seen.has(p.name)) {
        this.problem(
          'DUPLICATE_ELEMENT',
          `The element ${p.name} appears more than once; the last one is used.`,
          elementPath,
          p.key,
        );
      }
      seen.add(p.name);
      if (!p.value) continue;
      switch (p.name) {
        case 'Sid':
        case 'Effect': {
          const v = this.stringValue(p.value, elementPath, p.name, false);
          if (v)
            statement[p.name === 'Sid' ? 'sid' : 'effect'] = { value: v.value, range: v.range, path: v.path };
          break;
        }
        case 'Action':
        case 'NotAction':
        case 'Resource':
        case 'NotResource': {
          const slot = p.name === 'Action' || p.name === 'NotAction' ? 'action' : 'resource';
          const list = this.valueList(p.value, elementPath, p.name, false);
          const existing = statement[slot];
          if (existing && existing.element !== p.name) {
            this.problem(
              'CONFLICTING_ELEMENTS',
              `A statement cannot have both ${existing.element} and ${p.name}.`,
              elementPath,
              p.key,
            );
            break;
          }
          statement[slot] = {
            element: p.name,
            values: list.values,
            isArray: list.isArray,
            keyRange: this.range(p.key),
            range: this.range(p.value),
            path: elementPath,
          };
          break;
        }
        case 'Principal':
        case 'NotPrincipal': {
          if (statement.principal && statement.principal.element !== p.name) {
            this.problem(
              'CONFLICTING_ELEMENTS',
              `A statement cannot have both ${statement.principal.element} and ${p.name}.`,
              elementPath,
              p.key,
            );
            break;
          }
          statement.principal = this.principal(p.name, p.key, p.value, elementPath);
          break;
        }
        case 'Condition':
          statement.condition = this.condition(p.key, p.value, elementPath);
          break;
        default:
          break; // unknown elements are kept in `elements` for the linter
      }
    }
    return statement;
  }
}

function emptyRange(): SourceRange {
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
}

/**
 * Parses policy text. Never throws: JSON syntax errors come back in `syntaxErrors` (the tree is still built
 * as far as possible), structural problems in `problems`. Comments and trailing commas are syntax errors,
 * as they are for AWS.
 */
export function parsePolicyText(text: string): ParsedPolicy {
  const source = typeof text === 'string' ? text : String(text);
  const builder = new PolicyBuilder(source);
  const policy: ParsedPolicy = {
    text: source,
    syntaxErrors: [],
    problems: builder.problems,
    elements: [],
    variablesEnabled: false,
    statementForm: 'missing',
    statements: [],
    range: emptyRange(),
    lineStarts: builder.lineStarts,
  };
  try {
    // The JSON parser recurses per level: stop at a depth no policy needs, before it overflows the stack.
    const tooDeep = findTooDeepNesting(source);
    if (tooDeep !== undefined) {
      policy.syntaxErrors.push({
        code: 'NESTED_TOO_DEEP',
        message: `The policy is ${tooDeepMessage()}.`,
        path: getLocation(source, tooDeep).path,
        range: rangeFrom(builder.lineStarts, tooDeep, 1),
      });
      return policy;
    }
    const errors: ParseError[] = [];
    const tree = parseTree(source, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    for (const e of errors) {
      policy.syntaxErrors.push({
        code: 'JSON_SYNTAX',
        message: `JSON syntax error: ${describeSyntaxError(printParseErrorCode(e.error))}.`,
        path: [],
        range: rangeFrom(builder.lineStarts, e.offset, e.length),
      });
    }
    if (!tree) return policy;
    (policy as { tree?: JsonNode }).tree = tree;
    policy.range = builder.range(tree);
    if (tree.type !== 'object') {
      builder.problem('NOT_AN_OBJECT', `A policy must be a JSON object, not ${tree.type}.`, [], tree);
      return policy;
    }
    const top = builder.properties(tree);
    // IAM-VAR: the Version decides whether ${...} is a variable, so read it before anything else.
    const versionProperty = top.filter((p) => p.name === 'Version').pop();
    if (versionProperty?.value?.type === 'string') {
      policy.version = builder.located(versionProperty.value, ['Version']);
      builder.variablesEnabled = policy.version.value === POLICY_VERSION_WITH_VARIABLES;
      policy.variablesEnabled = builder.variablesEnabled;
    }
    const seen = new Set<string>();
    for (const p of top) {
      policy.elements.push(builder.element(p.name, p.key, p.value, p.property, [p.name]));
      if (seen.has(p.name))
        builder.problem(
          'DUPLICATE_ELEMENT',
          `The element ${p.name} appears more than once; the last one is used.`,
          [p.name],
          p.key,
        );
      seen.add(p.name);
      if (!p.value) continue;
      if (p.name === 'Version' && p.value.type !== 'string') {
        builder.problem('WRONG_TYPE', 'Version must be a string such as "2012-10-17".', ['Version'], p.value);
      } else if (p.name === 'Id') {
        const v = builder.stringValue(p.value, ['Id'], 'Id', false);
        if (v) policy.id = { value: v.value, range: v.range, path: v.path };
      } else if (p.name === 'Statement') {
        policy.statements = [];
        if (p.value.type === 'array') {
          policy.statementForm = 'array';
          const children = p.value.children ?? [];
          if (children.length === 0)
            builder.problem('EMPTY_STATEMENT_LIST', 'Statement is an empty list.', ['Statement'], p.value);
          children.forEach((child, i) => {
            const s = builder.statement(child, i, ['Statement', i]);
            if (s) policy.statements.push(s);
          });
        } else if (p.value.type === 'object') {
          policy.statementForm = 'object';
          const s = builder.statement(p.value, 0, ['Statement']);
          if (s) policy.statements.push(s);
        } else {
          policy.statementForm = 'invalid';
          builder.problem(
            'WRONG_TYPE',
            `Statement must be an object or an array of objects, not ${p.value.type}.`,
            ['Statement'],
            p.value,
          );
        }
      }
    }
    policy.value = nodeValue(tree) as Record<string, unknown>;
  } catch (error) {
    // Defensive: jsonc-parser is error-tolerant, but the parser's promise is to never throw.
    policy.syntaxErrors.push({
      code: 'JSON_SYNTAX',
      message: `Could not parse the policy: ${String(error)}`,
      path: [],
      range: emptyRange(),
    });
  }
  return policy;
}

/** Like jsonc-parser's getNodeValue, but keeps the last of duplicate keys the way JSON.parse does. */
function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        const value = property.children?.[1];
        if (key && typeof key.value === 'string' && value) out[key.value] = nodeValue(value);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/**
 * Parses a policy given as a JSON value (e.g. from a scenario). Ranges then refer to
 * `JSON.stringify(doc, null, 2)`, which is also `text` of the result.
 */
export function parsePolicyDocument(document: unknown): ParsedPolicy {
  const tooDeep = findTooDeepValue(document);
  if (tooDeep !== undefined) {
    // JSON.stringify recurses too: a value nested this deep is reported, not printed.
    const policy = parsePolicyText('');
    // The empty text's own error ("a value is expected") is replaced by the real one.
    policy.syntaxErrors.splice(0, policy.syntaxErrors.length, {
      code: 'NESTED_TOO_DEEP',
      message: `The policy is ${tooDeepMessage()}.`,
      path: tooDeep,
      range: emptyRange(),
    });
    return policy;
  }
  let text: string;
  try {
    text = JSON.stringify(document, null, 2) ?? 'null';
  } catch (error) {
    text = 'null';
    const policy = parsePolicyText(text);
    policy.syntaxErrors.push({
      code: 'JSON_SYNTAX',
      message: `The policy is not JSON: ${String(error)}`,
      path: [],
      range: emptyRange(),
    });
    return policy;
  }
  return parsePolicyText(text);
}

function describeSyntaxError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon is expected',
    CommaExpected: 'a comma is expected',
    CloseBraceExpected: 'a closing brace } is expected',
    CloseBracketExpected: 'a closing bracket ] is expected',
    EndOfFileExpected: 'unexpected text after the end of the policy',
    InvalidCommentToken: 'comments are not allowed in policies',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? code;
}
