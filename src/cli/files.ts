/** Turns the CLI's file and folder arguments into a list of files to read. */
import { readdir, stat } from 'node:fs/promises';
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
