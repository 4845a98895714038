/**
 * Low-level matchers, compiled once per policy value and reused: wildcards (`*` any run, `?` one character;
 * IAM-ACT, IAM-OPS StringLike), ARN segment matching (IAM-OPS Arn*, IAM-NR) and IPv4/IPv6 CIDR blocks
 * (IAM-OPS IpAddress).
 */
import { splitArn } from './arn';

export type StringMatcher = (value: string) => boolean;

/** A pattern piece; `literal` pieces (from `${*}`-style escapes, IAM-VAR) never act as wildcards. */
export interface PatternPiece {
  text: string;
  literal: boolean;
}

const MATCH_ALL: StringMatcher = () => true;

/**
 * One run of a wildcard pattern between two `*`: its characters, and where `?` stands (null when it has none).
 * A `?` that came from a literal piece (`${?}`) is a plain character and not marked.
 */
interface GlobSegment {
  text: string;
  anyChar: Uint8Array | null;
  /** With `?`s: the longest run of plain characters and where it starts, searched for first (indexOf). */
  anchor?: { text: string; at: number };
}

/** `head*middle[0]*…*tail`, or just `head` when the pattern has no `*`. */
interface GlobShape {
  head: GlobSegment;
  middle: GlobSegment[];
  tail: GlobSegment | null;
  /** The shortest value that can match: every character except the `*`s. */
  minLength: number;
}

function segmentOf(chars: string[], anyChar: boolean[]): GlobSegment {
  const text = chars.join('');
  if (!anyChar.includes(true)) return { text, anyChar: null };
  let best = { at: 0, length: 0 };
  for (let start = 0; start < chars.length;) {
    let end = start;
    while (end < chars.length && !anyChar[end]) end++;
    if (end - start > best.length) best = { at: start, length: end - start };
    start = end + 1;
  }
  return {
    text,
    anyChar: Uint8Array.from(anyChar, (b) => (b ? 1 : 0)),
    anchor: best.length > 0 ? { text: text.slice(best.at, best.at + best.length), at: best.at } : undefined,
  };
}

/** Splits a pattern at its `*`s (runs of `*` are one), keeping `?` positions; literal pieces never act as wildcards. */
function globShape(pieces: PatternPiece[]): GlobShape {
  const segments: GlobSegment[] = [];
  let chars: string[] = [];
  let anyChar: boolean[] = [];
  let sawStar = false;
  let minLength = 0;
  for (const piece of pieces) {
    for (const ch of piece.text) {
      if (!piece.literal && ch === '*') {
        // The head is kept even when empty; an empty run between two stars (`**`) adds nothing.
        if (!sawStar || chars.length > 0) segments.push(segmentOf(chars, anyChar));
        sawStar = true;
        chars = [];
        anyChar = [];
        continue;
      }
      // One entry per UTF-16 unit, as the value is compared unit by unit (`?` is one unit, like the old RegExp).
      for (let i = 0; i < ch.length; i++) {
        chars.push(ch[i]);
        anyChar.push(!piece.literal && ch === '?');
      }
      minLength += ch.length;
    }
  }
  const last = segmentOf(chars, anyChar);
  if (!sawStar) return { head: last, middle: [], tail: null, minLength };
  return { head: segments[0], middle: segments.slice(1), tail: last, minLength };
}

