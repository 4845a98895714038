import { describe, expect, it } from 'vitest';
import { actingPrincipal, setActingAs } from './kms-acting';
import { openKmsSession, type SavedKmsStore } from './kms-session';
import { STARTER_SCENARIO } from './lab-store';

const nowhere: SavedKmsStore = {
  load: async () => undefined,
  save: async () => undefined,
  setAside: async () => 'set-aside',
  clear: async () => undefined,
};

describe('actingPrincipal', () => {
  it("is the account's root until a principal the KMS knows is chosen", async () => {
    const session = await openKmsSession(nowhere, STARTER_SCENARIO);
    expect(session.kms.principals()).toEqual([
      'arn:aws:sts::111122223333:assumed-role/App/lab',
      'arn:aws:iam::111122223333:root',
    ]);
    expect(actingPrincipal(session)).toBe('arn:aws:iam::111122223333:root');
    setActingAs('arn:aws:sts::111122223333:assumed-role/App/lab');
    expect(actingPrincipal(session)).toBe('arn:aws:sts::111122223333:assumed-role/App/lab');
    setActingAs('arn:aws:iam::999999999999:user/gone'); // a choice kept from another scenario
    expect(actingPrincipal(session)).toBe('arn:aws:iam::111122223333:root');
  });
});
