/** Whether `<root>/<outdir>` holds a build of the current sources (bin/dist-state.js). */
export function distState(root: string, outdir?: string): { current: true } | { current: false; why: string };
