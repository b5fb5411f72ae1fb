#!/usr/bin/env node
// Writes the example sensor table: 8 correlated readings per row from three normal operating
// regimes (a Gaussian mixture, labels 0–2) and a small planted fault cluster (label 3) whose
// readings break the normal correlations while staying inside their usual ranges.
// Usage: node experiments/data/make-sensor-table.mjs [out.csv] (default: next to this script).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: small, seeded, the same numbers on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sensorTable(seed = 7, normalRows = 3000, faultRows = 150) {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  // Each regime: a load level; readings follow it through fixed gains (strong correlations).
  const regimes = [{ load: -1.5 }, { load: 0 }, { load: 1.5 }];
  const gains = [1, 0.8, -0.6, 1.2, 0.5, -1, 0.9, 0.3];
  const rows = [];
  const row = (load, flip, label) => {
    const wobble = normal() * 0.3;
    const values = gains.map((g, j) => (flip && j % 2 === 1 ? -g : g) * (load + wobble) + normal() * 0.15 + j * 0.1);
    rows.push([...values.map((v) => v.toFixed(4)), label]);
  };
  for (let i = 0; i < normalRows; i++) {
    const r = i % regimes.length;
    row(regimes[r].load + normal() * 0.2, false, r);
  }
  // Faults: a mid load with the odd sensors' gains reversed (each value alone looks ordinary).
  for (let i = 0; i < faultRows; i++) row(normal() * 0.8, true, 3);
  const header = [...gains.map((_, j) => `sensor${j + 1}`), 'regime'];
  return `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'sensors.csv');
  writeFileSync(out, sensorTable());
  console.log(`wrote ${out}`);
}
