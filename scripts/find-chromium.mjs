// Finds a Chromium for Playwright: $CHROMIUM_PATH, else /usr/bin/chromium (Debian's `chromium` package),
// else `chromium-browser` or `chromium` on the PATH, else Playwright's own download (`npx playwright install
// chromium`). Run as a script it prints the path, or what to install and exits 1.
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Launch flags for headless Chromium on this kind of machine: root needs --no-sandbox, there is no GPU, and
 * without the networking flags Chromium stalls on background connections that the closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const INSTALL_HELP = [
  'No Chromium found for the end-to-end tests. Install one of:',
  '  apt-get update && apt-get install -y chromium      (Debian/Ubuntu; needs root)',
  '  npx playwright install chromium                     (Playwright’s own build)',
  'or point CHROMIUM_PATH at an existing Chromium or Chrome executable:',
  '  CHROMIUM_PATH=/path/to/chromium npm test',
].join('\n');

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

function playwrightsOwnChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('@playwright/test');
    const path = chromium.executablePath();
    return path && isExecutable(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Chromium executable to use, or undefined when there is none. A CHROMIUM_PATH that does not point at an
 * executable is an error, not a fallback: the user asked for that one.
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (isExecutable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.\n\n${INSTALL_HELP}`);
  }
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  return onPath('chromium-browser') ?? onPath('chromium') ?? playwrightsOwnChromium();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const path = findChromium();
    if (!path) {
      console.error(INSTALL_HELP);
      process.exit(1);
    }
    console.log(path);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
