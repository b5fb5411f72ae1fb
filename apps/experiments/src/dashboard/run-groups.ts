// The runs table grouped by seed: the store groups the runs the filters match (variant and params
// but seed), computes mean ± std and n of each metric, and sorts and pages the groups.
import type { RunQuery, SeedGroup, StoreReader } from '@vaelab/tracking';

export type RunGroup = SeedGroup;

export function runGroups(store: StoreReader, query: RunQuery): Promise<{ total: number; runs: number; groups: RunGroup[] }> {
  return store.seedGroups(query);
}
