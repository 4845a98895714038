import type { KeyRecord, KmsState } from '../../kms/kms-state';

/** The alias names that point at a key, from the KMS's state. */
export function aliasesOf(state: Readonly<KmsState>, keyArn: string): string[] {
  return Object.values(state.aliases)
    .filter((a) => a.targetKeyArn === keyArn)
    .map((a) => a.name)
    .sort();
}

export function findKey(state: Readonly<KmsState>, keyId: string): KeyRecord | undefined {
  return Object.values(state.keys).find((k) => k.keyId === keyId || k.arn === keyId);
}

export const day = (ms: number | undefined) =>
  ms === undefined ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export const keyHref = (keyId: string) => `#/keys/${encodeURIComponent(keyId)}`;
