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

/** Dates in words: "a, b and c", at most `shown` of them, then how many more. */
function dates(list: string[], shown = 4): string {
  const head = list.slice(0, shown);
  const rest = list.length - head.length;
  if (rest > 0) return `${head.join(', ')} and ${rest} more`;
  return head.length === 1 ? head[0] : `${head.slice(0, -1).join(', ')} and ${head.at(-1)!}`;
}

/**
 * Where the clock is now, then what happened: each key's rotations in one sentence (a long move can rotate a key
 * many times), deletions, expiries, grants, in time order of their first event.
 */
export function clockReport({ from, to, events, state }: ClockReportInput): string {
  const rotations = new Map<string, string[]>();
  const lines: (string | { rotated: string })[] = [];
  for (const event of events) {
    if (event.eventType !== 'AwsServiceEvent') continue;
    const details = event.serviceEventDetails ?? {};
    const keyId = String(details.keyId ?? '');
    const when = day(Date.parse(event.eventTime));
    if (event.eventName === 'RotateKey') {
      const seen = rotations.get(keyId);
      if (seen) seen.push(when);
      else {
        rotations.set(keyId, [when]);
        lines.push({ rotated: keyId });
      }
    } else if (event.eventName === 'DeleteKey') lines.push(`${when}: key ${keyId} was deleted.`);
    else if (event.eventName === 'DeleteExpiredKeyMaterial')
      lines.push(
        `${when}: the imported key material of ${keyName(state, keyId)} expired; the key awaits import.`,
      );
    else lines.push(`${when}: ${event.eventName} on ${keyId}.`);
  }
  const sentences = lines.map((line) => {
    if (typeof line === 'string') return line;
    const on = rotations.get(line.rotated)!;
    const times = on.length === 1 ? 'once' : `${on.length} times`;
    return `Key ${keyName(state, line.rotated)} rotated ${times}: ${dates(on)}.`;
  });
  for (const grant of state.grants)
    if (grant.propagatesAt > from && grant.propagatesAt <= to)
      sentences.push(`Grant ${grant.grantId} now works without its grant token.`);
  const head = `The lab clock is now ${new Date(to).toISOString().slice(0, 19)}Z.`;
  return [head, sentences.length === 0 ? 'Nothing fell due on the way.' : sentences.join(' ')].join(' ');
}
