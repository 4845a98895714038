/**
 * AES-256-GCM step by step on the first bytes of the learner's text (src/envelope/gcm-steps.ts, @noble/ciphers):
 * a demonstration key and IV, since the message's real content key stays inside WebCrypto (not extractable).
 */
import { useMemo } from 'react';
import { randomBytes, toHex } from '../../envelope/bytes';
import { gcmSteps } from '../../envelope/gcm-steps';

const MAX = 48;

export function GcmStepView({ plaintext, aad }: { plaintext: Uint8Array; aad: Uint8Array }) {
  const steps = useMemo(() => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    return { key, iv, ...gcmSteps(key, iv, aad.subarray(0, 32), plaintext.subarray(0, MAX)) };
  }, [plaintext, aad]);
  return (
    <div className="gcm-steps" data-testid="gcm-steps">
      <p className="envelope-hint">
        The first {Math.min(MAX, plaintext.length)} bytes of your text under a demonstration key K and IV (the
        message&rsquo;s own content key never leaves WebCrypto). Each 16-byte block is XORed with a keystream
        block, the AES encryption of a counter block; GHASH then runs over the AAD and the ciphertext, and the
        tag is GHASH XOR E(K, J0).
      </p>
      <dl className="envelope-facts envelope-mono">
        <dt>K</dt>
        <dd>{toHex(steps.key)}</dd>
        <dt>IV</dt>
        <dd>{toHex(steps.iv)}</dd>
        <dt>H = E(K, 0)</dt>
        <dd>{toHex(steps.hashKey)}</dd>
        <dt>J0 = IV ‖ 00000001</dt>
        <dd>{toHex(steps.preCounterBlock)}</dd>
      </dl>
      <div className="envelope-scroll">
        <table className="envelope-table envelope-mono">
          <caption>Counter mode</caption>
          <thead>
            <tr>
              <th scope="col">Block</th>
              <th scope="col">Counter block</th>
              <th scope="col">Keystream E(K, counter)</th>
              <th scope="col">Plaintext</th>
              <th scope="col">Ciphertext = plaintext XOR keystream</th>
            </tr>
          </thead>
          <tbody>
            {steps.blocks.map((b) => (
              <tr key={b.index}>
                <td>{b.index}</td>
                <td>{toHex(b.counterBlock)}</td>
                <td>{toHex(b.keystream)}</td>
                <td>{toHex(b.plaintext)}</td>
                <td>{toHex(b.ciphertext)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="envelope-scroll">
        <table className="envelope-table envelope-mono">
          <caption>GHASH input (each zero-padded to 16 bytes)</caption>
          <tbody>
            {steps.ghashInput.map((g) => (
              <tr key={g.label}>
                <th scope="row">{g.label}</th>
                <td>{toHex(g.block)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="envelope-facts envelope-mono">
        <dt>S = GHASH_H(input)</dt>
        <dd>{toHex(steps.ghash)}</dd>
        <dt>E(K, J0)</dt>
        <dd>{toHex(steps.tagMask)}</dd>
        <dt>Tag = S XOR E(K, J0)</dt>
        <dd data-testid="gcm-tag">{toHex(steps.tag)}</dd>
      </dl>
    </div>
  );
}
