import { describe, expect, it } from 'vitest';
import { canonical, dumps, tauRepr } from '../src/py/dumps.ts';
import { floatRepr, pyRound } from '../src/py/float.ts';
import { parsePy } from '../src/py/parse.ts';
import { strRepr } from '../src/py/repr.ts';
import { PyFloat } from '../src/py/value.ts';

describe('float repr', () => {
  it.each([
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [-0, '-0.0'],
    [247, '247.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1.5e20, '1.5e+20'],
    [123456789.125, '123456789.125'],
    [9999999999999998, '9999999999999998.0'],
    [0.0001, '0.0001'],
    [Infinity, 'inf'],
  ])('%s → %s', (x, want) => expect(floatRepr(x)).toBe(want));
});

describe('pyRound (exact binary value, ties to even)', () => {
  it.each([
    [0.125, 0.12],
    [0.375, 0.38],
    [2.675, 2.67],
    [-2.675, -2.67],
    [-0.125, -0.12],
    [1.005, 1.0],
    [999999.995, 999999.99],
  ])('round(%s, 2) = %s', (x, want) => expect(pyRound(x, 2)).toBe(want));
  it('keeps the sign of a negative result rounding to zero', () => expect(Object.is(pyRound(-0.001, 2), -0)).toBe(true));
});

describe('dumps with ensure_ascii', () => {
  it.each([
    ['é', '"\\u00e9"'],
    ['\u2028', '"\\u2028"'],
    ['\x7f', '"\\u007f"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['\n\t\b\f\r\x01', '"\\n\\t\\b\\f\\r\\u0001"'],
    ['a/b "q" \\', '"a/b \\"q\\" \\\\"'],
  ])('%j', (s, want) => expect(dumps(s)).toBe(want));
  it('uses Python separators and insertion order', () => {
    expect(dumps(parsePy('{"b":1,"a":[1.0,2,null,true]}'))).toBe('{"b": 1, "a": [1.0, 2, null, true]}');
  });
});

describe('parsePy', () => {
  it('keeps integer-like keys in file order', () => {
    const v = parsePy('{"9":1,"10":2,"x":3,"1":4}');
    expect([...(v as Map<string, unknown>).keys()]).toEqual(['9', '10', 'x', '1']);
    expect(dumps(v)).toBe('{"9": 1, "10": 2, "x": 3, "1": 4}');
  });
  it('tells int from float', () => {
    expect(parsePy('100.0')).toBeInstanceOf(PyFloat);
    expect(parsePy('100')).toBe(100);
    expect(Object.is(parsePy('-0'), 0)).toBe(true);
    expect(dumps(parsePy('-0.0'))).toBe('-0.0');
    expect(dumps(parsePy('1e5'))).toBe('100000.0');
  });
});

describe('str repr', () => {
  it.each([
    ['abc', "'abc'"],
    ["it's", '"it\'s"'],
    ['both \' and "', "'both \\' and \"'"],
    ['tab\tnl\n', "'tab\\tnl\\n'"],
    ['\x00\x7f', "'\\x00\\x7f'"],
    ['é😀', "'é😀'"],
    ['\u2028', "'\\u2028'"],
  ])('%j', (s, want) => expect(strRepr(s)).toBe(want));
});

describe('canonical and tauRepr', () => {
  const v = parsePy('{"b":{"y":247.0,"x":-0.0},"a":[1,2.5,"é"],"c":true}');
  it('canonical: sorted keys, whole floats as ints, raw unicode', () => {
    expect(canonical(v)).toBe('{"a":[1,2.5,"é"],"b":{"x":0,"y":247},"c":true}');
  });
  it('tauRepr: sorted item tuples, floats keep .0, one-tuples with a comma', () => {
    expect(tauRepr(v)).toBe("(('a', (1, 2.5, 'é')), ('b', (('x', -0.0), ('y', 247.0))), ('c', True))");
    expect(tauRepr(parsePy('[null]'))).toBe('(None,)');
  });
});
