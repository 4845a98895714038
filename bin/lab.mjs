#!/usr/bin/env node
// The `lab` CLI (package.json "bin"): runs src/cli/main.ts through tsx, from wherever it is called.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
