// The VQ-VAE explorer: a test image's code grid, one button per token (residual stages side by
// side in a cell). A click cycles that token to the next code (shift-click: the previous) and the
// page decodes the edited grid: each cell's vector is the sum of its stages' table rows.
import { el } from '../lib/dom.js';
import { coalesced, floats, outputMean, paint, pixelCanvas, rebuild, thumbnail } from '../lib/page-tf.js';

const SCALE = 8;

function decoderOf(kit, data) {
  const { tf, networks } = kit;
  const decoder = rebuild(kit, data.seed, data.decoder, (params) => networks.buildGridDecoder(params, data.filters, data.kernelSize, data.dim, data.inputShape[2]));
  const tables = data.stageTables.map((t) => floats(t.data));
  const [h, w] = data.latentShape;
  const s = data.tokensPerCell;
  return async (codes) => {
    const vectors = new Float32Array(h * w * data.dim);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const at = (r * w + c) * data.dim;
        tables.forEach((table, stage) => {
          const row = codes[r][c * s + stage] * data.dim;
          for (let k = 0; k < data.dim; k++) vectors[at + k] += table[row + k];
        });
      }
    }
    const out = tf.tidy(() => outputMean(tf, data.likelihood, decoder(tf.tensor4d(vectors, [1, h, w, data.dim]))));
    const values = await out.data();
    out.dispose();
    return values;
  };
}

/** Hue by code, so equal codes look alike across the grid. */
const codeColor = (code, count) => `hsl(${Math.round((360 * code) / count)}, 70%, 85%)`;

export function vqExplorer(kit, data) {
  const decode = decoderOf(kit, data);
  const [h, w] = data.latentShape;
  const start = (i) => data.examples[i]?.codes ?? Array.from({ length: h }, () => new Array(w * data.tokensPerCell).fill(0));
  let codes = start(0).map((row) => [...row]);
  const canvas = pixelCanvas({ id: 'decoded' }, data.inputShape, SCALE);
  const redraw = coalesced(async () => {
    const values = await decode(codes);
    paint(canvas, values, data.inputShape);
    canvas.values = Array.from(values);
    canvas.dataset.codes = JSON.stringify(codes);
    canvas.dataset.ready = 'true';
  });
  const table = el('table', { id: 'code-grid', class: 'code-grid' });
  const drawGrid = () => table.replaceChildren(...codes.map((row, r) => el('tr', {}, row.map((code, c) => el('td', {},
    el('button', {
      'data-cell': `${r},${c}`, title: data.tokensPerCell > 1 ? `cell ${r},${Math.floor(c / data.tokensPerCell)}, stage ${c % data.tokensPerCell}` : `cell ${r},${c}`,
      style: `background: ${codeColor(code, data.numTokens)}`,
      onclick: (e) => {
        codes[r][c] = (code + (e.shiftKey ? data.numTokens - 1 : 1)) % data.numTokens;
        drawGrid();
        redraw();
      },
    }, code))))));
  drawGrid();
  const picker = data.examples.length > 0
    ? el('label', {}, 'start from ', el('select', { id: 'vq-example', onchange: (e) => { codes = start(Number(e.target.value)).map((row) => [...row]); drawGrid(); redraw(); } },
      data.examples.map((e, i) => el('option', { value: i }, `test image ${i}${e.label == null ? '' : ` (class ${e.label})`}`))))
    : el('span', { class: 'muted' }, 'starting from code 0 everywhere');
  const original = data.examples.length > 0 ? el('div', { class: 'examples' }, data.examples.map((e, i) => thumbnail(e, data.inputShape, 2, { title: `test image ${i}` }))) : '';
  const node = el('div', {},
    el('div', { class: 'explorer' }, canvas, el('div', {},
      el('p', {}, picker),
      el('p', { class: 'muted' }, `${data.quantizer} quantiser, ${data.numTokens} codes${data.tokensPerCell > 1 ? `, ${data.tokensPerCell} stages per cell (side by side)` : ''}: click a code for the next one, shift-click for the previous`),
      table)),
    original);
  return { node, summary: `a ${h}×${w} code grid`, ready: redraw() };
}
