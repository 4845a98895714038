/**
 * Just enough DER (X.690) for the HSM: ECDSA signatures as KMS returns them (SEQUENCE of two INTEGERs, RFC 3279
 * §2.2.3; API Sign), and the PKCS#8 / SubjectPublicKeyInfo wrappers of EC keys that WebCrypto cannot produce
 * (secp256k1) or that an import must be checked against. The reader is strict: definite, minimal lengths and no
 * trailing bytes, so a malformed signature or key is refused instead of half-read.
 */
import { concat, fromHex, toHex, type Bytes } from './bytes';
import type { EccCurve } from './specs';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OID = 0x06;
const CONTEXT_0 = 0xa0;
const CONTEXT_1 = 0xa1;

const OID_EC_PUBLIC_KEY = '2a8648ce3d0201'; // 1.2.840.10045.2.1
const OID_RSA_ENCRYPTION = '2a864886f70d010101'; // 1.2.840.113549.1.1.1
const CURVE_OIDS: Readonly<Record<EccCurve, string>> = {
  'P-256': '2a8648ce3d030107', // 1.2.840.10045.3.1.7
  'P-384': '2b81040022', // 1.3.132.0.34
  'P-521': '2b81040023', // 1.3.132.0.35
  secp256k1: '2b8104000a', // 1.3.132.0.10
};

export class DerError extends Error {}

function encodeLength(length: number): Bytes {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>>= 8) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export const tlv = (tag: number, ...content: readonly Uint8Array[]): Bytes => {
  const body = concat(...content);
  return concat(Uint8Array.of(tag), encodeLength(body.length), body);
};

/** A non-negative INTEGER from big-endian bytes: leading zeros dropped, one zero added when the top bit is set. */
export function unsignedInteger(bytes: Uint8Array): Bytes {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(INTEGER, trimmed[0] & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed);
}

interface Element {
  tag: number;
  content: Uint8Array;
}

function readElement(bytes: Uint8Array, offset: number): Element & { end: number } {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER element');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let cursor = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || cursor + count > bytes.length) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[cursor + i];
    if (length < 0x80 || bytes[cursor] === 0) throw new DerError('non-minimal DER length');
    cursor += count;
  }
  if (cursor + length > bytes.length) throw new DerError('DER element longer than its input');
  return { tag, content: bytes.subarray(cursor, cursor + length), end: cursor + length };
}

/** The one element `bytes` holds (with `tag`), refusing anything after it. */
function readOnly(bytes: Uint8Array, tag: number): Uint8Array {
  const element = readElement(bytes, 0);
  if (element.tag !== tag) throw new DerError(`expected DER tag 0x${tag.toString(16)}`);
  if (element.end !== bytes.length) throw new DerError('trailing bytes after DER element');
  return element.content;
}

function readChildren(content: Uint8Array): Element[] {
  const children: Element[] = [];
  for (let offset = 0; offset < content.length;) {
    const element = readElement(content, offset);
    children.push(element);
    offset = element.end;
  }
  return children;
}

/** A positive INTEGER's magnitude, refusing negative and non-minimal encodings. */
function readUnsigned(element: Element): Uint8Array {
  const { tag, content } = element;
  if (tag !== INTEGER || content.length === 0) throw new DerError('expected INTEGER');
  if (content[0] & 0x80) throw new DerError('negative INTEGER');
  if (content.length > 1 && content[0] === 0 && !(content[1] & 0x80))
    throw new DerError('non-minimal INTEGER');
  return content[0] === 0 ? content.subarray(1) : content;
}

const leftPad = (bytes: Uint8Array, size: number): Bytes => {
  if (bytes.length > size) throw new DerError('integer wider than the curve');
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
};

/** r ‖ s (each `size` bytes, as WebCrypto returns ECDSA signatures) → DER SEQUENCE { r, s }. */
export function ecdsaRawToDer(raw: Uint8Array): Bytes {
  const size = raw.length / 2;
  return tlv(SEQUENCE, unsignedInteger(raw.subarray(0, size)), unsignedInteger(raw.subarray(size)));
}

/** DER SEQUENCE { r, s } → r ‖ s, each left-padded to `size` bytes; throws DerError on anything malformed. */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Bytes {
  const children = readChildren(readOnly(der, SEQUENCE));
  if (children.length !== 2) throw new DerError('ECDSA signature must hold two INTEGERs');
  return concat(leftPad(readUnsigned(children[0]), size), leftPad(readUnsigned(children[1]), size));
}

