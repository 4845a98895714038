/**
 * Simulated credentials per principal (lab-design §4, issue 9 "A local KMS endpoint"): the same principal ARN always
 * gets the same keys, so scripts and saved CLI profiles keep working across restarts. They are shaped like AWS's
 * (IAM User Guide "Manage access keys for IAM users" and "Temporary security credentials"): a 20-character access
 * key id that starts with AKIA for long-term keys (IAM users, account roots) and ASIA for temporary ones (role
 * sessions such as `arn:aws:sts::<acct>:assumed-role/<Role>/lab`, which also get a session token), and a
 * 40-character secret access key. They only sign requests to the lab; anyone who knows the ARN can work them out.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { KmsCredentials } from './api';
import { toBase64, utf8 } from './bytes';

const LAB_SECRET = utf8('kms-policy-lab credentials v1');
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const derive = (purpose: string, principalArn: string, round = 0) =>
  hmac(sha256, LAB_SECRET, utf8(`${purpose}\n${round}\n${principalArn}`));

/** Role sessions (and any other STS principal) sign with temporary credentials. */
export const isTemporaryPrincipal = (principalArn: string): boolean => /^arn:[^:]+:sts::/.test(principalArn);

export function credentialsFor(principalArn: string): KmsCredentials {
  const idBytes = derive('access-key-id', principalArn);
  let idBody = '';
  for (let i = 0; i < 16; i++) idBody += BASE32[idBytes[i] & 31];
  const temporary = isTemporaryPrincipal(principalArn);
  const secretAccessKey = toBase64(derive('secret-access-key', principalArn)).slice(0, 40);
  const credentials: KmsCredentials = {
    principalArn,
    accessKeyId: `${temporary ? 'ASIA' : 'AKIA'}${idBody}`,
    secretAccessKey,
  };
  if (temporary) {
    // STS session tokens are long base64 strings; this one starts as today's do.
    const body = [0, 1, 2, 3, 4, 5].map((round) => toBase64(derive('session-token', principalArn, round)));
    credentials.sessionToken = `IQoJb3JpZ2luX2Vj${body.join('').replace(/=/g, '')}`;
  }
  return credentials;
}
