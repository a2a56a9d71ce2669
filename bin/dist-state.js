// Whether dist/ holds a build of the current sources. The build (scripts/build.mjs) writes
// dist/.built: when it started and every source file the bundle was made from (esbuild's
// metafile). The build is current while each of those files, and each folder holding one, is
// older than the build: an edit changes a file's time, an added, removed or renamed file its
// folder's. One stat per file, no directory walk: this runs before every `tarl` command.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {{ current: true } | { current: false, why: string }} */
export function distState(root, outdir = 'dist') {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, outdir, '.built'), 'utf8'));
  } catch {
    return { current: false, why: `${outdir}/ has no build (run npm run build)` };
  }
  if (typeof stamp?.started !== 'number' || !Array.isArray(stamp.inputs)) return { current: false, why: `${outdir}/.built is not a build stamp (run npm run build)` };
  const folders = new Set();
  for (const input of stamp.inputs) {
    const s = statSync(join(root, input), { throwIfNoEntry: false });
    if (s === undefined) return { current: false, why: `${input} was removed after the build` };
    if (s.mtimeMs >= stamp.started) return { current: false, why: `${input} changed after the build` };
    folders.add(input.slice(0, input.lastIndexOf('/')));
  }
  for (const folder of folders) {
    const s = statSync(join(root, folder), { throwIfNoEntry: false });
    if (s === undefined || s.mtimeMs >= stamp.started) return { current: false, why: `a file was added to, removed from or renamed in ${folder}/ after the build` };
  }
  return { current: true };
}
