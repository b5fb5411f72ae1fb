// @ts-check
// The API client: one function per endpoint, typed by the contract the server shares.
import { urls } from '../contract.js';

/** @typedef {import('../contract.js').Meta} Meta @typedef {import('../contract.js').RunDetail} RunDetail */
/** @typedef {import('../contract.js').GroupsPage} GroupsPage @typedef {import('../contract.js').RunsPage} RunsPage @typedef {import('../contract.js').SweepDetail} SweepDetail */
/** @typedef {import('../contract.js').SweepList} SweepList @typedef {import('../contract.js').Series} Series */

/**
 * @param {string} path
 * @returns {Promise<any>}
 */
async function get(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

/** @type {Promise<Meta> | null} */
let metaPromise = null;

export const api = {
  /** Variants, states and metric columns as the server defines them (fetched once). @returns {Promise<Meta>} */
  meta: () => (metaPromise ??= get(urls.meta())),
  /** @param {URLSearchParams} query @returns {Promise<RunsPage>} */
  runs: (query) => get(urls.runs(query)),
  /** Runs grouped by seed, with the same filters. @param {URLSearchParams} query @returns {Promise<GroupsPage>} */
  groups: (query) => get(urls.groups(query)),
  /** @param {string} id @returns {Promise<RunDetail>} */
  run: (id) => get(urls.run(id)),
  /** @param {string} id @param {string} key @param {{ afterStep?: number }} [options] @returns {Promise<Series>} */
  series: (id, key, options) => get(urls.series(id, key, options)),
  /** @returns {Promise<SweepList>} */
  sweeps: () => get(urls.sweeps()),
  /** @param {string} name @returns {Promise<SweepDetail>} */
  sweep: (name) => get(urls.sweep(name)),
};

/** A series value as a plottable number (NaN and infinities arrive as strings). @param {number | string} v */
export const plottable = (v) => (typeof v === 'number' ? v : null);
