/**
 * A scenario and a trail for the replay tests (not used by the replay itself): the key policy a practitioner wants
 * to apply, and CloudTrail events of calls AWS answered under the policy in force before.
 */
import type { Scenario } from '../scenario/types';
import { cloudTrailEvent } from './fixtures';

export const A = '111122223333';
export const B = '444455556666';
export const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY = `arn:aws:kms:us-east-1:${A}:key/99999999-12ab-34cd-56ef-1234567890ab`;
export const ENDPOINT = 'vpce-0abc1234def567890';
export const role = (name: string, account = A) => `arn:aws:iam::${account}:role/${name}`;
export const session = (name: string, id: string, account = A) =>
  `arn:aws:sts::${account}:assumed-role/${name}/${id}`;
export const ALICE = `arn:aws:iam::${A}:user/alice`;
export const BOB = `arn:aws:iam::${A}:user/bob`;

const allow = (action: string, resource = KEY) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
});

/** The key policy being tested (KPO, DEF, XA, VPCE, CK, GR). */
export const replayScenario: Scenario = {
  version: 2,
  title: 'Tighter payroll key',
  principals: {
    [role('Payroll')]: { policies: [] },
    [role('Uploader')]: { policies: [] },
    [ALICE]: { policies: [allow('kms:Encrypt')] },
    [BOB]: { policies: [] },
    [role('Partner', B)]: { policies: [allow('kms:Decrypt')] },
  },
  keys: {
    [KEY]: {
      aliases: ['alias/payroll'],
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'IAM',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${A}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'PayrollDecrypt',
            Effect: 'Allow',
            Principal: { AWS: role('Payroll') },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'payroll' } },
          },
          {
            Sid: 'PartnerDecrypt',
            Effect: 'Allow',
            Principal: { AWS: B },
            Action: 'kms:Decrypt',
            Resource: '*',
          },
          {
            Sid: 'EncryptThroughTheEndpoint',
            Effect: 'Deny',
            Principal: '*',
            Action: 'kms:Encrypt',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:SourceVpce': ENDPOINT } },
          },
          {
            Sid: 'UploaderThroughS3',
            Effect: 'Allow',
            Principal: { AWS: role('Uploader') },
            Action: 'kms:GenerateDataKey',
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
          },
        ],
      },
    },
  },
  grants: [
    // GR: a grant not yet propagated works only with its grant token.
    {
      grantId: 'g-1',
      keyArn: KEY,
      granteePrincipal: BOB,
      operations: ['Decrypt'],
      propagated: false,
      grantToken: 'tok-1',
    },
  ],
  vpcEndpoints: { [ENDPOINT]: {} },
};

/** Events with what AWS answered; the comment says what the scenario answers. */
export function replayEvents(): Record<string, unknown>[] {
  const at = (n: number) => `2026-11-2${n % 8}T09:${String(n).padStart(2, '0')}:00Z`;
  const kms = (n: number, spec: Omit<Parameters<typeof cloudTrailEvent>[0], 'eventId' | 'eventTime'>) =>
    cloudTrailEvent({ keyArn: KEY, ...spec, eventId: `e${n}`, eventTime: at(n) });
  const events = [
    // 1-3: an assumed-role session with an encryption context; the decision flips both ways.
    kms(1, {
      caller: session('Payroll', 's1'),
      eventName: 'Decrypt',
      encryptionContext: { dept: 'payroll' },
    }),
    kms(2, { caller: session('Payroll', 's2'), eventName: 'Decrypt', encryptionContext: { dept: 'sales' } }),
    kms(3, {
      caller: session('Payroll', 's3'),
      eventName: 'Decrypt',
      encryptionContext: { dept: 'payroll' },
      errorCode: 'AccessDenied',
    }),
    // 4-5: a VPC endpoint call (still allowed) and one from the internet (now denied).
    kms(4, {
      caller: ALICE,
      eventName: 'Encrypt',
      keyId: 'alias/payroll',
      vpcEndpointId: ENDPOINT,
      sourceIp: '10.0.3.4',
    }),
    kms(5, { caller: ALICE, eventName: 'Encrypt', sourceIp: '203.0.113.9' }),
    // 6-7: a call S3 made for the caller (kms:ViaService) and a direct one.
    kms(6, {
      caller: session('Uploader', 'u1'),
      eventName: 'GenerateDataKey',
      invokedBy: 's3.amazonaws.com',
    }),
    kms(7, { caller: session('Uploader', 'u1'), eventName: 'GenerateDataKey', sourceIp: '198.51.100.4' }),
    // 8-9: cross-account: a session named in the caller's trail, and an identity the key owner's trail hides.
    kms(8, { caller: session('Partner', 'p1', B), eventName: 'Decrypt' }),
    kms(9, { caller: { accountOnly: B }, eventName: 'Decrypt' }),
    // 10-11: grant tokens: with the token the unpropagated grant works, without it bob is denied.
    kms(10, { caller: BOB, eventName: 'Decrypt', grantTokens: ['tok-1'] }),
    kms(11, { caller: BOB, eventName: 'Decrypt' }),
    // 12-16: skipped or malformed.
    cloudTrailEvent({ caller: BOB, eventName: 'GetObject', eventSource: 's3.amazonaws.com', eventId: 'e12' }),
    kms(13, { caller: BOB, eventName: 'Decrypt', errorCode: 'ThrottlingException' }),
    kms(14, { caller: BOB, eventName: 'Decrypt', keyArn: OTHER_KEY }),
    kms(15, { caller: BOB, eventName: 'Decrypt' }),
    kms(16, { caller: BOB, eventName: 'RotateKey' }),
  ];
  (events[14].requestParameters as Record<string, unknown>).encryptionContext = 'dept=payroll';
  events[15].eventType = 'AwsServiceEvent';
  return events;
}
