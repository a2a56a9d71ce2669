#!/usr/bin/env node
// The `tarl` command. Runs the build in dist/ (made at install time by `npm run build`, which
// `prepare` runs) when it is current (bin/dist-state.js); otherwise — a checkout being edited,
// or TARL_FROM_SOURCES=1 as the tests set — the TypeScript sources through tsx's loader.
import { fileURLToPath } from 'node:url';
import { distState } from './dist-state.js';

const root = fileURLToPath(new URL('../', import.meta.url));
if (process.env.TARL_FROM_SOURCES !== '1' && distState(root).current) {
  await import('../dist/tarl.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
