// The explorer route: fetches a run's exported decoder (and what its encoder said about the run's
// test images), loads tfjs, and hands over to the Gaussian-latent or the VQ explorer. Everything
// is decoded in this page; nothing on the server.
import { api } from '../lib/api.js';
import { el, pages } from '../lib/dom.js';
import { loadTf } from '../lib/page-tf.js';
import { urls } from '../contract.js';
import { gaussianExplorer } from './explorer-gaussian.js';
import { vqExplorer } from './explorer-vq.js';

async function exported(id) {
  const res = await fetch(urls.explorer(id));
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

export async function explorerView(view, id) {
  const [{ run }, data] = await Promise.all([api.run(id), exported(id)]);
  const status = el('p', { class: 'muted', id: 'explorer-status' }, 'loading tfjs…');
  view.replaceChildren(el('h2', {}, 'Latent explorer: ', el('a', { href: pages.run(run.id) }, run.name)), status);
  const kit = await loadTf();
  const body = data.kind === 'vq' ? vqExplorer(kit, data) : gaussianExplorer(kit, data);
  status.textContent = `${data.variant}, checkpoint at step ${data.step}: ${body.summary}, decoded in this page by tfjs (${kit.tf.getBackend()})${data.examplesNote ? `; ${data.examplesNote}` : ''}`;
  view.append(body.node);
  await body.ready;
  return null;
}
