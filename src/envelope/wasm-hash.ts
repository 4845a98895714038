/**
 * The signature's streaming hash in WebAssembly (hash-wasm, MIT): about five times the JavaScript SHA-384 of
 * @noble/hashes, whose 64-bit arithmetic bounds a signed suite's streaming throughput (docs/envelope.md, "Figures").
 * WebCrypto's native digest cannot hash incrementally, so a stream that must not be held whole needs one of these.
 * The WebAssembly instances are made ahead (asynchronously); the factory then hands them out synchronously, one
 * message at a time, and falls back to @noble/hashes for a second message hashed at the same time.
 */
import { createSHA256, createSHA384, type IHasher } from 'hash-wasm';
import { nobleHashFactory, type HashFactory } from './signature';

export async function createWasmHashFactory(): Promise<HashFactory> {
  const hashers: Record<'SHA-256' | 'SHA-384', { hasher: IHasher; busy: boolean }> = {
    'SHA-256': { hasher: await createSHA256(), busy: false },
    'SHA-384': { hasher: await createSHA384(), busy: false },
  };
  return (name) => {
    const slot = hashers[name];
    if (slot.busy) return nobleHashFactory(name);
    slot.busy = true;
    slot.hasher.init();
    return {
      update: (bytes) => void slot.hasher.update(bytes),
      digest: () => {
        const out = slot.hasher.digest('binary');
        slot.busy = false;
        return out;
      },
    };
  };
}
