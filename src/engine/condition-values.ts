/**
 * The one reader of Numeric and Date condition values, shared by the evaluator (conditions.ts) and the linter
 * (lint/conditions.ts), so that what the linter accepts is exactly what the evaluator compares.
 *
 * IAM-OPS (reference_policies_elements_condition_operators.html):
 * - Numeric operators compare "a key to an integer or decimal value": an optional `-`, digits, and an optional
 *   `.` followed by digits. Nothing else (no `+`, exponent, hex, `Infinity`, spaces).
 * - Date operators take "one of the W3C implementations of the ISO 8601 date formats" (w3.org/TR/NOTE-datetime)
 *   "or epoch (UNIX) time". The W3C profile: `YYYY-MM`, `YYYY-MM-DD`, and date-times `YYYY-MM-DDThh:mmTZD`,
 *   `YYYY-MM-DDThh:mm:ssTZD`, `YYYY-MM-DDThh:mm:ss.sTZD`, where TZD is `Z`, `+hh:mm` or `-hh:mm` (a time always
 *   has a zone). Lab choices where the pages say nothing, documented in docs/engine.md: a value of digits only is
 *   epoch seconds (so the W3C `YYYY` form reads as seconds), at most 15 digits; a date without a time is
 *   midnight UTC; a date that is not in the calendar (2099-02-30, 25:00) is not a date.
 * A value that cannot be read makes the condition not match (conditions.ts).
 */

/** An exact decimal: sign, integer digits without leading zeros, fraction digits without trailing zeros. */
export interface IamNumber {
  negative: boolean;
  integer: string;
  fraction: string;
}

const ZERO = 48;
const NINE = 57;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** Reads an IAM number (`-12`, `3.25`); undefined when the text is anything else (IAM-OPS Numeric). */
export function parseIamNumber(text: string): IamNumber | undefined {
  let at = 0;
  const negative = text.charCodeAt(0) === 45; /* - */
  if (negative) at = 1;
  const integerStart = at;
  while (at < text.length && isDigit(text.charCodeAt(at))) at++;
  const integerEnd = at;
  if (integerEnd === integerStart) return undefined;
  let fractionStart = at;
  let fractionEnd = at;
  if (at < text.length) {
    if (text.charCodeAt(at) !== 46 /* . */) return undefined;
    fractionStart = ++at;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    fractionEnd = at;
    if (fractionEnd === fractionStart || at !== text.length) return undefined;
  }
  let first = integerStart;
  while (first < integerEnd && text.charCodeAt(first) === ZERO) first++;
  let last = fractionEnd;
  while (last > fractionStart && text.charCodeAt(last - 1) === ZERO) last--;
  const integer = text.slice(first, integerEnd);
  const fraction = text.slice(fractionStart, last);
  return { negative: negative && (integer !== '' || fraction !== ''), integer, fraction };
}

function compareDigits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1, exactly (no floating point: 9007199254740993 and 9007199254740992 differ). */
export function compareIamNumbers(a: IamNumber, b: IamNumber): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  let magnitude =
    a.integer.length !== b.integer.length
      ? a.integer.length - b.integer.length
      : compareDigits(a.integer, b.integer) || compareDigits(a.fraction, b.fraction);
  if (magnitude === 0) return 0; // not -0: equal numbers compare equal whatever their sign
  magnitude = Math.sign(magnitude);
  return a.negative ? -magnitude : magnitude;
}

// ---------------------------------------------------------------- dates

/** Epoch seconds: digits only, at most 15 (so the milliseconds stay exact). */
const MAX_EPOCH_DIGITS = 15;

export type IamDate = { ok: true; epochMs: number } | { ok: false; problem: string };

function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const FORM =
  'an ISO 8601 date as W3C profiles it (2026-01-31, 2026-01-31T08:00Z, 2026-01-31T08:00:00Z, 2026-01-31T08:00:00.5+01:00) or epoch seconds (1769846400)';

/** The forms a Date value may take, for messages. */
export const IAM_DATE_FORMS = FORM;
export const IAM_NUMBER_FORMS = 'an integer or a decimal number (42, -7, 3.25)';

