import { describe, expect, it } from 'vitest';
import {
  auditLinkForKey,
  EMPTY_FILTER,
  filterFromLink,
  filterOf,
  filterProblems,
  utcTime,
} from './audit-filter';
import { parseHash } from '../ui/shell/routes';

describe('the Audit filter form', () => {
  it('reads datetime-local values as UTC, the end bound taking in its whole minute', () => {
    expect(utcTime('2026-03-01T15:05')?.toISOString()).toBe('2026-03-01T15:05:00.000Z');
    expect(utcTime('2026-03-01T15:05', true)?.toISOString()).toBe('2026-03-01T15:05:59.000Z');
    expect(utcTime('2026-03-01T15:05:07', true)?.toISOString()).toBe('2026-03-01T15:05:07.000Z');
    expect(utcTime('yesterday')).toBeUndefined();
  });

  it('turns the form into a query, leaving out what is wrong', () => {
    const form = {
      ...EMPTY_FILTER,
      from: '2026-03-01T15:00',
      to: '2026-03-01T14:00',
      user: ' bob ',
      error: '*',
    };
    expect(filterProblems(form)).toEqual({ to: 'The range ends before it starts.' });
    expect(filterOf(form)).toEqual({ startTime: new Date('2026-03-01T15:00:00Z'), user: 'bob', error: true });
    expect(filterOf({ ...EMPTY_FILTER, error: '-', key: 'k1', eventName: 'Decrypt' })).toEqual({
      error: false,
      keyId: 'k1',
      eventName: 'Decrypt',
    });
    expect(filterOf({ ...EMPTY_FILTER, error: 'AccessDenied' }).error).toBe('AccessDenied');
    expect(filterProblems({ ...EMPTY_FILTER, from: 'soon' }).from).toMatch(/Not a date/);
  });

  it('opens from a link filtered to a key', () => {
    const link = auditLinkForKey('1234abcd-12ab-34cd-56ef-1234567890ab');
    const route = parseHash(link);
    expect(route.area).toBe('audit');
    expect(filterFromLink(route.subPath)).toEqual({
      ...EMPTY_FILTER,
      key: '1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(filterFromLink('')).toBeUndefined();
  });
});