/** Whether `segment` matches `value` at `at` (the caller checked that it fits). */
function segmentMatchesAt(segment: GlobSegment, value: string, at: number): boolean {
  const { text, anyChar } = segment;
  if (anyChar === null) return value.startsWith(text, at);
  for (let i = 0; i < text.length; i++) {
    if (anyChar[i] === 0 && value.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The first place at or after `from` where `segment` matches and ends by `end`, or -1. Literal runs use
 * indexOf; a run with `?` looks for its longest plain part with indexOf and checks the rest around each hit
 * (O(length × segment) at worst, never exponential).
 */
function findSegment(segment: GlobSegment, value: string, from: number, end: number): number {
  const length = segment.text.length;
  if (segment.anyChar === null) {
    const at = value.indexOf(segment.text, from);
    return at >= 0 && at + length <= end ? at : -1;
  }
  const anchor = segment.anchor;
  if (!anchor) return from + length <= end ? from : -1; // only `?`s: any place with room fits
  for (let start = from; start + length <= end; start++) {
    const hit = value.indexOf(anchor.text, start + anchor.at);
    if (hit < 0) return -1;
    start = hit - anchor.at;
    if (start + length > end) return -1;
    if (segmentMatchesAt(segment, value, start)) return start;
  }
  return -1;
}

/**
 * Matches a value against `head*m1*…*tail` without backtracking: the head must start the value, the tail end
 * it, and each middle run is taken at its leftmost place after the previous one. Leftmost is always safe: a
 * later place for a run leaves less room for the runs after it, never more. Time O(value × pattern) at worst.
 */
function matchGlobShape(shape: GlobShape, value: string): boolean {
  const { head, tail } = shape;
  if (tail === null) return value.length === head.text.length && segmentMatchesAt(head, value, 0);
  if (value.length < shape.minLength) return false;
  const end = value.length - tail.text.length;
  if (!segmentMatchesAt(head, value, 0) || !segmentMatchesAt(tail, value, end)) return false;
  let at = head.text.length;
  for (const segment of shape.middle) {
    const found = findSegment(segment, value, at, end);
    if (found < 0) return false;
    at = found + segment.text.length;
  }
  return true;
}

export interface GlobOptions {
  /** `*` and `?` do not match `:` (ArnLike segments, IAM-OPS). */
  segmentSafe?: boolean;
  /** Compare ignoring case (IAM-ACT: action names); the pattern and each value are lower-cased. */
  ignoreCase?: boolean;
}

/** A literal `:` splits the pattern: with `segmentSafe` no wildcard crosses it, so colons must line up. */
function splitPiecesAtColons(pieces: PatternPiece[]): PatternPiece[][] {
  const parts: PatternPiece[][] = [[]];
  for (const piece of pieces) {
    const texts = piece.text.split(':');
    texts.forEach((text, i) => {
      if (i > 0) parts.push([]);
      if (text) parts[parts.length - 1].push({ text, literal: piece.literal });
    });
  }
  return parts;
}

/**
 * Compiles a wildcard pattern (`*` any run, `?` one character; IAM-ACT, IAM-OPS StringLike) into a matcher that
 * runs in O(value × pattern) at worst, with no RegExp: a pattern of any size is fine, and `*****x` costs what
 * `*x` costs. Case-sensitive unless `ignoreCase`.
 */
export function compileGlob(
  pattern: string | PatternPiece[],
  options: GlobOptions | boolean = {},
): StringMatcher {
  const { segmentSafe = false, ignoreCase = false } =
    typeof options === 'boolean' ? { segmentSafe: options } : options;
  let pieces: PatternPiece[] = typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern;
  if (ignoreCase) pieces = pieces.map((p) => ({ text: p.text.toLowerCase(), literal: p.literal }));
  const matcher = compileCaseSensitiveGlob(pieces, segmentSafe);
  return ignoreCase ? (value) => matcher(value.toLowerCase()) : matcher;
}

function compileCaseSensitiveGlob(pieces: PatternPiece[], segmentSafe: boolean): StringMatcher {
  const hasWildcard = pieces.some((p) => !p.literal && (p.text.includes('*') || p.text.includes('?')));
  const flat = pieces.length === 1 ? pieces[0].text : pieces.map((p) => p.text).join('');
  if (!hasWildcard) return (value) => value === flat;
  if (segmentSafe) {
    const parts = splitPiecesAtColons(pieces).map((part) => compileCaseSensitiveGlob(part, false));
    if (parts.length === 1) {
      const only = parts[0];
      return (value) => !value.includes(':') && only(value);
    }
    return (value) => {
      const valueParts = value.split(':');
      if (valueParts.length !== parts.length) return false;
      for (let i = 0; i < parts.length; i++) if (!parts[i](valueParts[i])) return false;
      return true;
    };
  }
  const shape = globShape(pieces);
  if (
    shape.tail !== null &&
    shape.middle.length === 0 &&
    shape.head.anyChar === null &&
    shape.tail.anyChar === null
  ) {
    // The common forms `*`, `prefix*` (kms:Describe*, arn:…:key/*), `*suffix` and `prefix*suffix`.
    const prefix = shape.head.text;
    const suffix = shape.tail.text;
    if (prefix === '' && suffix === '') return MATCH_ALL;
    if (suffix === '') return (value) => value.startsWith(prefix);
    if (prefix === '') return (value) => value.endsWith(suffix);
    const minLength = shape.minLength;
    return (value) => value.length >= minLength && value.startsWith(prefix) && value.endsWith(suffix);
  }
  return (value) => matchGlobShape(shape, value);
}

/**
 * Compiles an ARN pattern for Resource/NotResource and the Arn* operators: the first five segments are compared
 * one by one (a wildcard never crosses a colon there); the resource part may contain colons (IAM-OPS, IAM-NR).
 * A pattern that is not a six-part ARN is compared as a wildcard string whose `*` still does not cross a colon
 * ("*" alone matches everything).
 */
export function compileArnPattern(pattern: string | PatternPiece[]): StringMatcher {
  const flat = typeof pattern === 'string' ? pattern : pattern.map((p) => p.text).join('');
  if (flat === '*' && (typeof pattern === 'string' || !pattern[0].literal)) return MATCH_ALL;
  const hasLiteralPieces = typeof pattern !== 'string' && pattern.some((p) => p.literal);
  const parts = hasLiteralPieces ? undefined : splitArn(flat);
  if (!parts) return compileGlob(pattern, true);
  const segmentMatchers = parts.map((segment, i) => compileGlob(segment, i < 5));
  if (parts.slice(0, 5).every((s) => !/[*?]/.test(s))) {
    // Only the resource part has wildcards (the usual case): compare the fixed prefix once.
    const prefix = `${parts.slice(0, 5).join(':')}:`;
    const resource = segmentMatchers[5];
    return (value) => value.startsWith(prefix) && resource(value.slice(prefix.length));
  }
  return (value) => {
    const valueParts = splitArn(value);
    if (!valueParts) return false;
    for (let i = 0; i < 6; i++) if (!segmentMatchers[i](valueParts[i])) return false;
    return true;
  };
}

// ---------------------------------------------------------------- IP addresses (IAM-OPS IpAddress)

export interface ParsedIp {
  version: 4 | 6;
  bytes: ArrayLike<number>;
}

/** Four dot-separated decimal bytes of 1 to 3 digits each (read char by char: split and a RegExp per part cost more). */
function parseIpv4(text: string): number[] | undefined {
  // A small array literal: cheaper to make than a Uint8Array, and request addresses are parsed per request.
  const bytes = [0, 0, 0, 0];
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46 /* . */) {
      if (digits === 0 || part === 3) return undefined;
      bytes[part++] = value;
      digits = 0;
      value = 0;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      value = value * 10 + (code - 48);
      digits++;
      if (value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || part !== 3) return undefined;
  bytes[3] = value;
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let groups: string[];
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0) {
    if (text.indexOf('::', doubleColon + 1) >= 0) return undefined;
    const head = text.slice(0, doubleColon) ? text.slice(0, doubleColon).split(':') : [];
    const tail = text.slice(doubleColon + 2) ? text.slice(doubleColon + 2).split(':') : [];
    const tailWords = tail.length > 0 && tail[tail.length - 1].includes('.') ? tail.length + 1 : tail.length;
    const missing = 8 - head.length - tailWords;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = text.split(':');
  }
  const bytes = new Uint8Array(16);
  let at = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4 || at !== 12) return undefined;
      bytes.set(v4, 12);
      at = 16;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(group) || at > 14) return undefined;
    const word = parseInt(group, 16);
    bytes[at++] = word >> 8;
    bytes[at++] = word & 0xff;
  }
  return at === 16 ? bytes : undefined;
}

