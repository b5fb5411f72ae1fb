// The Gaussian-latent explorer (VAE, β-VAE, CVAE): one slider per latent dimension, ordered by
// the dimension's KL over the run's test images (the dimensions the model uses come first), a
// class picker for a CVAE, and a plane of decodes z = u·μ_A + v·μ_B spanned by two test images'
// posterior means. A click on a plane tile moves the sliders there.
import { el, num } from '../lib/dom.js';
import { coalesced, outputMean, paint, pixelCanvas, rebuild, thumbnail } from '../lib/page-tf.js';

const SCALE = 8;
/** The plane's coordinates along each side: 0 is the prior mean, 1 the chosen image's latent. */
const PLANE = [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

/** Decodes a batch of latents [N, latentDim] (and one class) to mean images, in one call. */
function decoderOf(kit, data) {
  const { tf, networks } = kit;
  const decoder = rebuild(kit, data.seed, data.decoder, (params) => networks.buildDecoder(params, data.architecture, data.inputShape, data.latentDim + data.classes));
  return async (zs, label) => {
    const out = tf.tidy(() => {
      let input = tf.tensor2d(zs, [zs.length, data.latentDim]);
      if (data.classes > 0) input = tf.concat([input, tf.cast(tf.oneHot(tf.fill([zs.length], label, 'int32'), data.classes), 'float32')], 1);
      return outputMean(tf, data.likelihood, decoder(input));
    });
    const values = await out.data();
    out.dispose();
    return values;
  };
}

/** Dimension indices, highest KL first (index order without test images). */
const byKl = (data) => {
  const order = Array.from({ length: data.latentDim }, (_, d) => d);
  return data.klPerDimension == null ? order : order.sort((a, b) => data.klPerDimension[b] - data.klPerDimension[a] || a - b);
};

export function gaussianExplorer(kit, data) {
  const decode = decoderOf(kit, data);
  const canvas = pixelCanvas({ id: 'decoded' }, data.inputShape, SCALE);
  const z = new Array(data.latentDim).fill(0);
  let label = 0;
  const redraw = coalesced(async () => {
    const values = await decode([z], label);
    paint(canvas, values, data.inputShape);
    canvas.values = Array.from(values);
    canvas.dataset.z = JSON.stringify(z);
    canvas.dataset.label = String(label);
    canvas.dataset.ready = 'true';
  });
  const sliders = new Map();
  const setZ = (d, value) => {
    z[d] = value;
    const { input, shown } = sliders.get(d);
    input.value = String(value);
    shown.textContent = value.toFixed(2);
  };
  const sliderRows = byKl(data).map((d) => {
    const shown = el('span', { class: 'muted' }, '0.00');
    const input = el('input', { id: `z-${d}`, type: 'range', min: -3, max: 3, step: 0.01, value: 0, oninput: (e) => { setZ(d, Number(e.target.value)); redraw(); } });
    sliders.set(d, { input, shown });
    const kl = data.klPerDimension == null ? '' : el('span', { class: 'muted kl' }, ` KL ${num(data.klPerDimension[d])}`);
    return el('label', { class: 'latent', 'data-dim': d }, `z${d} `, input, shown, kl);
  });
  const plane = planeOf(data, decode, () => label, (point) => { point.forEach((v, d) => setZ(d, v)); redraw(); });
  const classPicker = data.classes > 0
    ? el('label', {}, 'class ', el('select', { id: 'explorer-class', onchange: (e) => { label = Number(e.target.value); redraw(); plane.redraw(); } },
      Array.from({ length: data.classes }, (_, k) => el('option', { value: k }, k))))
    : '';
  const klNote = data.klPerDimension == null ? 'dimensions in index order (no test images to measure KL on)' : `dimensions by KL over ${data.klImages} test images, highest first`;
  const node = el('div', {},
    el('div', { class: 'explorer' }, canvas, el('div', { class: 'sliders', id: 'sliders' }, classPicker, el('p', { class: 'muted' }, klNote), sliderRows)),
    plane.node);
  return { node, summary: `${data.latentDim} latent dimensions`, ready: Promise.all([redraw(), plane.redraw()]) };
}

/** The plane section: two test-image pickers and a grid of decodes between them. */
function planeOf(data, decode, label, moveTo) {
  if (data.examples.length < 2) return { node: '', redraw: async () => {} };
  const options = () => data.examples.map((e, i) => el('option', { value: i }, `test image ${i}${e.label == null ? '' : ` (class ${e.label})`}`));
  const pickA = el('select', { id: 'plane-a', onchange: () => redraw() }, options());
  const pickB = el('select', { id: 'plane-b', onchange: () => redraw() }, options());
  pickB.value = '1';
  const grid = pixelCanvas({ id: 'plane-grid', title: 'click a tile to move the sliders there' }, data.inputShape, 3, PLANE.length, PLANE.length);
  const points = () => {
    const [a, b] = [data.examples[Number(pickA.value)].zMean, data.examples[Number(pickB.value)].zMean];
    // Rows run v from top (largest) to bottom, columns u left to right.
    return [...PLANE].reverse().flatMap((v) => PLANE.map((u) => ({ u, v, z: a.map((ad, d) => u * ad + v * b[d]) })));
  };
  const redraw = coalesced(async () => {
    const tiles = points();
    const values = await decode(tiles.map((t) => t.z), label());
    paint(grid, values, data.inputShape, PLANE.length);
    const size = values.length / tiles.length;
    grid.tiles = tiles.map((t, i) => ({ ...t, values: Array.from(values.subarray(i * size, (i + 1) * size)) }));
    grid.dataset.ab = `${pickA.value},${pickB.value}`;
    grid.dataset.ready = 'true';
  });
  grid.addEventListener('click', (e) => {
    const box = grid.getBoundingClientRect();
    const col = Math.floor(((e.clientX - box.left) / box.width) * PLANE.length);
    const row = Math.floor(((e.clientY - box.top) / box.height) * PLANE.length);
    moveTo(points()[row * PLANE.length + col].z);
  });
  const thumbs = el('div', { class: 'examples' }, data.examples.map((e, i) => thumbnail(e, data.inputShape, 2, { title: `test image ${i}` })));
  const node = el('section', { id: 'plane' },
    el('h3', {}, 'Plane through two test images'),
    el('p', { class: 'muted' }, 'z = u·μ(A) + v·μ(B): u across (A at u = 1), v up (B at v = 1), the prior mean at u = v = 0.'),
    el('p', {}, el('label', {}, 'A ', pickA), ' ', el('label', {}, 'B ', pickB)), thumbs, grid);
  return { node, redraw };
}
