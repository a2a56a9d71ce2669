// Builds dist/ from the TypeScript sources (esbuild): the CLI as ES modules, its commands split
// into chunks loaded on first use, so `tarl` starts without transpiling anything. Run by npm on
// install (`prepare`); bin/tarl.js falls back to the sources when dist/ is missing or stale.
// `node scripts/build.mjs [OUTDIR]` builds into another folder of the repository (tests do).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? 'dist';
// Packages stay in node_modules, except zod: it is bundled because Node's module loader spends
// ~80 ms on its ~100 files and ~65 ms on one chunk of them, and every command that checks its
// flags or config with zod loads it before its first output (npm run bench:startup).
const BUNDLED = ['zod'];
const { dependencies, devDependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const external = Object.keys({ ...dependencies, ...devDependencies }).filter((p) => !BUNDLED.includes(p));
// Taken before esbuild reads a source: a file saved during the build counts as newer than it.
const started = Date.now();
rmSync(`${root}${outdir}`, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { tarl: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// Written last: bin/dist-state.js compares every input's modification time with `started`.
writeFileSync(`${root}${outdir}/.built`, JSON.stringify({ started, inputs: Object.keys(metafile.inputs).sort() }) + '\n');
