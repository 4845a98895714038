/**
 * What a move of the lab clock brought, in words for the learner (and the screen reader's live region): the
 * service events KMS wrote on the way (facts §3.4: RotateKey, DeleteKey, DeleteExpiredKeyMaterial) and the grants
 * that became usable without their token (API CreateGrant: grants are eventually consistent). Pure.
 */
import type { KmsState } from './kms-state';
import type { TrailRecord } from './trail';

export interface ClockReportInput {
  from: number;
  to: number;
  /** The trail records written during the move. */
  events: readonly TrailRecord[];
  /** The state after the move. */
  state: Readonly<KmsState>;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function keyName(state: Readonly<KmsState>, keyId: string): string {
  const key = Object.values(state.keys).find((k) => k.keyId === keyId);
  const alias = key && Object.values(state.aliases).find((a) => a.targetKeyArn === key.arn);
  return alias ? `${alias.name} (${keyId})` : keyId;
}

/** One sentence per thing that happened, in time order, after a sentence saying where the clock is now. */
export function clockReport({ from, to, events, state }: ClockReportInput): string {
  const lines: string[] = [];
  for (const event of events) {
    if (event.eventType !== 'AwsServiceEvent') continue;
    const details = event.serviceEventDetails ?? {};
    const keyId = String(details.keyId ?? '');
    const when = day(Date.parse(event.eventTime));
    if (event.eventName === 'RotateKey') lines.push(`${when}: key ${keyName(state, keyId)} rotated.`);
    else if (event.eventName === 'DeleteKey') lines.push(`${when}: key ${keyId} was deleted.`);
    else if (event.eventName === 'DeleteExpiredKeyMaterial')
      lines.push(
        `${when}: the imported key material of ${keyName(state, keyId)} expired; the key awaits import.`,
      );
    else lines.push(`${when}: ${event.eventName} on ${keyId}.`);
  }
  for (const grant of state.grants)
    if (grant.propagatesAt > from && grant.propagatesAt <= to)
      lines.push(`Grant ${grant.grantId} now works without its grant token.`);
  const head = `The lab clock is now ${new Date(to).toISOString().replace('.000Z', 'Z')}.`;
  return [head, lines.length === 0 ? 'Nothing fell due on the way.' : lines.join(' ')].join(' ');
}
