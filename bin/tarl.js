#!/usr/bin/env node
// The `tarl` command. Runs the build in dist/ (made at install time by `npm run build`, which
// `prepare` runs) when it is newer than every source file; otherwise — a checkout being edited,
// or TARL_FROM_SOURCES=1 as the tests set — the TypeScript sources through tsx's loader.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const stamp = new URL('dist/.built', root);

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) newest = Math.max(newest, statSync(`${e.parentPath}/${e.name}`).mtimeMs);
  }
  return newest;
}

const fresh = process.env.TARL_FROM_SOURCES !== '1' && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(new URL('src/', root).pathname);
if (fresh) {
  await import(new URL('dist/tarl.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
