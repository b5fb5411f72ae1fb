// Types of contract.js and of the API's answers, derived from the server code that produces them.
import type { RunWithMetrics, SeriesPoint, StatusCounts, StoreReader, SweepRecord } from '@vaelab/tracking';
import type { CompareTable } from '../src/commands/compare-table.js';
import type { dashboardMeta } from '../src/dashboard/meta.js';
import type { explorerExport } from '../src/dashboard/explorer-export.js';
import type { runView } from '../src/dashboard/run-view.js';
import type { sweepView } from '../src/dashboard/sweep-view.js';

/** JSON cannot carry NaN or ±Infinity: the server sends them as these strings. */
export type NonFinite = 'NaN' | 'Infinity' | '-Infinity';
/** A value as it arrives over JSON: numbers may be NonFinite strings. */
export type Json<T> = T extends number ? number | NonFinite : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type Meta = Json<ReturnType<typeof dashboardMeta>>;
export type RunDetail = Json<Awaited<ReturnType<typeof runView>>>;
export type RunMetric = RunDetail['metrics'][number];
export type SweepDetail = Json<Awaited<ReturnType<typeof sweepView>>>;
export type ExplorerExport = Json<Awaited<ReturnType<typeof explorerExport>>>;
export type GroupsPage = Json<Awaited<ReturnType<StoreReader['seedGroups']>>>;
export type RunsPage = Json<{ total: number; runs: RunWithMetrics[] }>;
export type SweepList = Json<(SweepRecord & { counts: StatusCounts })[]>;
export type Series = Json<SeriesPoint[]>;
export type Comparison = Json<CompareTable>;

export declare const ROUTES: { run: RegExp; series: RegExp; image: RegExp; explorer: RegExp; sweep: RegExp };
export declare const PATHS: { runs: string; groups: string; sweeps: string; meta: string; compare: string; export: string };
type Query = string | Record<string, string> | URLSearchParams | string[][];
export declare const urls: {
  meta(): string;
  runs(query: Query): string;
  groups(query: Query): string;
  run(id: string): string;
  series(id: string, key: string, options?: { afterStep?: number; maxPoints?: number }): string;
  image(id: string, key: string, step: number, index?: number): string;
  explorer(id: string): string;
  sweeps(): string;
  sweep(name: string): string;
  compare(sweepNames: string[]): string;
  export(params: Query): string;
};
