/**
 * Pydantic v2 models as τ²-bench uses them, on our Python values: lax-mode validation with
 * pydantic-core 2.46's coercions and `ValidationError` texts, and model instances.
 *
 * A model instance is a `PyDict` whose keys are the model's fields in declaration order (what
 * `model_dump()` gives), registered as an instance of its `ModelSpec`. Attribute assignment is
 * not validated (pydantic's default), so a field may hold any value afterwards; `attr` raises
 * Python's AttributeError on values that are not model instances, as `x.field` does.
 *
 * Dates are held as their `str()` text (`2025-01-31`, datetimes `2025-01-31 14:30:00`): that is
 * what τ²'s serialisation (`json.dumps(…, default=str)`) and hash see.
 */
import { PyError } from './errors.ts';
import { floatRepr } from './float.ts';
import { strRepr } from './repr.ts';
import { PyFloat, pyInt, typeName, type PyDict, type PyValue } from './value.ts';

/** The pydantic version whose error URLs the texts carry (τ²-bench's golden vectors used 2.13). */
export const PYDANTIC_DOCS_VERSION = '2.13';

export type FieldType =
  | { t: 'str' }
  | { t: 'int' }
  | { t: 'float' }
  | { t: 'bool' }
  | { t: 'any' }
  | { t: 'date' }
  | { t: 'datetime' }
  | { t: 'literal'; values: readonly string[] }
  /** A `str` Enum: `values` in declaration order, `members` their Python names (for repr). */
  | { t: 'enum'; name: string; values: readonly string[]; members: readonly string[] }
  | { t: 'optional'; of: FieldType }
  | { t: 'list'; of: FieldType }
  | { t: 'dict'; key: FieldType; value: FieldType }
  | { t: 'model'; model: () => ModelSpec }
  /** A smart-mode union of models. */
  | { t: 'union'; of: readonly (() => ModelSpec)[] };

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** A fresh default value (as `model_dump()` shows it); absent: the field is required. */
  default?: () => PyValue;
  /** `validate_default=True`: the default goes through validation (enum defaults become members). */
  validateDefault?: boolean;
}

export interface ModelSpec {
  name: string;
  fields: readonly FieldSpec[];
  /** `extra="forbid"` (τ²'s `BaseModelNoExtra`) or pydantic's default `ignore`. */
  extra: 'ignore' | 'forbid';
}

export const T = {
  str: { t: 'str' },
  int: { t: 'int' },
  float: { t: 'float' },
  bool: { t: 'bool' },
  any: { t: 'any' },
  date: { t: 'date' },
  datetime: { t: 'datetime' },
  literal: (...values: string[]): FieldType => ({ t: 'literal', values }),
  enum: (name: string, members: Readonly<Record<string, string>>): FieldType => ({
    t: 'enum',
    name,
    members: Object.keys(members),
    values: Object.values(members),
  }),
  optional: (of: FieldType): FieldType => ({ t: 'optional', of }),
  list: (of: FieldType): FieldType => ({ t: 'list', of }),
  dict: (value: FieldType, key: FieldType = { t: 'str' }): FieldType => ({ t: 'dict', key, value }),
  model: (model: () => ModelSpec): FieldType => ({ t: 'model', model }),
  union: (...of: (() => ModelSpec)[]): FieldType => ({ t: 'union', of }),
} as const satisfies Record<string, FieldType | ((...a: never[]) => FieldType)>;

export function field(name: string, type: FieldType, opts: { default?: () => PyValue; validateDefault?: boolean } = {}): FieldSpec {
  return { name, type, ...opts };
}

// ---------------------------------------------------------------------------------------------
// Instances

const instances = new WeakMap<PyDict, ModelSpec>();

/** Registers `d` as an instance of `spec` (its keys must be the fields, in order). */
export function markModel<V extends PyDict>(d: V, spec: ModelSpec): V {
  instances.set(d, spec);
  return d;
}

