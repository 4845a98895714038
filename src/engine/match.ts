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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a wildcard pattern. Case-sensitive; callers that need case-insensitivity lower-case both sides.
 * `segmentSafe`: `*` and `?` do not match `:` (ArnLike segments).
 */
export function compileGlob(pattern: string | PatternPiece[], segmentSafe = false): StringMatcher {
  const pieces: PatternPiece[] = typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern;
  const hasWildcard = pieces.some((p) => !p.literal && /[*?]/.test(p.text));
  const flat = pieces.map((p) => p.text).join('');
  if (!hasWildcard) return (value) => value === flat;
  if (!segmentSafe && pieces.length === 1) {
    if (flat === '*') return MATCH_ALL;
    const star = flat.indexOf('*');
    // Fast path for the common `prefix*` form (kms:Describe*, arn:...:key/*).
    if (star === flat.length - 1 && !flat.includes('?')) {
      const prefix = flat.slice(0, -1);
      return (value) => value.startsWith(prefix);
    }
  }
  const any = segmentSafe ? '[^:]*' : '[\\s\\S]*';
  const one = segmentSafe ? '[^:]' : '[\\s\\S]';
  let source = '^';
  for (const piece of pieces) {
    if (piece.literal) {
      source += escapeRegExp(piece.text);
      continue;
    }
    for (const ch of piece.text) source += ch === '*' ? any : ch === '?' ? one : escapeRegExp(ch);
  }
  const regex = new RegExp(`${source}$`);
  return (value) => regex.test(value);
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

const parsedIps = new Map<string, ParsedIp | undefined>();

/** Parses an IPv4 or IPv6 address; remembers recent ones, as the same request addresses are tested against many CIDRs. */
export function parseIp(text: string): ParsedIp | undefined {
  let ip = parsedIps.get(text);
  if (ip === undefined && !parsedIps.has(text)) {
    if (parsedIps.size >= 256) parsedIps.clear();
    ip = parseIpUncached(text);
    parsedIps.set(text, ip);
  }
  return ip;
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
