import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/app/lru.ts';

describe('Lru', () => {
  it('drops the least recently used key once full, counting reads as use', () => {
    const lru = new Lru<number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now the most recent; b the least
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([1, 3, 4]);
  });

  it('keeps falsy values and replaces a key in place', () => {
    const lru = new Lru<boolean>(2);
    lru.set('x', false);
    lru.set('x', true);
    lru.set('y', false);
    expect(lru.size).toBe(2);
    expect(lru.get('x')).toBe(true);
    expect(lru.get('y')).toBe(false);
  });
});