/** An EC key as PKCS#8 PrivateKeyInfo holding an RFC 5915 ECPrivateKey (with its public point). */
export function ecPkcs8(curve: EccCurve, privateScalar: Uint8Array, publicPoint: Uint8Array): Bytes {
  const curveOid = tlv(OID, fromHex(CURVE_OIDS[curve]));
  const ecPrivateKey = tlv(
    SEQUENCE,
    tlv(INTEGER, Uint8Array.of(1)),
    tlv(OCTET_STRING, privateScalar),
    tlv(CONTEXT_0, curveOid),
    tlv(CONTEXT_1, tlv(BIT_STRING, Uint8Array.of(0), publicPoint)),
  );
  return tlv(
    SEQUENCE,
    tlv(INTEGER, Uint8Array.of(0)),
    tlv(SEQUENCE, tlv(OID, fromHex(OID_EC_PUBLIC_KEY)), curveOid),
    tlv(OCTET_STRING, ecPrivateKey),
  );
}

/** An RSA public key as SubjectPublicKeyInfo (RFC 8017 A.1.1 RSAPublicKey inside rsaEncryption). */
export function rsaSpki(modulus: Uint8Array, publicExponent: Uint8Array): Bytes {
  return tlv(
    SEQUENCE,
    tlv(SEQUENCE, tlv(OID, fromHex(OID_RSA_ENCRYPTION)), tlv(NULL)),
    tlv(
      BIT_STRING,
      Uint8Array.of(0),
      tlv(SEQUENCE, unsignedInteger(modulus), unsignedInteger(publicExponent)),
    ),
  );
}

/** An EC public key (uncompressed point) as SubjectPublicKeyInfo, the form GetPublicKey returns. */
export function ecSpki(curve: EccCurve, publicPoint: Uint8Array): Bytes {
  return tlv(
    SEQUENCE,
    tlv(SEQUENCE, tlv(OID, fromHex(OID_EC_PUBLIC_KEY)), tlv(OID, fromHex(CURVE_OIDS[curve]))),
    tlv(BIT_STRING, Uint8Array.of(0), publicPoint),
  );
}

export type Pkcs8Summary =
  | { kind: 'rsa' }
  | { kind: 'ec'; curve: EccCurve | undefined; privateScalar: Uint8Array; publicPoint?: Uint8Array };

/** What a PKCS#8 PrivateKeyInfo holds: an RSA key, or an EC key with its curve and scalar. */
export function readPkcs8(pkcs8: Uint8Array): Pkcs8Summary {
  const [version, algorithm, privateKey] = readChildren(readOnly(pkcs8, SEQUENCE));
  if (
    !version ||
    version.tag !== INTEGER ||
    !algorithm ||
    algorithm.tag !== SEQUENCE ||
    privateKey?.tag !== OCTET_STRING
  )
    throw new DerError('not a PKCS#8 PrivateKeyInfo');
  const [algorithmOid, parameters] = readChildren(algorithm.content);
  if (algorithmOid?.tag !== OID) throw new DerError('PKCS#8 algorithm has no OID');
  const oid = toHex(algorithmOid.content);
  if (oid === OID_RSA_ENCRYPTION) {
    if (parameters && parameters.tag !== NULL) throw new DerError('RSA key parameters must be NULL');
    return { kind: 'rsa' };
  }
  if (oid !== OID_EC_PUBLIC_KEY) throw new DerError('PKCS#8 key is neither RSA nor EC');
  if (parameters?.tag !== OID) throw new DerError('EC key without a named curve');
  const curve = curveOf(parameters.content);
  const [ecVersion, scalar, ...optional] = readChildren(readOnly(privateKey.content, SEQUENCE));
  if (ecVersion?.tag !== INTEGER || scalar?.tag !== OCTET_STRING) throw new DerError('not an ECPrivateKey');
  const publicField = optional.find((element) => element.tag === CONTEXT_1);
  const publicBits = publicField ? readOnly(publicField.content, BIT_STRING) : undefined;
  return {
    kind: 'ec',
    curve,
    privateScalar: scalar.content,
    publicPoint: publicBits && publicBits[0] === 0 ? publicBits.subarray(1) : undefined,
  };
}

function curveOf(oid: Uint8Array): EccCurve | undefined {
  const hex = toHex(oid);
  return (Object.keys(CURVE_OIDS) as EccCurve[]).find((curve) => CURVE_OIDS[curve] === hex);
}
