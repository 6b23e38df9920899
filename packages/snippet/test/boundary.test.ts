import { expect, it } from 'vitest';
import { safe } from '../src/boundary.ts';

it('passes arguments and results through and swallows what is thrown', () => {
  expect(safe((a: number, b: number) => a + b)(2, 3)).toBe(5);
  expect(
    safe(() => {
      throw new Error('bug');
    })(),
  ).toBeUndefined();
  expect(
    safe(() => {
      throw 'not even an Error';
    })(),
  ).toBeUndefined();
});
