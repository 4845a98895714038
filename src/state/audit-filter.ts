/**
 * The Audit filter as the learner types it (text fields, `datetime-local` values read as UTC, the lab clock's
 * zone) and as the trail's query takes it. Pure; the form keeps what was typed even when it is not yet a time.
 */
import type { AuditFilter } from './audit-core';

export interface AuditFilterForm {
  /** `YYYY-MM-DDTHH:MM` (UTC), or empty. */
  from: string;
  to: string;
  eventName: string;
  user: string;
  /** A key id or ARN. */
  key: string;
  /** '' any outcome, '*' errors only, '-' successes only, else one error code. */
  error: string;
}

export const EMPTY_FILTER: AuditFilterForm = {
  from: '',
  to: '',
  eventName: '',
  user: '',
  key: '',
  error: '',
};

export const ANY_ERROR = '*';
export const NO_ERROR = '-';

/** A datetime-local value as a UTC instant; `end` makes a minute-precise bound take in the whole minute. */
export function utcTime(value: string, end = false): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, s === undefined ? (end ? 59 : 0) : +s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** What is wrong with the form, field by field (a time that is not one, a range that ends before it starts). */
export function filterProblems(form: AuditFilterForm): Partial<Record<'from' | 'to', string>> {
  const problems: Partial<Record<'from' | 'to', string>> = {};
  const from = utcTime(form.from);
  const to = utcTime(form.to, true);
  if (form.from.trim() && !from) problems.from = 'Not a date and time (YYYY-MM-DDTHH:MM, UTC).';
  if (form.to.trim() && !to) problems.to = 'Not a date and time (YYYY-MM-DDTHH:MM, UTC).';
  if (from && to && to < from) problems.to = 'The range ends before it starts.';
  return problems;
}

/** The query of a form; fields with a problem are left out (the form shows why). */
export function filterOf(form: AuditFilterForm): AuditFilter {
  const filter: AuditFilter = {};
  const from = utcTime(form.from);
  const to = utcTime(form.to, true);
  if (from) filter.startTime = from;
  if (to && !(from && to < from)) filter.endTime = to;
  if (form.eventName) filter.eventName = form.eventName;
  if (form.user.trim()) filter.user = form.user.trim();
  if (form.key.trim()) filter.keyId = form.key.trim();
  if (form.error === ANY_ERROR) filter.error = true;
  else if (form.error === NO_ERROR) filter.error = false;
  else if (form.error) filter.error = form.error;
  return filter;
}

/** The filter a `#/audit?key=…&user=…&from=…&to=…` link asks for (the Keys page links here). */
export function filterFromLink(subPath: string): AuditFilterForm | undefined {
  const at = subPath.indexOf('?');
  if (at < 0) return undefined;
  const params = new URLSearchParams(subPath.slice(at + 1));
  const form = { ...EMPTY_FILTER };
  let any = false;
  for (const field of ['from', 'to', 'eventName', 'user', 'key', 'error'] as const) {
    const value = params.get(field);
    if (value !== null) {
      form[field] = value;
      any = true;
    }
  }
  return any ? form : undefined;
}

/** The link to the Audit area filtered to one key. */
export function auditLinkForKey(keyId: string): string {
  return `#/audit?key=${encodeURIComponent(keyId)}`;
}