/**
 * Reads a Date condition value (IAM-OPS Date): W3C ISO 8601 or epoch seconds. Says why when it cannot: a text
 * of the wrong form, or a date or time that does not exist (February 30, 24:10).
 */
export function readIamDate(text: string): IamDate {
  const bad = (problem: string): IamDate => ({ ok: false, problem });
  if (text.length > 0 && text.length <= MAX_EPOCH_DIGITS && digitsAt(text, 0, text.length) >= 0)
    return { ok: true, epochMs: Number(text) * 1000 };
  const year = digitsAt(text, 0, 4);
  if (text.length < 7 || year < 0 || text[4] !== '-') return bad(`it is not ${FORM}`);
  const month = digitsAt(text, 5, 2);
  if (month < 0 || (text.length > 7 && text[7] !== '-')) return bad(`it is not ${FORM}`);
  if (month < 1 || month > 12) return bad(`month ${text.slice(5, 7)} does not exist`);
  if (text.length === 7) return { ok: true, epochMs: utc(year, month, 1, 0, 0, 0, 0) };
  const day = text.length >= 10 ? digitsAt(text, 8, 2) : -1;
  if (day < 0) return bad(`it is not ${FORM}`);
  if (day < 1 || day > daysInMonth(year, month))
    return bad(`${text.slice(0, 10)} is not a day of the calendar`);
  if (text.length === 10) return { ok: true, epochMs: utc(year, month, day, 0, 0, 0, 0) };
  // Date-time: Thh:mm, then optionally :ss and .s…, then the zone (W3C: a time always has one).
  if (text[10] !== 'T' || text[13] !== ':') return bad(`it is not ${FORM}`);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || minute < 0) return bad(`it is not ${FORM}`);
  let at = 16;
  let second = 0;
  let milliseconds = 0;
  if (text[at] === ':') {
    second = digitsAt(text, at + 1, 2);
    if (second < 0) return bad(`it is not ${FORM}`);
    at += 3;
    if (text[at] === '.') {
      const start = ++at;
      while (at < text.length && isDigit(text.charCodeAt(at))) at++;
      if (at === start) return bad(`it is not ${FORM}`);
      // Milliseconds are what a timestamp holds; finer digits are read and dropped.
      milliseconds = Number(text.slice(start, Math.min(at, start + 3)).padEnd(3, '0'));
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return bad(`${text.slice(11, at)} is not a time of day`);
  let offsetMinutes = 0;
  const zone = text.slice(at);
  if (zone !== 'Z') {
    const sign = zone[0] === '+' ? 1 : zone[0] === '-' ? -1 : 0;
    const zoneHours = digitsAt(zone, 1, 2);
    const zoneMinutes = digitsAt(zone, 4, 2);
    if (zone === '') return bad(`a time needs a zone (Z or ±hh:mm): ${FORM}`);
    if (sign === 0 || zone.length !== 6 || zone[3] !== ':' || zoneHours < 0 || zoneMinutes < 0)
      return bad(`it is not ${FORM}`);
    if (zoneHours > 23 || zoneMinutes > 59) return bad(`${zone} is not a time zone offset`);
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes);
  }
  return {
    ok: true,
    epochMs: utc(year, month, day, hour, minute, second, milliseconds) - offsetMinutes * 60_000,
  };
}

function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** Milliseconds since the epoch, or undefined when the value is not an IAM date. */
export function parseIamDate(text: string): number | undefined {
  const date = readIamDate(text);
  return date.ok ? date.epochMs : undefined;
}

/**
 * Why a value cannot be read by an operator of this family, or undefined when it can (or when the family
 * reads any text). The evaluator and the linter both ask this.
 */
export function unreadableValueProblem(family: string, text: string): string | undefined {
  if (family === 'Numeric') return parseIamNumber(text) ? undefined : `it is not ${IAM_NUMBER_FORMS}`;
  if (family === 'Date') {
    const date = readIamDate(text);
    return date.ok ? undefined : date.problem;
  }
  return undefined;
}
