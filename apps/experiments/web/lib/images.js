// Image viewer: one step slider over the union of steps, each run's image at that step side by side.
import { urls } from '../contract.js';
import { el } from './dom.js';

/**
 * @param {{ id: string, name: string }[]} runs
 * @param {string} key
 * @param {Record<string, { key: string, step: number }[]>} imagesByRun
 */
export function imageViewer(runs, key, imagesByRun) {
  const steps = [...new Set(runs.flatMap((r) => imagesByRun[r.id].filter((i) => i.key === key).map((i) => i.step)))].sort((a, b) => a - b);
  const imgs = runs.map((r) => el('img', { alt: `${key} of ${r.name}` }));
  const label = el('span', { class: 'muted' });
  const show = (idx) => {
    const step = steps[idx];
    label.textContent = ` step ${step}`;
    runs.forEach((r, i) => {
      const has = imagesByRun[r.id].some((im) => im.key === key && im.step === step);
      imgs[i].src = has ? urls.image(r.id, key, step) : '';
      imgs[i].title = has ? '' : 'no image at this step';
    });
  };
  const slider = el('input', { type: 'range', min: 0, max: steps.length - 1, value: steps.length - 1, oninput: (e) => show(Number(e.target.value)) });
  show(steps.length - 1);
  return el('div', { class: 'image-block', 'data-key': key }, el('h4', {}, key), slider, label,
    el('div', { class: 'images' }, runs.map((r, i) => el('figure', {}, imgs[i], runs.length > 1 ? el('figcaption', {}, r.name) : null))));
}

/** One viewer per image key the runs have. */
export function imageViewers(runs, imagesByRun) {
  const keys = [...new Set(runs.flatMap((r) => imagesByRun[r.id].map((i) => i.key)))];
  return keys.map((k) => imageViewer(runs, k, imagesByRun));
}
