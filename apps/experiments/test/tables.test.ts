// The CLI's tables: durations round once (no "13m60s" or "60.0s"); the params column shows what
// tells runs apart, once.
import { expect, it } from 'vitest';
import type { RunRecord } from '@vaelab/tracking';
import { shownParams } from '../src/commands/shown-params.js';
import { formatDuration } from '../src/commands/table.js';
import { defaultVqVaeConfig } from '@vaelab/vq-vae';

it('formats durations with one rounding', () => {
  expect(formatDuration(null)).toBe('-');
  expect(formatDuration(4_460)).toBe('4.5s');
  expect(formatDuration(59_940)).toBe('59.9s');
  expect(formatDuration(59_970)).toBe('1m00s');
  expect(formatDuration(839_600)).toBe('14m00s');
  expect(formatDuration(839_400)).toBe('13m59s');
  expect(formatDuration(3_725_000)).toBe('62m05s');
});

it('shows a swept object once, not again field by field, and settings that differ', () => {
  const run = (seed: number, quantizer: object, commitmentCost: number) => ({
    variant: 'vq-vae', params: { quantizer, seed },
    config: { model: { ...defaultVqVaeConfig, quantizer, commitmentCost }, train: { learningRate: 0.001 } },
  }) as unknown as RunRecord;
  const shown = shownParams([run(0, { kind: 'fsq', levels: [8, 8] }, 0.25), run(0, { kind: 'codebook' }, 0.5)]);
  expect(shown[0]).toEqual(['quantizer={"kind":"fsq","levels":[8,8]}', 'seed=0', 'commitmentCost=0.25']);
  expect(shown[1]).toEqual(['quantizer={"kind":"codebook"}', 'seed=0', 'commitmentCost=0.5']);
});
