import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpAddress } from '../scenario/load';
import { evaluateScenario } from '../engine/index';
import { callOfEvent } from '../scenario/cloudtrail-event';
import { cloudTrailFile, lookupEventsOutput } from './fixtures';
import { replayTrail, TrailReplay, type ReplayChange } from './index';
import { ALICE, B, BOB, KEY, replayEvents, replayScenario, role, session } from './test-scenario';

const bytes = (text: string) => new TextEncoder().encode(text);

async function replay(inputs: { name: string; text: string }[]) {
  const changes: ReplayChange[] = [];
  const malformed: string[] = [];
  const report = await replayTrail(
    replayScenario,
    inputs.map(({ name, text }) => ({ name, chunks: [bytes(text)] })),
    {
      onChange: (change) => changes.push(change),
      onMalformed: (location, message) =>
        malformed.push(`${location.file}:${location.line}:${location.column} ${location.path}: ${message}`),
    },
  );
  return { ...report, changes, malformed };
}

describe('replayTrail', () => {
  it('reports the calls whose decision would change, both ways, and counts the rest', async () => {
    const { counts, changes, malformed, groups, unreadable } = await replay([
      { name: 'trail.json', text: cloudTrailFile(replayEvents()) },
    ]);
    expect(unreadable).toEqual([]);
    expect(counts).toMatchObject({
      read: 16,
      kms: 15,
      replayed: 11,
      changed: 5,
      byDirection: { deny: 4, allow: 1, fail: 0 },
      skipped: 4,
      skippedBy: { 'not-kms': 1, 'service-event': 1, 'other-error': 1, 'unknown-key': 1 },
      otherErrors: { ThrottlingException: 1 },
      malformed: 1,
      accountOnlyCallers: 1,
    });
    expect(changes.map((c) => [c.eventId, c.direction])).toEqual([
      ['e2', 'deny'], // the encryption context no longer matches (CK)
      ['e3', 'allow'], // the new key-policy statement names the role (KPO)
      ['e5', 'deny'], // Encrypt outside the VPC endpoint (VPCE)
      ['e7', 'deny'], // GenerateDataKey not through S3 (CK kms:ViaService)
      ['e11', 'deny'], // an unpropagated grant without its token (GR)
    ]);
    const [flipDeny, flipAllow, outside, direct, noToken] = changes;
    expect(flipDeny).toMatchObject({
      caller: session('Payroll', 's2'),
      group: role('Payroll'),
      action: 'kms:Decrypt',
      key: KEY,
      aws: 'Allow',
      decision: 'ImplicitDeny',
      outcome: 'AccessDeniedException',
      eventTime: '2026-11-22T09:02:00Z',
      location: { file: 'trail.json', path: '$.Records[1]', line: 1 },
    });
    expect(flipDeny.explanation).toMatch(/kms:EncryptionContext:dept was "sales", not "payroll"/);
    expect(flipAllow).toMatchObject({ aws: 'Deny', awsError: 'AccessDenied', decision: 'Allow' });
    expect(flipAllow.decidedBy).toEqual(['key policy #2 "PayrollDecrypt"']);
    expect(outside).toMatchObject({ caller: ALICE, decision: 'ExplicitDeny' });
    expect(outside.decidedBy).toEqual(['key policy #4 "EncryptThroughTheEndpoint"']);
    expect(direct.explanation).toMatch(/kms:ViaService/);
    expect(noToken).toMatchObject({ caller: BOB });
    expect(noToken.explanation).toMatch(/grant token/);
    expect(malformed).toEqual([
      expect.stringMatching(
        /^trail\.json:1:\d+ \$\.Records\[14\]\.requestParameters\.encryptionContext: encryptionContext is not an object of string values\.$/,
      ),
    ]);
    // Sessions are counted against their role.
    expect(groups[0]).toEqual({
      caller: role('Payroll'),
      action: 'kms:Decrypt',
      replayed: 3,
      byDirection: { deny: 1, allow: 1, fail: 0 },
    });
    expect(groups.find((g) => g.caller === role('Partner', B))).toMatchObject({ replayed: 1 });
  });

  it('decides each call as the lab would decide the same request written by hand', async () => {
    // The replay's answer for every replayed event equals evaluating the request callOfEvent builds.
    const events = replayEvents();
    const decided = new Map<string, string>();
    const replay = new TrailReplay(replayScenario, {
      onChange: (change) => decided.set(change.eventId!, change.decision),
    });
    events.forEach((event, index) =>
      replay.record(event, 'trail.json', { container: 'Records', index, line: 1, column: 1 }),
    );
    const requests = events
      .filter(
        (e) =>
          e.eventSource === 'kms.amazonaws.com' &&
          e.eventType !== 'AwsServiceEvent' &&
          e.errorCode !== 'ThrottlingException',
      )
      .map((e) => callOfEvent(e, e.eventID as string))
      .flatMap((c) => (c.ok && c.problems.length === 0 ? [c.call] : []))
      .filter((c) => c.request.keyId === KEY || c.resourceKeys.includes(KEY));
    const results = evaluateScenario({ ...replayScenario, requests: requests.map((c) => c.request) });
    for (const [index, result] of results.entries()) {
      const call = requests[index];
      const awsAllowed = call.error === undefined;
      const changed = awsAllowed !== (result.decision === 'Allow');
      expect(decided.has(result.id)).toBe(changed);
      if (changed) expect(decided.get(result.id)).toBe(result.decision);
    }
  });

  it('reads the same events from gzip-free files, lookup-events output and JSON Lines alike', async () => {
    const events = replayEvents().slice(0, 11);
    const { changes, counts } = await replay([
      { name: 'trail.json', text: cloudTrailFile(events.slice(0, 5)) },
      { name: 'lookup.json', text: lookupEventsOutput(events.slice(5, 8)) },
      {
        name: 'lines.jsonl',
        text: events
          .slice(8)
          .map((e) => JSON.stringify(e))
          .join('\n'),
      },
    ]);
    expect(counts).toMatchObject({ read: 11, replayed: 11, changed: 5, malformed: 0 });
    expect(changes.map((c) => `${c.eventId} ${c.location.file} ${c.location.path}`)).toEqual([
      'e2 trail.json $.Records[1]',
      'e3 trail.json $.Records[2]',
      'e5 trail.json $.Records[4]',
      'e7 lookup.json $.Events[1].CloudTrailEvent',
      'e11 lines.jsonl $',
    ]);
  });

  it('keeps kms:RequestAlias when the caller named an alias the scenario does not list (CK)', async () => {
    const scenario = {
      ...replayScenario,
      keys: {
        [KEY]: {
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: ALICE },
                Action: 'kms:Encrypt',
                Resource: '*',
                Condition: { StringEquals: { 'kms:RequestAlias': 'alias/old-name' } },
              },
            ],
          },
        },
      },
    };
    const event = replayEvents()[3]; // alice, Encrypt, through the endpoint
    (event.requestParameters as Record<string, unknown>).keyId = 'alias/old-name';
    const changes: ReplayChange[] = [];
    const replayer = new TrailReplay(scenario, { onChange: (c) => changes.push(c) });
    replayer.record(event, 'trail.json', { container: 'Records', index: 0, line: 1, column: 1 });
    expect(replayer.counts).toMatchObject({ replayed: 1, changed: 0 });
    (event.requestParameters as Record<string, unknown>).keyId = 'alias/new-name';
    event.eventID = `${event.eventID}-again`; // another call, not the same event delivered twice
    replayer.record(event, 'trail.json', { container: 'Records', index: 1, line: 1, column: 1 });
    expect(changes.map((c) => c.decision)).toEqual(['ImplicitDeny']);
  });

  it('reports the calls that would fail on the key state though still authorized (KS)', async () => {
    const disabled = {
      ...replayScenario,
      keys: { [KEY]: { ...replayScenario.keys![KEY], state: 'Disabled' as const } },
    };
    const changes: ReplayChange[] = [];
    const replayer = new TrailReplay(disabled, { onChange: (c) => changes.push(c) });
    replayEvents()
      .slice(0, 2)
      .forEach((event, index) =>
        replayer.record(event, 't.json', { container: 'Records', index, line: 1, column: 1 }),
      );
    expect(changes.map((c) => [c.eventId, c.direction, c.decision, c.outcome])).toEqual([
      ['e1', 'fail', 'Allow', 'DisabledException'],
      ['e2', 'deny', 'ImplicitDeny', 'AccessDeniedException'],
    ]);
  });

  it('reports an input that cannot be read and goes on with the next', async () => {
    const { unreadable, counts } = await replayTrail(replayScenario, [
      { name: 'cut.json', chunks: [bytes(cloudTrailFile(replayEvents()).slice(0, 3000))] },
      {
        name: 'broken.json',
        chunks: (async function* () {
          yield bytes('{"Records": [');
          throw Object.assign(new Error('the disk is gone'), { code: 'EIO' });
        })(),
      },
      { name: 'good.json', chunks: [bytes(cloudTrailFile(replayEvents().slice(0, 2)))] },
    ]);
    expect(unreadable.map((u) => `${u.file}: ${u.message}`)).toEqual([
      'cut.json: the input ends inside record 1 (is the file cut short?)',
      'broken.json: cannot read: the disk is gone (EIO)',
    ]);
    expect(counts.read).toBe(3);
  });
});

describe('callOfEvent', () => {
  it('takes sourceIPAddress as aws:SourceIp exactly when it is an IP address (a service name is not)', () => {
    const samples = [
      '10.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      'fe80::1',
      '::1',
      '2001:db8::8a2e:370:7334',
      '::ffff:192.0.2.1',
      's3.amazonaws.com',
      'AWS Internal',
      '',
      '1.2.3.4 ',
      '١.٢.٣.٤',
      '10.0.0.1a',
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...samples), fc.string({ maxLength: 20 }), fc.ipV4(), fc.ipV6()),
        (address) => {
          const converted = callOfEvent(
            { eventName: 'Decrypt', userIdentity: { arn: ALICE }, sourceIPAddress: address },
            'x',
          );
          expect(converted.ok && converted.call.request.sourceIp).toBe(
            isIpAddress(address) ? address : undefined,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
