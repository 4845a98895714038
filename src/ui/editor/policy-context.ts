/**
 * Where a cursor is in a policy document, for completion, hover and statement highlighting. Pure functions over
 * the text (no Monaco), tolerant of half-typed JSON. A policy can also sit anywhere inside a larger document
 * (a scenario file): the innermost `Statement` element around the cursor is the one that counts.
 */
import { findNodeAtOffset, getLocation, getNodePath, getNodeValue, parseTree } from 'jsonc-parser';
import type { JSONPath, Node } from 'jsonc-parser';
import { findTooDeepNesting } from '../../engine/json-depth';

/** What the cursor is about to write, as far as policy completion cares. */
export type CursorSlot =
  | { kind: 'statement-key' } // a property name directly inside a statement: Effect, Action, Condition…
  | { kind: 'effect-value' }
  | { kind: 'action-value'; element: 'Action' | 'NotAction' }
  | { kind: 'condition-operator' } // a property name directly inside Condition
  | { kind: 'condition-key'; operator: string } // a property name inside one operator's block
  | { kind: 'condition-value'; operator: string; key: string }
  | { kind: 'other' };

/** A span of the text to replace with a completion: offsets are 0-based, `length` may be 0. */
export interface TextSpan {
  offset: number;
  length: number;
}

export interface PolicyCursorContext {
  /** Index of the statement around the cursor (0 for a single-object Statement), or null outside any statement. */
  statementIndex: number | null;
  slot: CursorSlot;
  /** The values of the statement's `Action` (or `NotAction`) element, as written. */
  actions: string[];
  /** True when the statement lists `NotAction` rather than `Action`. */
  notAction: boolean;
  /** True when the cursor is inside a string literal (a property name or a value). */
  inString: boolean;
  /** The part of the current string before the cursor ('' outside a string). */
  typed: string;
  /** What a completion replaces: the string's contents when in a string, else an empty span at the cursor. */
  replace: TextSpan;
}

const ACTION_ELEMENTS = new Set(['Action', 'NotAction']);

/** Splits a JSON path at the innermost `Statement`: the path of the statement itself, its index and the rest. */
function splitAtStatement(path: JSONPath): { statementPath: JSONPath; index: number; rest: JSONPath } | null {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    if (path[i] !== 'Statement') continue;
    const next = path[i + 1];
    if (typeof next === 'number')
      return { statementPath: path.slice(0, i + 2), index: next, rest: path.slice(i + 2) };
    // A single statement object: `"Statement": { … }`.
    if (typeof next === 'string')
      return { statementPath: path.slice(0, i + 1), index: 0, rest: path.slice(i + 1) };
    return null;
  }
  return null;
}

function classify(rest: JSONPath, atPropertyKey: boolean): CursorSlot {
  const [element, second, third] = rest;
  if (rest.length === 1 && atPropertyKey) return { kind: 'statement-key' };
  if (element === 'Effect' && rest.length === 1) return { kind: 'effect-value' };
  if (typeof element === 'string' && ACTION_ELEMENTS.has(element) && !atPropertyKey) {
    if (rest.length === 1 || (rest.length === 2 && typeof second === 'number')) {
      return { kind: 'action-value', element: element as 'Action' | 'NotAction' };
    }
  }
  if (element === 'Condition' && typeof second === 'string') {
    if (rest.length === 2 && atPropertyKey) return { kind: 'condition-operator' };
    if (rest.length === 3 && atPropertyKey) return { kind: 'condition-key', operator: second };
    if (rest.length >= 3 && !atPropertyKey && typeof third === 'string') {
      return { kind: 'condition-value', operator: second, key: third };
    }
  }
  return { kind: 'other' };
}

/** The string literal (property name or value) that contains `offset`, if any, and whether it has its closing quote. */
function stringAt(
  text: string,
  node: Node | undefined,
  offset: number,
): { node: Node; closed: boolean } | null {
  if (!node || (node.type !== 'string' && node.type !== 'property')) return null;
  const closed = node.length >= 2 && text[node.offset + node.length - 1] === '"';
  const contentEnd = node.offset + node.length - (closed ? 1 : 0);
  if (offset > node.offset && offset <= contentEnd) return { node, closed };
  return null;
}

/** Reads `Action` (or `NotAction`) of the statement at `statementPath` from the tolerant parse tree. */
function statementActions(
  root: Node | undefined,
  statementPath: JSONPath,
): { actions: string[]; notAction: boolean } {
  const statement = root ? nodeAtPath(root, statementPath) : undefined;
  if (!statement || statement.type !== 'object') return { actions: [], notAction: false };
  for (const element of ['Action', 'NotAction'] as const) {
    const property = statement.children?.find((p) => p.children?.[0]?.value === element);
    const valueNode = property?.children?.[1];
    if (!valueNode) continue;
    const value: unknown = getNodeValue(valueNode);
    const list = Array.isArray(value) ? value : [value];
    return {
      actions: list.filter((v): v is string => typeof v === 'string' && v !== ''),
      notAction: element === 'NotAction',
    };
  }
  return { actions: [], notAction: false };
}