/** The address parsed last: one request's aws:SourceIp is tested against every CIDR of its conditions in a row. */
let lastIpText: string | undefined;
let lastIp: ParsedIp | undefined;

/**
 * Parses an IPv4 or IPv6 address, once per request address. A map of recent addresses missed every time when
 * each request comes from a new address (a trail replay, a load test), and then only cost.
 */
export function parseIp(text: string): ParsedIp | undefined {
  if (text !== lastIpText) {
    lastIp = parseIpUncached(text);
    lastIpText = text;
  }
  return lastIp;
}

function parseIpUncached(text: string): ParsedIp | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const bytes = parseIpv6(trimmed);
    return bytes && { version: 6, bytes };
  }
  const bytes = parseIpv4(trimmed);
  return bytes && { version: 4, bytes };
}

/** Compiles a CIDR block (or a single address, which means /32 or /128); undefined when malformed. */
export function compileCidr(text: string): ((ip: ParsedIp) => boolean) | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (!address) return undefined;
  const maxBits = address.version === 4 ? 32 : 128;
  const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : maxBits;
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > maxBits ||
    (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1)))
  )
    return undefined;
  const network = address.bytes;
  return (ip) => {
    if (ip.version !== address.version) return false;
    let bits = prefix;
    for (let i = 0; bits > 0; i++, bits -= 8) {
      const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((ip.bytes[i] & mask) !== (network[i] & mask)) return false;
    }
    return true;
  };
}
