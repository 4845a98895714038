import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toCloudTrailJson } from '../kms/trail-export';
import { KEY, stableTrail, trailScenario } from '../kms/trail-fixture.test-support';
import type { Scenario } from '../scenario/types';
import { AuditCore } from './audit-core';
import { replayScenario } from './audit-scenario';

const ADMIN = 'arn:aws:iam::111122223333:user/admin';

async function coreWithTrail() {
  const kms = await stableTrail();
  const core = new AuditCore();
  const records = kms.trail.records;
  core.sync('lab', records.slice(0, 5), true);
  core.sync('lab', records.slice(5), false);
  return { kms, core, records };
}

describe('the Audit worker core', () => {
  it('filters the synced trail by indices, and sends facets only when the trail changed', async () => {
    const { core, records } = await coreWithTrail();
    const first = core.query(1, 'lab', { user: 'bob' });
    if (first.kind !== 'result') throw new Error(first.kind);
    expect(first.total).toBe(records.length);
    expect([...first.indices].map((i) => records[i].eventID)).toEqual(
      records.filter((r) => r.userIdentity.userName === 'bob').map((r) => r.eventID),
    );
    expect(first.facets?.users).toContain('bob');
    const again = core.query(2, 'lab', {});
    expect(again.kind === 'result' && 'facets' in again).toBe(false);
    expect(again.kind === 'result' && again.indices.length).toBe(records.length);
    const denied = core.query(3, 'lab', { denied: true });
    expect(
      denied.kind === 'result' && [...denied.indices].every((i) => records[i].errorCode === 'AccessDenied'),
    ).toBe(true);
    expect(denied.kind === 'result' && denied.indices.length).toBeGreaterThan(0);
  });

  it('answers who used a key', async () => {
    const { core } = await coreWithTrail();
    const answer = core.users(4, 'lab', { keyId: KEY });
    if (answer.kind !== 'users') throw new Error(answer.kind);
    expect(answer.users.map((u) => u.user)).toContain('admin');
    expect(answer.users.find((u) => u.user === 'bob')?.failed).toBeGreaterThan(0);
  });

  it('imports a gzipped Records file as its own trail, and says why a file is refused', async () => {
    const { core, records } = await coreWithTrail();
    const file = new Blob([gzipSync(toCloudTrailJson(records.slice(0, 3)))]);
    const imported = await core.importFile('trail.json.gz', file);
    expect(imported.kind === 'imported' && imported.records.map((r) => r.eventID)).toEqual(
      records.slice(0, 3).map((r) => r.eventID),
    );
    expect(core.records('imported')).toHaveLength(3);
    expect(core.records('lab')).toHaveLength(records.length);
    const refused = await core.importFile('notes.txt', new Blob(['hello']));
    expect(refused).toMatchObject({ kind: 'import-failed', name: 'notes.txt' });
  });

  it('replays the trail: nothing changes under the same scenario, a new Deny is found', async () => {
    const { kms, core, records } = await coreWithTrail();
    const { state } = await kms.snapshot();
    const same = core.replay(5, 'lab', replayScenario(trailScenario, state));
    expect(same.kind === 'replayed' && same.changes).toEqual([]);
    expect(same.kind === 'replayed' && same.counts.replayed).toBeGreaterThan(5);

    const changed: Scenario = structuredClone(trailScenario);
    const policy = changed.keys![KEY].policy as unknown as { Statement: unknown[] };
    policy.Statement.push({
      Effect: 'Deny',
      Principal: { AWS: ADMIN },
      Action: 'kms:Encrypt',
      Resource: '*',
    });
    const after = core.replay(6, 'lab', replayScenario(changed, state));
    if (after.kind !== 'replayed') throw new Error(after.kind);
    expect(after.changes.length).toBeGreaterThan(0);
    for (const { index, change } of after.changes) {
      expect(records[index].eventID).toBe(change.eventId);
      expect([change.action, change.caller, change.direction]).toEqual(['kms:Encrypt', ADMIN, 'deny']);
    }
  });

  it('keeps the keys only the KMS has in the replay scenario, the Lab winning where both have one', async () => {
    const { kms } = await coreWithTrail();
    const { state } = await kms.snapshot();
    const merged = replayScenario(trailScenario, state);
    expect(Object.keys(merged.keys ?? {}).length).toBeGreaterThan(
      Object.keys(trailScenario.keys ?? {}).length,
    );
    expect(merged.keys![KEY]).toBe(trailScenario.keys![KEY]);
  });
});
