// Row ids: ULIDs from one monotonic factory, so ids made in the same millisecond still sort in
// the order they were made (plain ulid() breaks such ties at random, and "oldest first" with it).
import { monotonicFactory } from 'ulid';

export const newId: (seedTime?: number) => string = monotonicFactory();
