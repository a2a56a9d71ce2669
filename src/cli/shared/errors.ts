/**
 * The one line `tarl` prints for an error. Commands name files themselves; this is the net for
 * a system error that escaped (Node's "ENOENT: no such file or directory, open 'x'"): it says
 * which file and what went wrong, in words.
 */
const SYSTEM: Record<string, string> = {
  ENOENT: 'does not exist',
  EEXIST: 'already exists',
  EISDIR: 'is a folder where a file was expected',
  ENOTDIR: 'is not a folder (a file stands where a folder was expected)',
  EACCES: 'cannot be accessed (permission denied)',
  EPERM: 'cannot be changed (operation not permitted)',
  ENOTEMPTY: 'is a folder that is not empty',
  ENOSPC: 'cannot be written: the disk is full',
};

export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const err = e as NodeJS.ErrnoException;
  const what = err.code === undefined ? undefined : SYSTEM[err.code];
  if (what && err.path !== undefined) return `${err.path} ${what} (${err.syscall ?? 'system call'} failed: ${err.code})`;
  return e.message;
}
