/**
 * The trail inputs of `lab replay`, as Node streams: files (gzipped or not, told by their first bytes, not their
 * names) and folders walked recursively in name order, as CloudTrail's S3 layout has them
 * (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz). A folder is read one directory at a time, so a
 * year of logs is never listed in memory at once.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import type { TrailInput } from '../replay/index';

/** Read and decompress in chunks of this size: larger chunks mean fewer records cut at a chunk's end. */
const CHUNK_BYTES = 256 * 1024;

/** File names a folder's walk reads: CloudTrail's `.json.gz`, plain `.json`, and JSON Lines. */
const TRAIL_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/;

/** Folders a walk skips: hidden ones, node_modules, and CloudTrail's digest files (hashes, not events). */
function skippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === 'CloudTrail-Digest';
}

export interface TrailWalk {
  inputs: AsyncIterable<TrailInput>;
  /** Arguments that named nothing readable (filled as the walk goes). */
  problems: { input: string; message: string }[];
  /** How many files were opened. */
  files(): number;
}

/** The files the arguments name, in order; `stop` ends the walk early (stdout closed). */
export function walkTrail(args: string[], cwd: string, stop: () => boolean): TrailWalk {
  const problems: TrailWalk['problems'] = [];
  let opened = 0;
  async function* files(): AsyncGenerator<string> {
    for (const arg of args) {
      const absolute = path.resolve(cwd, arg);
      const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => error);
      if (info instanceof Error) {
        problems.push({
          input: arg,
          message:
            info.code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${info.code ?? info.message}`,
        });
      } else if (info.isDirectory()) {
        let found = 0;
        for await (const file of walkFolder(absolute)) {
          found++;
          // Named as the user named the folder: under an absolute path, absolute (not a run of ../).
          yield path.isAbsolute(arg) ? file : path.relative(cwd, file) || file;
        }
        if (found === 0)
          problems.push({ input: arg, message: 'the folder holds no .json, .json.gz or .jsonl files' });
      } else {
        yield arg;
      }
    }
  }
  async function* inputs(): AsyncGenerator<TrailInput> {
    for await (const file of files()) {
      if (stop()) return;
      opened++;
      yield { name: file, chunks: fileChunks(path.resolve(cwd, file), stop) };
    }
  }
  return { inputs: inputs(), problems, files: () => opened };
}

async function* walkFolder(folder: string, seen = new Set<string>()): AsyncGenerator<string> {
  // A folder reached twice through symbolic links is read once (and a link loop ends).
  const real = await realpath(folder).catch(() => folder);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let isFolder = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      isFolder = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isFolder) {
      if (!skippedFolder(entry.name)) yield* walkFolder(full, seen);
    } else if (isFile && TRAIL_FILE.test(entry.name)) {
      yield full;
    }
  }
}

/** A file's bytes, gunzipped when it starts with the gzip magic bytes (1f 8b). */
async function* fileChunks(file: string, stop: () => boolean): AsyncGenerator<Uint8Array> {
  const handle = await open(file, 'r');
  let gzipped: boolean;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    gzipped = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream = gzipped ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (gzipped) raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (stop()) return;
      yield chunk;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (gzipped && typeof code === 'string' && code.startsWith('Z_'))
      throw new Error(`the gzip data is damaged (${(error as Error).message})`, { cause: error });
    throw error;
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
