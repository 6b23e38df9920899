import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/app/lru.ts';

describe('Lru', () => {
  it('drops the keys not used while half its capacity of others came, counting reads as use', () => {
    const lru = new Lru<number>(4);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3); // a and b are now the older half
    expect(lru.get('a')).toBe(1); // a is used again; b is not
    lru.set('d', 4);
    lru.set('e', 5);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('d'), lru.get('e')]).toEqual([1, 4, 5]);
    expect(lru.size).toBeLessThanOrEqual(4);
  });

  it('never holds more than its capacity, however many keys pass through, and keeps the latest half', () => {
    const lru = new Lru<number>(100);
    for (let i = 0; i < 1_000; i++) {
      lru.set(`k${i}`, i);
      if (i % 3 === 0) lru.get(`k${i - 50}`);
      expect(lru.size).toBeLessThanOrEqual(100);
    }
    for (let i = 0; i < 1_000; i++) lru.set(`n${i}`, i);
    for (let i = 950; i < 1_000; i++) expect(lru.get(`n${i}`)).toBe(i);
    expect(lru.get('n0')).toBeUndefined();
  });

  it('keeps falsy values and replaces a key in place, in either generation', () => {
    const lru = new Lru<boolean>(2);
    lru.set('x', false);
    lru.set('y', false); // x is now the older half
    lru.set('x', true);
    expect(lru.get('x')).toBe(true);
    expect(lru.get('y')).toBe(false);
    expect(lru.size).toBe(2);
  });
});
