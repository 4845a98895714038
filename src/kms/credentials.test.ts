import { describe, expect, it } from 'vitest';
import { createKms } from './kms';
import { credentialsFor } from './credentials';

describe('credentialsFor', () => {
  const user = 'arn:aws:iam::111122223333:user/lab-admin';
  const session = 'arn:aws:sts::111122223333:assumed-role/Auditor/lab';

  it('gives a user or root long-term AWS-shaped keys, the same every time', () => {
    const first = credentialsFor(user);
    expect(first).toEqual(credentialsFor(user));
    expect(first.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(first.sessionToken).toBeUndefined();
    expect(credentialsFor('arn:aws:iam::111122223333:root').accessKeyId).toMatch(/^AKIA/);
  });

  it('gives a role session temporary keys with a session token', () => {
    const temporary = credentialsFor(session);
    expect(temporary.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(temporary.sessionToken).toMatch(/^IQoJb3JpZ2luX2Vj[A-Za-z0-9+/]{200,}$/);
  });

  it('gives different principals different keys', () => {
    const arns = [user, session, 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::444455556666:root'];
    const all = arns.map(credentialsFor);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(arns.length);
    expect(new Set(all.map((c) => c.secretAccessKey)).size).toBe(arns.length);
  });

  it("is what createKms's credentials() hands out for every principal", () => {
    const kms = createKms({ credentialsFor });
    expect(kms.credentials()).toEqual(kms.principals().map(credentialsFor));
    expect(kms.credentials().map((c) => c.principalArn)).toContain(user);
  });
});
