/** Synchronous hashes by name (@noble/hashes), for the paths WebCrypto cannot take: MGF1, PSS, HMAC-SHA-224. */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { Bytes } from './bytes';
import type { HashName } from './specs';

const HASHES = { 'SHA-1': sha1, 'SHA-224': sha224, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 };

export const hashFunction = (name: HashName) => HASHES[name];

export const hash = (name: HashName, data: Uint8Array): Bytes => HASHES[name](data) as Bytes;
