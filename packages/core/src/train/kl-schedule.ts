// KL weight schedules: constant, or linear warm-up from `from` to `to` over `steps`
// (Bowman et al. 2016 "KL annealing"). Evaluated from the global step, so resume is exact.
import { z } from 'zod';

export const klScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), value: z.number().finite().nonnegative() }).strict(),
  z.object({
    kind: z.literal('linear'),
    from: z.number().finite().nonnegative(),
    to: z.number().finite().nonnegative(),
    steps: z.number().int().positive(),
  }).strict(),
]);

export type KlSchedule = z.infer<typeof klScheduleSchema>;

export function klWeightAt(schedule: KlSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.value;
    case 'linear':
      return schedule.from + (schedule.to - schedule.from) * Math.min(step / schedule.steps, 1);
  }
}
