// A CSV table of numeric columns (header required) as feature rows, with an optional label
// column: integer labels are kept, other values become classes in sorted order. Parsed with
// csv-parse; every bad cell is reported by its line and column name.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ImageDataset } from '../dataset.js';

export interface CsvTableOptions {
  /** The column holding class labels (excluded from the features). */
  labelColumn?: string;
  name?: string;
}

export function loadCsvTable(path: string, options: CsvTableOptions = {}): ImageDataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new Error(`${path}: not readable as CSV (${(error as Error).message})`);
  }
  if (rows.length === 0) throw new Error(`${path}: empty; expected a header row of column names`);
  const [header, ...body] = rows;
  if (header.every((h) => h !== '' && Number.isFinite(Number(h)))) throw new Error(`${path}: the first row (${header.slice(0, 3).join(', ')}…) is numbers; expected a header row of column names`);
  const labelAt = options.labelColumn == null ? -1 : header.indexOf(options.labelColumn);
  if (options.labelColumn != null && labelAt < 0) throw new Error(`${path}: no column "${options.labelColumn}" for labelColumn; columns are ${header.join(', ')}`);
  if (body.length === 0) throw new Error(`${path}: has a header but no rows`);
  const columns = header.filter((_, i) => i !== labelAt);
  const values = new Float32Array(body.length * columns.length);
  const rawLabels: string[] = [];
  body.forEach((row, r) => {
    const line = r + 2;
    if (row.length !== header.length) throw new Error(`${path}: line ${line} has ${row.length} cells; the header has ${header.length}`);
    let c = 0;
    row.forEach((cell, i) => {
      if (i === labelAt) return void rawLabels.push(cell);
      const v = cell === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) throw new Error(`${path}: line ${line}, column "${header[i]}": ${JSON.stringify(cell)} is not a number`);
      values[r * columns.length + c++] = v;
    });
  });
  const labelled = labelAt >= 0 ? labelsOf(rawLabels) : { labels: new Int32Array(0), numClasses: 0 };
  return {
    name: options.name ?? path, images: values, count: body.length, inputShape: [1, columns.length, 1], columns, ...labelled,
  };
}

function labelsOf(raw: string[]): { labels: Int32Array; numClasses: number; classNames?: string[] } {
  if (raw.every((v) => /^\d+$/.test(v))) {
    const labels = Int32Array.from(raw, Number);
    return { labels, numClasses: labels.reduce((m, v) => Math.max(m, v + 1), 0) };
  }
  const classNames = [...new Set(raw)].sort();
  const index = new Map(classNames.map((n, i) => [n, i]));
  return { labels: Int32Array.from(raw, (v) => index.get(v)!), numClasses: classNames.length, classNames };
}
