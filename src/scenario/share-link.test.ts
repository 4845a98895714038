import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink } from './share-link';
import type { Scenario } from './types';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const scenario: Scenario = {
  version: 2,
  title: 'Share me',
  keys: {
    [KEY]: {
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    },
  },
  requests: [
    {
      id: 'r1',
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 'kms:Decrypt',
      keyId: KEY,
      encryptionContext: { ü: 'ñ + 🔑' },
    },
  ],
};

describe('share links', () => {
  it('round-trips a scenario through the hash', () => {
    const hash = encodeShareLink(scenario);
    expect(hash).toMatch(/^#scenario=[A-Za-z0-9+\-$]+$/);
    const decoded = decodeShareLink(hash);
    expect(decoded.ok && decoded.scenario).toEqual(scenario);
  });

  it('keeps the text as written when given text, and finds the payload in a whole URL', () => {
    const text = JSON.stringify(scenario, null, 4);
    const decoded = decodeShareLink(`https://lab.example/app/?x=1${encodeShareLink(text)}&request=r1`);
    expect(decoded.ok && decoded.text).toBe(text);
    expect(decodeShareLink(encodeShareLink(text).slice(1)).ok).toBe(true);
  });

  describe('the selected request', () => {
    const twoRequests: Scenario = {
      ...scenario,
      requests: [...scenario.requests!, { ...scenario.requests![0], id: 'second one/ü' }],
    };

    it('carries the selected request as &request=<id> and selects it when opened', () => {
      const hash = encodeShareLink(twoRequests, 'second one/ü');
      expect(hash).toMatch(/&request=second%20one%2F%C3%BC$/);
      expect(decodeShareLink(hash)).toMatchObject({ ok: true, selectedRequestId: 'second one/ü', notes: [] });
    });

    it('opens the first request for an old link without the parameter', () => {
      const hash = encodeShareLink(twoRequests);
      expect(hash).not.toContain('&request=');
      expect(decodeShareLink(hash)).toMatchObject({ ok: true, selectedRequestId: 'r1', notes: [] });
    });

    it('opens the first request, with a note, when the link names a request the scenario lacks', () => {
      const decoded = decodeShareLink(encodeShareLink(twoRequests, 'gone'));
      expect(decoded).toMatchObject({ ok: true, selectedRequestId: 'r1' });
      expect(decoded.ok && decoded.notes.join(' ')).toMatch(/asks for the request “gone”.*first request/);
    });

    it('selects nothing in a scenario without requests', () => {
      const decoded = decodeShareLink(encodeShareLink({ ...scenario, requests: [] }, 'r1'));
      expect(decoded).toMatchObject({ ok: true, selectedRequestId: null });
    });
  });

  it('says when the address is not a share link', () => {
    const decoded = decodeShareLink('#lesson=intro');
    expect(decoded).toMatchObject({ ok: false, reason: 'not-a-share-link' });
    expect(!decoded.ok && decoded.message).toMatch(/no "#scenario=" part/);
    expect(decodeShareLink('#scenario=')).toMatchObject({
      ok: false,
      reason: 'corrupt',
      message: expect.stringMatching(/cut off/),
    });
  });

  it('reports a payload that does not decompress or decompresses into something that is not JSON', () => {
    expect(decodeShareLink('#scenario=!!!!')).toMatchObject({ ok: false, reason: 'corrupt' });
    const notJson = `#scenario=${LZString.compressToEncodedURIComponent('hello, not json')}`;
    expect(decodeShareLink(notJson)).toMatchObject({ ok: false, reason: 'not-json' });
  });

  it('reports a truncated or tampered link without throwing', () => {
    const hash = encodeShareLink(scenario);
    const truncated = decodeShareLink(hash.slice(0, Math.floor(hash.length / 2)));
    expect(truncated.ok).toBe(false);
    expect(['corrupt', 'not-json']).toContain(!truncated.ok && truncated.reason);
  });

  it('lists the located errors of an invalid scenario', () => {
    const broken = { ...scenario, keys: { [KEY]: { state: 'Off' } } };
    const decoded = decodeShareLink(encodeShareLink(broken as unknown as Scenario));
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid-scenario' });
    if (decoded.ok) return;
    expect(decoded.errors?.[0].path).toEqual(['keys', KEY, 'state']);
    expect(decoded.message).toMatch(
      /^The share link holds a scenario this lab cannot open:\nshare link:1:\d+ {2}\$\.keys\[.*\]\.state: must be one of Enabled/,
    );
  });

  it('never throws, whatever the hash', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ unit: fc.constantFrom(...'ABCxyz019+-$'.split('')) }),
        (junk, payload) => {
          const results = [decodeShareLink(junk), decodeShareLink(`#scenario=${payload}`)];
          return results.every((r) => r.ok || r.message.length > 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
