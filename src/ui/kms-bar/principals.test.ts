import { describe, expect, it } from 'vitest';
import { groupPrincipals } from './principals';

describe('groupPrincipals', () => {
  it('puts users, role sessions and roots in their own groups, in the order given', () => {
    const groups = groupPrincipals([
      'arn:aws:sts::111122223333:assumed-role/Dev-Role/lab',
      'arn:aws:iam::111122223333:user/bob',
      'arn:aws:iam::444455556666:root',
      'arn:aws:iam::111122223333:user/path/alice',
    ]);
    expect(groups.map((g) => [g.label, g.principals.map((p) => p.name)])).toEqual([
      ['Users', ['bob (111122223333)', 'path/alice (111122223333)']],
      ['Role sessions', ['Dev-Role/lab (111122223333)']],
      ['Account roots', ['root of 444455556666']],
    ]);
  });
});
