// Plain-text tables for the terminal (left-aligned text, right-aligned numbers).

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+(e-?\d+)?$|^$|^-$/.test(r[i] ?? '')));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatNumber(value: number | undefined): string {
  if (value == null) return '-';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : Number(value.toPrecision(5)).toString();
}

export function formatDuration(ms: number | null): string {
  if (ms == null) return '-';
  const s = ms / 1000;
  if (Math.round(s * 10) < 600) return `${s.toFixed(1)}s`;
  const whole = Math.round(s); // round once, so 839.6 s is 14m00s, not 13m60s (and 59.97 s is 1m00s)
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}
