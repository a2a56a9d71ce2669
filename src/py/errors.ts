import { pyRepr } from './repr.ts';
import { typeName, type PyValue } from './value.ts';

/**
 * A Python exception raised inside an emulated tool. τ-bench turns any exception into the
 * observation `"Error: " + str(e)`, so only the message matters; the type is kept for tests.
 */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
  ) {
    super(`${pyType}: ${pyMessage}`);
    this.name = 'PyError';
  }
}

export const typeError = (msg: string): PyError => new PyError('TypeError', msg);
export const attributeError = (v: PyValue | undefined, attr: string): PyError =>
  new PyError('AttributeError', `'${typeName(v)}' object has no attribute '${attr}'`);
/** `str(KeyError(k))` is `repr(k)`. */
export const keyError = (key: PyValue | undefined): PyError => new PyError('KeyError', pyRepr(key));
export const indexError = (msg: string): PyError => new PyError('IndexError', msg);
export const valueError = (msg: string): PyError => new PyError('ValueError', msg);
export const notIterable = (v: PyValue | undefined): PyError => typeError(`'${typeName(v)}' object is not iterable`);