/** Like jsonc-parser's findNodeAtLocation, but it takes the last property when a name repeats (as JSON.parse does). */
function nodeAtPath(root: Node, path: JSONPath): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    } else {
      if (node.type !== 'object') return undefined;
      const property = node.children?.filter((p) => p.children?.[0]?.value === segment).at(-1);
      node = property?.children?.[1];
    }
  }
  return node;
}

/**
 * True when the cursor, outside a string, follows a finished token (`"kms:Decrypt"|`, `true|`, `}|`): JSON allows
 * nothing there but a comma or a closing bracket, so there is nothing to complete.
 */
function followsCompleteToken(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i >= 0 && !':[{,'.includes(text[i]);
}

/** Everything completion needs to know about the cursor at `offset` in `text`. */
export function policyContextAt(text: string, offset: number): PolicyCursorContext {
  // jsonc-parser recurses per level: text nested past the engine's limit gets no completion (the linter says why).
  if (findTooDeepNesting(text) !== undefined) {
    const replace = { offset, length: 0 };
    return {
      statementIndex: null,
      slot: { kind: 'other' },
      actions: [],
      notAction: false,
      inString: false,
      typed: '',
      replace,
    };
  }
  const location = getLocation(text, offset);
  const split = splitAtStatement(location.path);
  const inside = stringAt(text, location.previousNode, offset);
  const typed = inside ? text.slice(inside.node.offset + 1, offset) : '';
  const replace: TextSpan = inside
    ? { offset: inside.node.offset + 1, length: inside.node.length - (inside.closed ? 2 : 1) }
    : { offset, length: 0 };
  if (!split) {
    return {
      statementIndex: null,
      slot: { kind: 'other' },
      actions: [],
      notAction: false,
      inString: !!inside,
      typed,
      replace,
    };
  }
  const { actions, notAction } = statementActions(parseTree(text), split.statementPath);
  return {
    statementIndex: split.index,
    slot:
      inside || !followsCompleteToken(text, offset)
        ? classify(split.rest, location.isAtPropertyKey)
        : { kind: 'other' },
    actions,
    notAction,
    inString: !!inside,
    typed,
    replace,
  };
}

/**
 * The index of the statement whose object contains `offset` (the cursor may be anywhere in it, not only in a
 * string), or null when the cursor is outside every statement, e.g. between two of them.
 */
export function statementIndexAt(text: string, offset: number): number | null {
  if (findTooDeepNesting(text) !== undefined) return null;
  const root = parseTree(text);
  if (!root) return null;
  let node = findNodeAtOffset(root, offset, true);
  while (node) {
    if (node.type === 'object') {
      const parent = node.parent;
      // An element of `"Statement": [ … ]`.
      if (parent?.type === 'array' && isStatementValue(parent)) return parent.children?.indexOf(node) ?? null;
      // A single `"Statement": { … }`.
      if (isStatementValue(node)) return 0;
    }
    node = node.parent;
  }
  return null;
}

function isStatementValue(node: Node): boolean {
  const property = node.parent;
  return (
    property?.type === 'property' &&
    property.children?.[0]?.value === 'Statement' &&
    property.children[1] === node
  );
}

/** A word the hover provider can explain. */
export type HoverTarget =
  | { kind: 'action'; value: string; span: TextSpan }
  | { kind: 'condition-operator'; value: string; span: TextSpan }
  | { kind: 'condition-key'; value: string; operator: string; span: TextSpan };

/** The action, condition operator or condition key under `offset`, when the cursor is on one inside a statement. */
export function hoverTargetAt(text: string, offset: number): HoverTarget | null {
  if (findTooDeepNesting(text) !== undefined) return null;
  const root = parseTree(text);
  if (!root) return null;
  const node = findNodeAtOffset(root, offset, false);
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return null;
  const span: TextSpan = { offset: node.offset + 1, length: Math.max(0, node.length - 2) };
  const isPropertyName = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  const split = splitAtStatement(getNodePath(node));
  if (!split) return null;
  const rest = split.rest;
  if (!isPropertyName && typeof rest[0] === 'string' && ACTION_ELEMENTS.has(rest[0])) {
    if (rest.length === 1 || (rest.length === 2 && typeof rest[1] === 'number'))
      return { kind: 'action', value: node.value, span };
  }
  if (isPropertyName && rest[0] === 'Condition') {
    // getNodePath of a property name ends with the name itself.
    if (rest.length === 2) return { kind: 'condition-operator', value: node.value, span };
    if (rest.length === 3 && typeof rest[1] === 'string')
      return { kind: 'condition-key', value: node.value, operator: rest[1], span };
  }
  return null;
}