export function modelOf(v: PyValue | undefined): ModelSpec | undefined {
  return v instanceof Map ? instances.get(v) : undefined;
}

export function isInstance(v: PyValue | undefined, spec: ModelSpec): v is PyDict {
  return modelOf(v) === spec;
}

/** `copy.deepcopy` that keeps model instances instances (and shared sub-objects shared once). */
export function deepCopyPy<V extends PyValue>(v: V, memo: Map<object, PyValue> = new Map()): V {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen as V;
  if (Array.isArray(v)) {
    const out: PyValue[] = [];
    memo.set(v, out);
    for (const x of v) out.push(deepCopyPy(x, memo));
    return out as V;
  }
  const out: PyDict = new Map();
  memo.set(v, out);
  for (const [k, x] of v as PyDict) out.set(k, deepCopyPy(x, memo));
  const spec = instances.get(v as PyDict);
  if (spec) instances.set(out, spec);
  return out as V;
}

/** `obj.name` on a model instance; AttributeError otherwise (a plain dict has no attributes). */
export function attr(obj: PyValue | undefined, name: string): PyValue {
  const spec = modelOf(obj);
  if (spec && (obj as PyDict).has(name)) return (obj as PyDict).get(name)!;
  if (spec) throw new PyError('AttributeError', `'${spec.name}' object has no attribute '${name}'`);
  throw new PyError('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

/** Looks up a BaseModel method (`obj.model_copy`, …): AttributeError when `obj` is not a model instance. */
export function modelMethod(obj: PyValue | undefined, method: string): void {
  if (!modelOf(obj)) throw new PyError('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${method}'`);
}

/** `obj.name = value` (not validated, as pydantic's default). */
export function setAttr(obj: PyValue | undefined, name: string, value: PyValue): void {
  const spec = modelOf(obj);
  if (spec && (obj as PyDict).has(name)) {
    (obj as PyDict).set(name, value);
    return;
  }
  if (spec) {
    // BaseModel.__setattr__ on an unknown name.
    throw new PyError('ValueError', `"${spec.name}" object has no field "${name}"`);
  }
  throw new PyError('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

/** Python's type name, model instances by their class. */
export function pyTypeName(v: PyValue | undefined): string {
  return modelOf(v)?.name ?? typeName(v);
}

// ---------------------------------------------------------------------------------------------
// repr (pydantic's own `input_value`, and `str()` of containers holding instances)

/** `repr(v)`, with model instances as `Name(field=…, …)`. */
export function reprPy(v: PyValue | undefined, fieldType?: FieldType): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') {
    const e = enumOf(fieldType);
    if (e) {
      const i = e.values.indexOf(v);
      if (i >= 0) return `<${e.name}.${e.members[i]}: ${strRepr(v)}>`;
    }
    return strRepr(v);
  }
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map((x) => reprPy(x, elementType(fieldType))).join(', ')}]`;
  const spec = instances.get(v);
  if (spec) {
    const parts = spec.fields.map((f) => `${f.name}=${reprPy(v.get(f.name), f.type)}`);
    return `${spec.name}(${parts.join(', ')})`;
  }
  const valueType = dictValueType(fieldType);
  const parts: string[] = [];
  for (const [k, x] of v) parts.push(`${strRepr(k)}: ${reprPy(x, valueType)}`);
  return `{${parts.join(', ')}}`;
}

function unwrap(t: FieldType | undefined): FieldType | undefined {
  return t?.t === 'optional' ? unwrap(t.of) : t;
}
function enumOf(t: FieldType | undefined): Extract<FieldType, { t: 'enum' }> | undefined {
  const u = unwrap(t);
  return u?.t === 'enum' ? u : undefined;
}
function elementType(t: FieldType | undefined): FieldType | undefined {
  const u = unwrap(t);
  return u?.t === 'list' ? u.of : undefined;
}
function dictValueType(t: FieldType | undefined): FieldType | undefined {
  const u = unwrap(t);
  return u?.t === 'dict' ? u.value : undefined;
}

/** `repr(model.model_dump())`: a plain dict whose str Enum values print as `<Enum.NAME: 'value'>`. */
export function reprDump(v: PyDict): string {
  const spec = instances.get(v);
  if (!spec) return reprPy(v);
  const parts = spec.fields.map((f) => {
    const x = v.get(f.name);
    return `${strRepr(f.name)}: ${modelOf(x) ? reprDump(x as PyDict) : reprPy(x, f.type)}`;
  });
  return `{${parts.join(', ')}}`;
}

/** pydantic-core's `input_value`: the repr, cut to 25 + `...` + 24 bytes past 50 UTF-8 bytes. */
export function truncatedRepr(v: PyValue | undefined): string {
  const s = reprPy(v);
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length <= 50) return s;
  const isBoundary = (i: number): boolean => i <= 0 || i >= bytes.length || (bytes[i]! & 0xc0) !== 0x80;
  let head = 25;
  while (!isBoundary(head)) head--;
  let tail = bytes.length - 24;
  while (!isBoundary(tail)) tail++;
  return bytes.subarray(0, head).toString('utf8') + '...' + bytes.subarray(tail).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Validation

interface LineError {
  loc: (string | number)[];
  type: string;
  msg: string;
  input: PyValue | undefined;
}

class Fail {
  constructor(readonly errors: LineError[]) {}
}

const err = (type: string, msg: string, input: PyValue | undefined, loc: (string | number)[] = []): Fail =>
  new Fail([{ loc, type, msg, input }]);

function quoteChoices(values: readonly string[]): string {
  const q = values.map((v) => strRepr(v));
  if (q.length === 1) return q[0]!;
  return `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;

function strToInt(raw: string): number | bigint | undefined {
  let s = raw.trim();
  // "1.0", "1.00" parse as ints; any other fraction does not.
  const frac = /^([+-]?\d+(?:_\d+)*)\.0*$/.exec(s);
  if (frac) s = frac[1]!;
  if (!INT_RE.test(s)) return undefined;
  return pyInt(BigInt(s.replaceAll('_', '')));
}

const FLOAT_RE = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+)?|\d+(?:_\d+)*\.(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

function strToFloat(raw: string): number | undefined {
  const s = raw.trim();
  if (!FLOAT_RE.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^[+]/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower.endsWith('nan')) return NaN;
  return Number(s.replaceAll('_', ''));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T t](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

function validateDate(v: PyValue | undefined): string {
  if (typeof v === 'string') {
    const s = v.trim();
    const d = DATE_RE.exec(s);
    if (d && validDate(+d[1]!, +d[2]!, +d[3]!)) return s;
    const dt = DATETIME_RE.exec(s);
    if (dt) {
      if ((dt[4] === '00' && dt[5] === '00' && (dt[6] ?? '00') === '00' && Number(dt[7] ?? '0') === 0) && validDate(+dt[1]!, +dt[2]!, +dt[3]!)) {
        return `${dt[1]}-${dt[2]}-${dt[3]}`;
      }
      throw err('date_from_datetime_inexact', 'Datetimes provided to dates should have zero time - e.g. be exact dates', v);
    }
    throw err('date_from_datetime_parsing', 'Input should be a valid date or datetime, input is too short', v);
  }
  throw err('date_type', 'Input should be a valid date', v);
}

function validateDatetime(v: PyValue | undefined): string {
  if (typeof v === 'string') {
    const s = v.trim();
    const d = DATE_RE.exec(s);
    if (d && validDate(+d[1]!, +d[2]!, +d[3]!)) return `${s} 00:00:00`;
    const dt = DATETIME_RE.exec(s);
    if (dt && validDate(+dt[1]!, +dt[2]!, +dt[3]!)) {
      const micro = dt[7] ? dt[7].padEnd(6, '0') : '';
      return `${dt[1]}-${dt[2]}-${dt[3]} ${dt[4]}:${dt[5]}:${dt[6] ?? '00'}${micro && Number(micro) !== 0 ? '.' + micro : ''}`;
    }
    throw err('datetime_from_date_parsing', 'Input should be a valid datetime or date, input is too short', v);
  }
  throw err('datetime_type', 'Input should be a valid datetime', v);
}

function validateValue(type: FieldType, v: PyValue | undefined): PyValue {
  switch (type.t) {
    case 'any':
      return v ?? null;
    case 'str':
      if (typeof v === 'string') return v;
      throw err('string_type', 'Input should be a valid string', v);
    case 'int': {
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) {
        const x = v.value;
        if (!Number.isFinite(x)) throw err('finite_number', 'Input should be a finite number', v);
        if (!Number.isInteger(x)) throw err('int_from_float', 'Input should be a valid integer, got a number with a fractional part', v);
        if (Math.abs(x) >= 2 ** 63) throw err('int_parsing_size', 'Unable to parse input string as an integer, exceeded maximum size', v);
        return pyInt(BigInt(x));
      }
      if (typeof v === 'string') {
        const n = strToInt(v);
        if (n === undefined) throw err('int_parsing', 'Input should be a valid integer, unable to parse string as an integer', v);
        return n;
      }
      throw err('int_type', 'Input should be a valid integer', v);
    }
    case 'float': {
      if (v instanceof PyFloat) return v;
      if (typeof v === 'number' || typeof v === 'bigint') return new PyFloat(Number(v));
      if (typeof v === 'boolean') return new PyFloat(v ? 1 : 0);
      if (typeof v === 'string') {
        const x = strToFloat(v);
        if (x === undefined) throw err('float_parsing', 'Input should be a valid number, unable to parse string as a number', v);
        return new PyFloat(x);
      }
      throw err('float_type', 'Input should be a valid number', v);
    }
    case 'bool': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat) {
        const x = v instanceof PyFloat ? v.value : Number(v);
        if (x === 0) return false;
        if (x === 1) return true;
        if (v instanceof PyFloat) throw err('bool_type', 'Input should be a valid boolean', v);
        throw err('bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
      }
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (['0', 'off', 'f', 'false', 'n', 'no'].includes(s)) return false;
        if (['1', 'on', 't', 'true', 'y', 'yes'].includes(s)) return true;
        throw err('bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
      }
      throw err('bool_type', 'Input should be a valid boolean', v);
    }
    case 'date':
      return validateDate(v);
    case 'datetime':
      return validateDatetime(v);
    case 'literal':
      if (typeof v === 'string' && type.values.includes(v)) return v;
      throw err('literal_error', `Input should be ${quoteChoices(type.values)}`, v);
    case 'enum':
      if (typeof v === 'string' && type.values.includes(v)) return v;
      throw err('enum', `Input should be ${quoteChoices(type.values)}`, v);
    case 'optional':
      if (v === null) return null;
      return validateValue(type.of, v);
    case 'list': {
      if (!Array.isArray(v)) throw err('list_type', 'Input should be a valid list', v);
      const out: PyValue[] = [];
      const errors: LineError[] = [];
      v.forEach((x, i) => {
        try {
          out.push(validateValue(type.of, x));
        } catch (e) {
          if (!(e instanceof Fail)) throw e;
          for (const le of e.errors) errors.push({ ...le, loc: [i, ...le.loc] });
        }
      });
      if (errors.length > 0) throw new Fail(errors);
      return out;
    }
    case 'dict': {
      if (!(v instanceof Map) || instances.has(v)) throw err('dict_type', 'Input should be a valid dictionary', v);
      const out: PyDict = new Map();
      const errors: LineError[] = [];
      for (const [k, x] of v) {
        try {
          const key = validateValue(type.key, k);
          out.set(String(key), validateValue(type.value, x));
        } catch (e) {
          if (!(e instanceof Fail)) throw e;
          for (const le of e.errors) errors.push({ ...le, loc: [k, ...le.loc] });
        }
      }
      if (errors.length > 0) throw new Fail(errors);
      return out;
    }
    case 'model':
      return validateModelValue(type.model(), v);
    case 'union': {
      const specs = type.of.map((f) => f());
      for (const spec of specs) if (instances.get(v as PyDict) === spec) return v as PyDict;
      const errors: LineError[] = [];
      for (const spec of specs) {
        try {
          return validateModelValue(spec, v);
        } catch (e) {
          if (!(e instanceof Fail)) throw e;
          for (const le of e.errors) errors.push({ ...le, loc: [spec.name, ...le.loc] });
        }
      }
      throw new Fail(errors);
    }
  }
}

function validateModelValue(spec: ModelSpec, v: PyValue | undefined): PyDict {
  if (v instanceof Map) {
    const own = instances.get(v);
    if (own === spec) return v;
    if (own === undefined) return validateFields(spec, v);
  }
  throw err('model_type', `Input should be a valid dictionary or instance of ${spec.name}`, v);
}

function validateFields(spec: ModelSpec, input: PyDict): PyDict {
  const out: PyDict = new Map();
  const errors: LineError[] = [];
  for (const f of spec.fields) {
    const v = input.get(f.name);
    if (v === undefined) {
      if (f.default) {
        const d = f.default();
        if (f.validateDefault) {
          try {
            out.set(f.name, validateValue(f.type, d));
          } catch (e) {
            if (!(e instanceof Fail)) throw e;
            for (const le of e.errors) errors.push({ ...le, loc: [f.name, ...le.loc] });
          }
        } else out.set(f.name, d);
        continue;
      }
      errors.push({ loc: [f.name], type: 'missing', msg: 'Field required', input });
      continue;
    }
    try {
      out.set(f.name, validateValue(f.type, v));
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      for (const le of e.errors) errors.push({ ...le, loc: [f.name, ...le.loc] });
    }
  }
  if (spec.extra === 'forbid') {
    for (const [k, v] of input) {
      if (!spec.fields.some((f) => f.name === k)) errors.push({ loc: [k], type: 'extra_forbidden', msg: 'Extra inputs are not permitted', input: v });
    }
  }
  if (errors.length > 0) throw new Fail(errors);
  return markModel(out, spec);
}

/** The text of a pydantic `ValidationError` (what `str(e)` gives). */
function validationErrorText(title: string, errors: readonly LineError[]): string {
  const n = errors.length;
  const lines = [`${n} validation error${n === 1 ? '' : 's'} for ${title}`];
  for (const e of errors) {
    lines.push(e.loc.map((p) => (typeof p === 'number' ? String(p) : p)).join('.'));
    lines.push(`  ${e.msg} [type=${e.type}, input_value=${truncatedRepr(e.input)}, input_type=${pyTypeName(e.input)}]`);
    lines.push(`    For further information visit https://errors.pydantic.dev/${PYDANTIC_DOCS_VERSION}/v/${e.type}`);
  }
  return lines.join('\n');
}

/**
 * `Model(**kwargs)` / `Model.model_validate(dict)`: a new instance, or a Python
 * `ValidationError` (a `PyError` whose message is pydantic's text).
 */
export function construct(spec: ModelSpec, kwargs: PyDict): PyDict {
  try {
    return validateFields(spec, kwargs);
  } catch (e) {
    if (e instanceof Fail) throw new PyError('ValidationError', validationErrorText(spec.name, e.errors));
    throw e;
  }
}

/** Validates one value against a field type (`TypeAdapter(t).validate_python(v)`), titled like pydantic. */
export function validateAs(type: FieldType, v: PyValue | undefined, title: string): PyValue {
  try {
    return validateValue(type, v);
  } catch (e) {
    if (e instanceof Fail) throw new PyError('ValidationError', validationErrorText(title, e.errors));
    throw e;
  }
}

/** `typeName` for plain values, kept for callers that print Python type names. */
export { typeName };
