/**
 * The simulator's trail read back by `lab replay` (src/replay: its reader and the engine's replay): every call is
 * decided again from its CloudTrail record alone (caller, key, encryption context, network, calling service) and
 * gets the answer the simulator gave.
 */
import { describe, expect, it } from 'vitest';
import { replayTrail, type ReplayChange } from '../replay';
import type { Scenario } from '../scenario/types';
import { engineScenario } from './authorize';
import { utf8 } from './bytes';
import type { Kms } from './kms';
import { KEY, stableTrail, trailScenario } from './trail-fixture.test-support';

async function replay(kms: Kms, scenario: Scenario) {
  const changes: ReplayChange[] = [];
  const trail = JSON.stringify({ Records: kms.trail.records }, null, 2);
  const report = await replayTrail(scenario, [{ name: 'simulator-trail.json', chunks: [utf8(trail)] }], {
    onChange: (change) => changes.push(change),
  });
  return { report, changes };
}

describe('lab replay reads the simulated KMS trail', () => {
  it('replays every allowed and denied call with the decision the simulator made', async () => {
    const kms = await stableTrail();
    const { state } = await kms.snapshot();
    const { report, changes } = await replay(kms, engineScenario(trailScenario, state));
    const records = kms.trail.records;
    expect(report.unreadable).toEqual([]);
    expect(report.counts.malformed).toBe(0);
    expect(report.counts.read).toBe(records.length);
    const decidable = records.filter((r) => !r.errorCode || r.errorCode === 'AccessDenied');
    expect(decidable.filter((r) => r.errorCode).length).toBeGreaterThanOrEqual(4);
    expect(decidable.filter((r) => r.userIdentity.invokedBy).length).toBeGreaterThanOrEqual(6);
    expect(report.counts.replayed).toBe(decidable.length);
    expect(report.counts.skippedBy['other-error']).toBe(records.length - decidable.length);
    expect(changes).toEqual([]);
    expect(report.counts.changed).toBe(0);
  });

  it('finds the calls a policy change would deny, via-service calls included', async () => {
    const kms = await stableTrail();
    const { state } = await kms.snapshot();
    const scenario = engineScenario(trailScenario, state);
    // No more Decrypt through S3 with this key.
    const policy = JSON.parse(JSON.stringify(scenario.keys![KEY].policy)) as { Statement: unknown[] };
    policy.Statement.push({
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    scenario.keys![KEY] = { ...scenario.keys![KEY], policy: policy as never };
    const { changes } = await replay(kms, scenario);
    expect(changes.map((c) => [c.action, c.caller, c.direction])).toEqual([
      ['kms:Decrypt', 'arn:aws:iam::111122223333:user/admin', 'deny'],
    ]);
  });
});
