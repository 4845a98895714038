/**
 * The HSM's saved form: every key material and wrapping key in its secret form, sealed as one AES-256-GCM message
 * under the domain key (the lab's stand-in for the HSM fleet's domain key). The snapshot reveals nothing about the
 * keys, not even how many there are beyond a size; opening it needs the same domain key.
 */
import { fromBase64, own, randomBytes, toBase64, utf8, type Bytes } from './bytes';
import type { KeySpec } from './specs';

export interface HsmSnapshot {
  format: 'kms-lab-hsm';
  version: 1;
  /** base64 of the 12-byte IV. */
  iv: string;
  /** base64 of the sealed JSON list of entries. */
  sealed: string;
}

export interface SnapshotEntry {
  id: string;
  /** `material` for KMS key material, `wrapping` for an import wrapping key pair. */
  role: 'material' | 'wrapping';
  keySpec: KeySpec;
  secret: Bytes;
}

const AAD = utf8('kms-lab hsm snapshot v1');

export async function sealSnapshot(
  domainKey: CryptoKey,
  entries: readonly SnapshotEntry[],
): Promise<HsmSnapshot> {
  const plain = utf8(JSON.stringify(entries.map((entry) => ({ ...entry, secret: toBase64(entry.secret) }))));
  const iv = randomBytes(12);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: AAD },
    domainKey,
    plain,
  );
  return { format: 'kms-lab-hsm', version: 1, iv: toBase64(iv), sealed: toBase64(new Uint8Array(sealed)) };
}

/** Opens a snapshot; throws an Error saying why (not a snapshot, other version, wrong domain key). */
export async function openSnapshot(domainKey: CryptoKey, snapshot: unknown): Promise<SnapshotEntry[]> {
  const candidate = snapshot as Partial<HsmSnapshot> | null;
  if (
    !candidate ||
    candidate.format !== 'kms-lab-hsm' ||
    typeof candidate.iv !== 'string' ||
    typeof candidate.sealed !== 'string'
  )
    throw new Error('not an HSM snapshot (expected {"format": "kms-lab-hsm", "version", "iv", "sealed"})');
  if (candidate.version !== 1)
    throw new Error(`HSM snapshot version ${String(candidate.version)} is not supported`);
  let plain: ArrayBuffer;
  try {
    plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(candidate.iv), additionalData: AAD },
      domainKey,
      fromBase64(candidate.sealed),
    );
  } catch {
    throw new Error('the HSM snapshot does not open with this domain key (another key, or altered bytes)');
  }
  const entries = JSON.parse(new TextDecoder().decode(plain)) as Array<
    Omit<SnapshotEntry, 'secret'> & { secret: string }
  >;
  return entries.map((entry) => ({ ...entry, secret: own(fromBase64(entry.secret)) }));
}
