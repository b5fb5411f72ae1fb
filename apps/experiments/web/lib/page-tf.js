// tfjs in the page for the explorers: tfjs-core and its CPU backend (UMD scripts from the
// dashboard's /vendor, which set the global `tf`), core's own network builders, networks rebuilt
// from a run's exported weights, and canvases painted from decoded images.
import { el } from './dom.js';

function loadScript(src) {
  if (document.querySelector(`script[src="${src}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = el('script', { src });
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}

/** `tf` on its CPU backend, core's network builders and ParamSet. */
export async function loadTf() {
  await loadScript('/vendor/tf-core.js');
  await loadScript('/vendor/tf-backend-cpu.js');
  const tf = globalThis.tf;
  await tf.setBackend('cpu');
  await tf.ready();
  const [networks, { ParamSet }] = await Promise.all([import('/vendor/core/layers/networks.js'), import('/vendor/core/layers/params.js')]);
  return { tf, networks, ParamSet };
}

/** A base64 float32 buffer as the API sends it. */
export const floats = (base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
};

export const rawToTensor = (tf, raw) => tf.tensor(floats(raw.data), raw.shape, 'float32');

/** The last explorer's weights, freed when another is built. */
let previous = null;

/** A network built by `build(params)` with the exported weights in place of its initial ones. */
export function rebuild({ tf, ParamSet }, seed, tensors, build) {
  for (const v of previous?.variables ?? []) v.dispose();
  const params = new ParamSet(seed);
  previous = params;
  const network = build(params);
  const values = new Map(tensors.map((t) => [t.name, rawToTensor(tf, t)]));
  params.assign(values);
  for (const v of values.values()) v.dispose();
  return network;
}

/** The mean image from a raw decoder output (as core's outputMean). */
export const outputMean = (tf, likelihood, raw) => (likelihood === 'bernoulli' ? tf.sigmoid(raw) : raw);

/** Paints images [N, H, W, C] (values in [0, 1]) as tiles of a `columns`-wide grid. */
export function paint(canvas, values, [h, w, c], columns = 1) {
  const n = values.length / (h * w * c);
  const rows = Math.ceil(n / columns);
  canvas.width = w * columns;
  canvas.height = h * rows;
  const image = new ImageData(canvas.width, canvas.height);
  for (let t = 0; t < n; t++) {
    const [x0, y0] = [(t % columns) * w, Math.floor(t / columns) * h];
    for (let i = 0; i < h * w; i++) {
      const at = 4 * ((y0 + Math.floor(i / w)) * canvas.width + x0 + (i % w));
      for (let k = 0; k < 3; k++) image.data[at + k] = Math.round(255 * Math.min(1, Math.max(0, values[(t * h * w + i) * c + (c === 3 ? k : 0)])));
      image.data[at + 3] = 255;
    }
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
}

/** A canvas scaled up without smoothing, so pixels stay pixels. */
export const pixelCanvas = (attrs, [h, w], scale, columns = 1, rows = 1) =>
  el('canvas', { ...attrs, width: w * columns, height: h * rows, style: `width: ${w * columns * scale}px; height: ${h * rows * scale}px; image-rendering: pixelated; border: 1px solid #ddd` });

/** A test image (bytes) as a small canvas. */
export function thumbnail(example, shape, scale, attrs = {}) {
  const canvas = pixelCanvas(attrs, shape, scale);
  paint(canvas, example.pixels.map((v) => v / 255), shape);
  return canvas;
}

/** Runs `draw` after each change, never two at once, and only for the latest state when changes pile up. */
export function coalesced(draw) {
  let busy = false;
  let again = false;
  return async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        await draw();
      } while (again);
    } finally {
      busy = false;
    }
  };
}
