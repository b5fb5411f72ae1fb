// Reading and writing nested config values by dotted path ("objective.beta").

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first segment of `path` that `root` lacks, with the keys available there; null when the path exists. */
export function missingSegment(root: unknown, path: string): { segment: string; available: string[] } | null {
  let node = root;
  for (const segment of path.split('.')) {
    if (!isPlainObject(node) || !(segment in node)) return { segment, available: isPlainObject(node) ? Object.keys(node) : [] };
    node = node[segment];
  }
  return null;
}

/** Sets `value` at `path` in a deep copy of `root`. */
export function withValueAt(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(root);
  const segments = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const segment of segments.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[segments[segments.length - 1]] = value;
  return copy;
}
