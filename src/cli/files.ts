/** Turns the CLI's file and folder arguments into a list of files to read. */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ExpandedInputs {
  files: string[];
  /** Arguments that could not be used: missing paths, empty folders. */
  problems: { input: string; message: string }[];
}

/**
 * Every argument that is a file is kept as given; a folder stands for every `*.json` inside it, recursively,
 * sorted, except `index.json` files (template catalogues, not scenarios) and hidden or node_modules folders.
 */
export async function expandInputs(inputs: string[], cwd: string): Promise<ExpandedInputs> {
  const files: string[] = [];
  const problems: ExpandedInputs['problems'] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      problems.push({ input, message: 'no such file or folder' });
    } else if (info.isDirectory()) {
      const found = await jsonFilesUnder(absolute);
      if (found.length === 0) problems.push({ input, message: 'the folder holds no .json files' });
      files.push(...found.map((file) => path.relative(cwd, file) || file));
    } else {
      files.push(input);
    }
  }
  return { files, problems };
}

async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules')
        found.push(...(await jsonFilesUnder(full)));
    } else if (entry.name.endsWith('.json') && entry.name !== 'index.json') {
      found.push(full);
    }
  }
  return found;
}

// ---- Reading a file as text ----

/** Larger files are refused before reading (the loader reads scenarios of up to 32 Mi characters). */
export const MAX_FILE_BYTES = 128 * 1024 * 1024;

export type DecodedText =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  | { ok: false; message: string; line: number; column: number };

/** Line and column (1-based; columns count UTF-16 units, as the loader's do) just after `prefix`. */
function endOf(prefix: string): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = prefix.indexOf('\n'); i >= 0; i = prefix.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: prefix.length - lineStart + 1 };
}

/**
 * The offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates, code points
 * past U+10FFFF and cut sequences are all ill-formed, as for TextDecoder's fatal mode), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  for (let i = from; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0; // overlong
      if (b === 0xed) high = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90; // overlong
      if (b === 0xf4) high = 0x8f; // past U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): DecodedText {
  const encoding = littleEndian ? 'utf-16le' : 'utf-16be';
  const units = Math.floor((bytes.length - 2) / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset + 2, units * 2);
  const codes = new Uint16Array(units);
  for (let i = 0; i < units; i++) codes[i] = view.getUint16(i * 2, littleEndian);
  const text = (to: number) => {
    let out = '';
    for (let i = 0; i < to; i += 8192)
      out += String.fromCharCode(...codes.subarray(i, Math.min(to, i + 8192)));
    return out;
  };
  for (let i = 0; i < units; i++) {
    const unit = codes[i];
    const lead = unit >= 0xd800 && unit <= 0xdbff;
    const trail = unit >= 0xdc00 && unit <= 0xdfff;
    const paired = lead && i + 1 < units && codes[i + 1] >= 0xdc00 && codes[i + 1] <= 0xdfff;
    if (trail || (lead && !paired)) {
      return {
        ok: false,
        ...endOf(text(i)),
        message: `invalid ${encoding.toUpperCase()}: an unpaired surrogate (offset ${2 + i * 2} in the file)`,
      };
    }
    if (paired) i++;
  }
  if ((bytes.length - 2) % 2 !== 0)
    return {
      ok: false,
      ...endOf(text(units)),
      message: `invalid ${encoding.toUpperCase()}: the file ends in the middle of a character (an odd number of bytes)`,
    };
  return { ok: true, text: text(units), encoding };
}

/**
 * Decodes a file's bytes: UTF-8, with or without a byte order mark, or UTF-16 (LE or BE) with one. Bytes that
 * are not well-formed are an error naming the line and column where they are, never replaced silently.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, false);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const bad = firstInvalidUtf8(bytes, start);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  if (bad >= 0) {
    const before = decoder.decode(bytes.subarray(start, bad));
    const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      ...endOf(before),
      message: `invalid UTF-8: the byte 0x${byte} (offset ${bad} in the file) is not part of a UTF-8 character; save the file as UTF-8`,
    };
  }
  const text = decoder.decode(bytes.subarray(start));
  // ASCII JSON saved as UTF-16 without a byte order mark reads as NULs between the characters.
  const nul = text.indexOf('\u0000');
  if (nul >= 0 && nul < 4)
    return {
      ok: false,
      ...endOf(text.slice(0, nul)),
      message:
        'the file looks like UTF-16 without a byte order mark; save it as UTF-8, or as UTF-16 with a byte order mark',
    };
  return { ok: true, text, encoding: 'utf-8' };
}

/** A failure has a line and column when it is about the bytes (not for a missing or oversized file). */
export type ReadText =
  { ok: true; text: string } | { ok: false; message: string; line?: number; column?: number };

/** Reads a file as text (decodeText), refusing unreadable and oversized files with a message. */
export async function readTextFile(file: string, cwd: string): Promise<ReadText> {
  const absolute = path.resolve(cwd, file);
  try {
    const info = await stat(absolute);
    if (info.isFile() && info.size > MAX_FILE_BYTES)
      return {
        ok: false,
        message: `the file has ${info.size.toLocaleString('en-US')} bytes; the lab reads files of up to ${MAX_FILE_BYTES.toLocaleString('en-US')} (128 MiB)`,
      };
    const decoded = decodeText(await readFile(absolute));
    return decoded.ok ? { ok: true, text: decoded.text } : decoded;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, message: `cannot read the file: ${code}` };
  }
}
