import { describe, expect, it } from 'vitest';
import { createRawAesKeyring, encrypt } from './index';
import { messageRegions, MAX_PART_REGIONS } from './byte-map';
import { inspectMessage } from './inspect';

const keyring = createRawAesKeyring({
  keyNamespace: 'ns',
  keyName: 'k',
  wrappingKey: new Uint8Array(32).fill(7),
});

async function regionsOf(size: number, options: Parameters<typeof encrypt>[1]) {
  const { message } = await encrypt(new Uint8Array(size), options);
  return { message, regions: messageRegions(inspectMessage(message)) };
}

describe('byte map', () => {
  it('covers a signed message end to end, without gaps or overlaps, in byte order', async () => {
    const { message, regions } = await regionsOf(10_000, {
      keyring,
      encryptionContext: { a: 'b' },
      frameLength: 4096,
    });
    let at = 0;
    for (const region of regions) {
      expect(region.offset, region.label).toBe(at);
      at += region.length;
    }
    expect(at).toBe(message.length);
    expect(regions.map((r) => r.id)).toEqual([
      'version',
      'suiteId',
      'messageId',
      'aadLength',
      'encryptionContext',
      'edkCount',
      'edk-1',
      'contentType',
      'frameLength',
      'suiteData',
      'headerAuthTag',
      'part-1',
      'part-2',
      'part-3',
      'footer',
    ]);
    expect(regions.find((r) => r.id === 'edk-1')!.meaning).toMatch(/raw AES key k/);
    expect(regions.find((r) => r.id === 'part-3')!.label).toBe('Final frame 3');
  });

  it('sums frames past the limit into one region, and an unsigned suite has no footer', async () => {
    const { message, regions } = await regionsOf(40 * 64, { keyring, frameLength: 64, suiteId: 0x0478 });
    expect(regions.filter((r) => r.kind === 'body')).toHaveLength(MAX_PART_REGIONS + 1);
    const rest = regions.at(-1)!;
    expect(rest.id).toBe('parts-rest');
    expect(rest.offset + rest.length).toBe(message.length);
    expect(rest.label).toBe(`Frames ${MAX_PART_REGIONS + 1}\u201340`);
  });
});
