import { describe, expect, it } from 'vitest';
import { storable } from '../../src/app/storable.ts';

describe('storable', () => {
  it('replaces NULs and unpaired surrogates in strings and keys, and keeps pairs', () => {
    const at = new Date(0);
    const input = { 'k\u0000': ['a\u0000b', '\ud83c', 'x\udf37', '🌷 ok', 1, null, true], at, nested: { t: 'Ива\u0000н' } };
    expect(storable(input)).toEqual({ 'k\ufffd': ['a\ufffdb', '\ufffd', 'x\ufffd', '🌷 ok', 1, null, true], at, nested: { t: 'Ива\ufffdн' } });
    expect(storable(input).at).toBe(at);
  });

  it('leaves clean values equal and non-plain objects untouched', () => {
    const buf = Buffer.from('a\u0000');
    expect(storable(buf)).toBe(buf);
    expect(storable({ a: 'привет', b: [1, 'two'] })).toEqual({ a: 'привет', b: [1, 'two'] });
  });
});
