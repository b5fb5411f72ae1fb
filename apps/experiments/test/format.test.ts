// Durations in the CLI's tables round once, so no "13m60s" or "60.0s".
import { expect, it } from 'vitest';
import { formatDuration } from '../src/commands/table.js';

it('formats durations with one rounding', () => {
  expect(formatDuration(null)).toBe('-');
  expect(formatDuration(4_460)).toBe('4.5s');
  expect(formatDuration(59_940)).toBe('59.9s');
  expect(formatDuration(59_970)).toBe('1m00s');
  expect(formatDuration(839_600)).toBe('14m00s');
  expect(formatDuration(839_400)).toBe('13m59s');
  expect(formatDuration(3_725_000)).toBe('62m05s');
});
