// Types of seed-groups.js for the server's build (which compiles src/ only, without allowJs).
type Grouped = { variant?: string | null; params: Record<string, unknown> };
export declare function seedGroupKey(run: Grouped): string;
export declare function withoutSeed(params: Record<string, unknown>): Record<string, unknown>;
export declare function groupBySeed<R extends Grouped>(runs: R[]): { key: string; runs: R[] }[];
export declare function meanStd(values: unknown[]): { mean: number; std: number; n: number } | null;
