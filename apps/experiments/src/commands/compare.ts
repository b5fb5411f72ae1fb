// `vaelab compare <sweep> [<sweep>…] [--format md|csv|json] [--metrics a,b,…]`: the comparison table on stdout.
import { type CompareTable, compareSweeps, selectColumns, shortName } from './compare-table.js';
import { type Command } from './sweep.js';
import { formatNumber } from './table.js';
import { withReader } from './with-store.js';


function markdown(table: CompareTable): string {
  const header = ['arm', 'seeds', ...table.columns.map(shortName)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 1 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of table.rows) {
    const cells = table.columns.map((key) => {
      const c = row.metrics[key];
      if (c == null) return '–';
      const text = `${formatNumber(c.mean)} ± ${formatNumber(c.std)}`;
      return table.best[key] === row.arm ? `**${text}**` : text;
    });
    lines.push(`| ${[row.arm, String(row.seeds), ...cells].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n\nmean ± std over seeds; bold: best of the column (lower for NLL, MSE, ELBO and FCD; higher for the rest that rank)`;
}

function csv(table: CompareTable): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['arm', 'sweep', 'variant', 'seeds', ...table.columns.flatMap((k) => [`${k} mean`, `${k} std`, `${k} best`])];
  const rows = table.rows.map((r) => [r.arm, r.sweep, r.variant, String(r.seeds), ...table.columns.flatMap((k) => {
    const c = r.metrics[k];
    return c == null ? ['', '', ''] : [String(c.mean), String(c.std), table.best[k] === r.arm ? 'yes' : ''];
  })]);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n');
}

export const compare: Command = (args, options) => withReader(options, async (store) => {
  const all = await compareSweeps(store, args);
  const table = options.metrics ? selectColumns(all, options.metrics) : all;
  const format = options.format ?? 'md';
  console.log(format === 'json' ? JSON.stringify(table, null, 2) : format === 'csv' ? csv(table) : markdown(table));
  return 0;
});
