// KL weight schedules, evaluated from the global step so resume is exact: constant; linear
// warm-up (Bowman et al. 2016); cyclical annealing (Fu et al. 2019: in each period the weight
// ramps linearly from 0 to `max` over `rampFraction` of the period, then holds).
import { z } from 'zod';

const weight = z.number().finite().nonnegative();

export const klScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), value: weight }).strict(),
  z.object({ kind: z.literal('linear'), from: weight, to: weight, steps: z.number().int().positive() }).strict(),
  z.object({
    kind: z.literal('cyclical'),
    max: weight,
    period: z.number().int().positive(),
    rampFraction: z.number().gt(0).max(1),
  }).strict(),
]);

export type KlSchedule = z.infer<typeof klScheduleSchema>;

export function klWeightAt(schedule: KlSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.value;
    case 'linear':
      return schedule.from + (schedule.to - schedule.from) * Math.min(step / schedule.steps, 1);
    case 'cyclical': {
      const phase = (step % schedule.period) / schedule.period;
      return schedule.max * Math.min(phase / schedule.rampFraction, 1);
    }
  }
}
