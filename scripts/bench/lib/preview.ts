/**
 * The preview build the browser benches measure: built when dist/ is missing or older than src/ (LAB_BENCH_DIST=<dir>
 * measures another build), served by `vite preview` on a free 127.0.0.1 port, stopped by its process group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { findChromium } from '../../find-chromium.mjs';

const DIST = resolve(process.env.LAB_BENCH_DIST ?? 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function buildIfNeeded(): void {
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newestMtime('src'), newestMtime('scenarios')))
    return;
  console.log(`building into ${DIST} …`);
  const { status } = spawnSync('npx', ['vite', 'build', '--outDir', DIST, '--emptyOutDir'], {
    stdio: 'inherit',
  });
  if (status !== 0) throw new Error('vite build failed');
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startPreview(port: number): Promise<ChildProcess> {
  const child = spawn(
    'npx',
    ['vite', 'preview', '--outDir', DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopPreview(child);
  throw new Error('vite preview did not start');
}

export function stopPreview(child: ChildProcess): void {
  if (child.pid) {
    try {
      process.kill(-child.pid);
    } catch {
      // already gone
    }
  }
}

/** What every browser bench starts with: the build, the Chromium to drive, and `vite preview` on a free port. */
export async function servePreview(): Promise<{
  executablePath: string;
  port: number;
  server: ChildProcess;
}> {
  buildIfNeeded();
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found (see scripts/find-chromium.mjs)');
  const port = await freePort();
  return { executablePath, port, server: await startPreview(port) };
}
