// The latent explorer: a Gaussian-latent run's decoder rebuilt in the page with tfjs (served from
// node_modules) and core's own network code, decoding live as the latent sliders (and, for a
// CVAE, the class) change. Nothing is decoded on the server.
import { api } from '../lib/api.js';
import { el, pages } from '../lib/dom.js';
import { urls } from '../contract.js';

const SCALE = 8;

function loadScript(src) {
  if (document.querySelector(`script[src="${src}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = el('script', { src });
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}

/** tfjs on its CPU backend (the global `tf` the vendor scripts set) and core's decoder builder. */
async function loadTf() {
  await loadScript('/vendor/tf-core.js');
  await loadScript('/vendor/tf-backend-cpu.js');
  const tf = globalThis.tf;
  await tf.setBackend('cpu');
  await tf.ready();
  const [{ buildDecoder }, { ParamSet }] = await Promise.all([import('/vendor/core/layers/networks.js'), import('/vendor/core/layers/params.js')]);
  return { tf, buildDecoder, ParamSet };
}

const floats = (base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
};

/** The last explorer's weights, freed when another is built. */
let previous = null;

/** The decoder with the run's weights: z (and a class) in, the mean image [H, W, C] out. */
function rebuild({ tf, buildDecoder, ParamSet }, exported) {
  for (const v of previous?.variables ?? []) v.dispose();
  const params = new ParamSet(exported.seed);
  previous = params;
  const decoder = buildDecoder(params, exported.architecture, exported.inputShape, exported.latentDim + exported.classes);
  const values = new Map(exported.tensors.map((t) => [t.name, tf.tensor(floats(t.data), t.shape, 'float32')]));
  params.assign(values);
  for (const v of values.values()) v.dispose();
  return async (z, label) => {
    const out = tf.tidy(() => {
      let input = tf.tensor2d([z], [1, z.length]);
      if (exported.classes > 0) input = tf.concat([input, tf.cast(tf.oneHot(tf.tensor1d([label], 'int32'), exported.classes), 'float32')], 1);
      const raw = decoder(input);
      return exported.likelihood === 'bernoulli' ? tf.sigmoid(raw) : raw;
    });
    const data = await out.data();
    out.dispose();
    return data;
  };
}

function paint(canvas, values, [h, w, c]) {
  const image = new ImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) image.data[4 * i + k] = Math.round(255 * Math.min(1, Math.max(0, values[i * c + (c === 3 ? k : 0)])));
    image.data[4 * i + 3] = 255;
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
}

export async function explorerView(view, id) {
  const [{ run }, exported] = await Promise.all([api.run(id), fetch(urls.decoder(id)).then(async (res) => {
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  })]);
  const status = el('p', { class: 'muted' }, 'loading tfjs…');
  view.replaceChildren(el('h2', {}, 'Latent explorer: ', el('a', { href: pages.run(run.id) }, run.name)), status);
  const decode = rebuild(await loadTf(), exported);
  const [h, w] = exported.inputShape;
  const canvas = el('canvas', { id: 'decoded', width: w, height: h, style: `width: ${w * SCALE}px; height: ${h * SCALE}px; image-rendering: pixelated; border: 1px solid #ddd` });
  const z = new Array(exported.latentDim).fill(0);
  let label = 0;
  let busy = false;
  let again = false;
  const redraw = async () => {
    if (busy) { again = true; return; }
    busy = true;
    do {
      again = false;
      const values = await decode(z, label);
      paint(canvas, values, exported.inputShape);
      canvas.values = Array.from(values);
      canvas.dataset.z = JSON.stringify(z);
      canvas.dataset.label = String(label);
    } while (again);
    busy = false;
    canvas.dataset.ready = 'true';
  };
  const sliders = z.map((_, d) => {
    const shown = el('span', { class: 'muted' }, '0.00');
    return el('label', { class: 'latent' }, `z${d} `, el('input', { id: `z-${d}`, type: 'range', min: -3, max: 3, step: 0.01, value: 0, oninput: (e) => {
      z[d] = Number(e.target.value);
      shown.textContent = z[d].toFixed(2);
      redraw();
    } }), shown);
  });
  const classPicker = exported.classes > 0
    ? el('label', {}, 'class ', el('select', { id: 'explorer-class', onchange: (e) => { label = Number(e.target.value); redraw(); } },
      Array.from({ length: exported.classes }, (_, k) => el('option', { value: k }, k))))
    : '';
  status.textContent = `${exported.variant}, checkpoint at step ${exported.step}: ${exported.latentDim} latent dimensions, decoded in this page by tfjs (${globalThis.tf.getBackend()})`;
  view.append(el('div', { class: 'explorer' }, canvas, el('div', { class: 'sliders' }, classPicker, sliders)));
  await redraw();
  return null;
}
