import { describe, expect, it } from 'vitest';
import { displayJson } from './display-json';

describe('displayJson', () => {
  it('shows blobs as base64 and hex, dates as ISO, nested members too', () => {
    const text = displayJson({
      CiphertextBlob: new Uint8Array([0xde, 0xad]),
      Rotations: [{ RotationDate: new Date(Date.UTC(2026, 0, 2)) }],
      KeyId: 'k',
    });
    expect(JSON.parse(text)).toEqual({
      CiphertextBlob: { base64: '3q0=', hex: 'dead' },
      Rotations: [{ RotationDate: '2026-01-02T00:00:00.000Z' }],
      KeyId: 'k',
    });
  });
  it('cuts the hex of a long blob and says how long it was', () => {
    const hex = (JSON.parse(displayJson({ B: new Uint8Array(200) })) as { B: { hex: string } }).B.hex;
    expect(hex).toMatch(/^(00){96}… \(200 bytes\)$/);
  });
});
