// The dashboard's API addresses in one place: the page builds its requests with these functions
// and the server routes with the same patterns, so the two cannot drift apart. Response types
// are in contract.d.ts beside this file.
const enc = encodeURIComponent;

/** Path patterns with one captured, percent-encoded id. */
export const ROUTES = {
  run: /^\/api\/runs\/([^/]+)$/,
  series: /^\/api\/runs\/([^/]+)\/series$/,
  image: /^\/api\/runs\/([^/]+)\/image$/,
  explorer: /^\/api\/runs\/([^/]+)\/explorer$/,
  sweep: /^\/api\/sweeps\/([^/]+)$/,
};

/** Fixed paths. */
export const PATHS = { runs: '/api/runs', groups: '/api/groups', sweeps: '/api/sweeps', meta: '/api/meta', compare: '/api/compare', export: '/api/export' };

const withQuery = (path, params) => {
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
};

export const urls = {
  meta: () => PATHS.meta,
  runs: (query) => withQuery(PATHS.runs, query),
  groups: (query) => withQuery(PATHS.groups, query),
  run: (id) => `/api/runs/${enc(id)}`,
  series: (id, key, { afterStep, maxPoints } = {}) => withQuery(`/api/runs/${enc(id)}/series`, {
    key, ...(afterStep != null ? { afterStep: String(afterStep) } : {}), ...(maxPoints != null ? { maxPoints: String(maxPoints) } : {}),
  }),
  image: (id, key, step, index = 0) => withQuery(`/api/runs/${enc(id)}/image`, { key, step: String(step), index: String(index) }),
  explorer: (id) => `/api/runs/${enc(id)}/explorer`,
  sweeps: () => PATHS.sweeps,
  sweep: (name) => `/api/sweeps/${enc(name)}`,
  compare: (sweepNames) => withQuery(PATHS.compare, sweepNames.map((name) => ['sweep', name])),
  export: (params) => withQuery(PATHS.export, params),
};
