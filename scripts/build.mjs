// Builds dist/ from the TypeScript sources (esbuild): the CLI as ES modules, its commands split
// into chunks loaded on first use, so `tarl` starts without transpiling anything. Run by npm on
// install (`prepare`); bin/tarl.js falls back to the sources when dist/ is missing or stale.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  entryPoints: { tarl: `${root}src/cli/main.ts` },
  outdir: `${root}dist`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Written last: bin/tarl.js compares it with the sources' modification times.
writeFileSync(`${root}dist/.built`, new Date().toISOString() + '\n');
