// The one training loop: model-agnostic (needs only named trainable variables and
// computeLoss), seeded so that resuming from a checkpoint continues bit for bit, and
// reading scalars back once per `logEvery` steps rather than every step.
import * as tf from '@tensorflow/tfjs-core';
import { batchesPerEpoch, disposeBatch, epochOrder, makeBatch } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';
import type { TrainableModel } from '../model/types.js';
import { deriveSeed } from '../util/random.js';
import { yieldToEventLoop } from '../util/yield.js';
import { Adam } from './adam.js';
import { type CheckpointContents, encodeCheckpoint, saveCheckpoint, type TrainPosition } from './checkpoint.js';
import { clipByGlobalNorm, globalNorm } from './clip.js';
import type { TrainConfig } from './train-config.js';
import { firstNonFinite, NonFiniteLossError, TrainingStopped } from './train-errors.js';

const NOISE_STREAM = 2;

export interface StepRecord {
  step: number;
  epoch: number;
  /** `loss`, each loss part, `gradNorm`, and the model's schedule values. */
  values: Record<string, number>;
}

export interface EpochSummary {
  epoch: number;
  step: number;
  /** Mean of each step value over the epoch's steps run in this process. */
  means: Record<string, number>;
  seconds: number;
  samplesPerSec: number;
}

/** Receives each checkpoint as bytes (e.g. to keep it in the tracking store). */
export type CheckpointWriter = (bytes: Buffer, position: TrainPosition) => Promise<void>;

export interface FitResult {
  /** Optimiser updates applied in total (including those before a restore). */
  step: number;
  /** Why fit returned: all epochs done, or the config's step budget reached mid-run. */
  stoppedBy: 'epochs' | 'steps';
}

/** Where an epoch stands, for a progress display the caller draws (reported once per readback window). */
export interface FitProgress {
  epoch: number;
  /** Batches of this epoch done, of `batches`. */
  batch: number;
  batches: number;
  step: number;
  loss: number;
  samplesPerSec: number;
}

export interface FitOptions {
  /**
   * Where checkpoints go after every epoch, every `checkpointEvery` steps and at a stop: a file
   * path, or a writer that receives the bytes.
   */
  checkpoint?: string | CheckpointWriter;
  /** Extra JSON stored in each checkpoint (e.g. the run id). */
  checkpointMeta?: Record<string, unknown>;
  onProgress?(progress: FitProgress): void;
  /** Aborting stops after the current step, saves a checkpoint, and rejects with TrainingStopped. */
  signal?: AbortSignal;
  onSteps?(records: StepRecord[]): void | Promise<void>;
  onEpochEnd?(summary: EpochSummary): void | Promise<void>;
}

interface Pending {
  step: number;
  epoch: number;
  values: tf.Tensor1D;
  batchSize: number;
}

export class Trainer {
  readonly optimizer: Adam;
  position: TrainPosition = { epoch: 0, batch: 0, step: 0 };
  private partNames: string[] | null = null;
  private metricNames: string[] | null = null;

  constructor(readonly model: TrainableModel, readonly config: TrainConfig) {
    this.optimizer = new Adam({ learningRate: config.learningRate });
  }

  /** Frees the optimiser's moment tensors (the model is the caller's to dispose). */
  dispose(): void {
    this.optimizer.dispose();
  }

  private namedTrainable(): [string, tf.Variable][] {
    const trainable = new Set(this.model.trainableVariables);
    return this.model.params.entries().filter(([, v]) => trainable.has(v));
  }

  /** One optimiser update; returns [loss, ...parts, ...metrics, gradNorm] without reading it back. */
  trainStep(batch: Parameters<TrainableModel['computeLoss']>[0], step: number): tf.Tensor1D {
    const named = this.namedTrainable();
    const vars = named.map(([, v]) => v);
    return tf.tidy(() => {
      let parts: Record<string, tf.Scalar> = {};
      const ctx = { step, noiseSeed: deriveSeed(this.config.seed, NOISE_STREAM, step), training: true };
      const { value, grads } = tf.variableGrads(() => {
        const out = this.model.computeLoss(batch, ctx);
        parts = Object.fromEntries(Object.entries(out.parts).map(([k, v]) => [k, tf.keep(v)]));
        return out.total;
      }, vars);
      this.partNames ??= Object.keys(parts);
      const gradList = vars.map((v) => grads[v.name]);
      const norm = globalNorm(gradList);
      const clip = this.config.gradClipNorm;
      this.optimizer.apply(named, clip == null ? gradList : clipByGlobalNorm(gradList, norm, clip));
      const metrics = this.model.afterStep?.(ctx) ?? {};
      this.metricNames ??= Object.keys(metrics);
      const stacked = tf.stack([value, ...this.partNames.map((n) => parts[n]), ...this.metricNames.map((n) => metrics[n]), norm]) as tf.Tensor1D;
      for (const p of Object.values(parts)) p.dispose();
      return stacked;
    });
  }

  private valueNames(): string[] {
    return ['loss', ...(this.partNames ?? []), ...(this.metricNames ?? []), 'gradNorm'];
  }

  private async readBack(pending: Pending[]): Promise<StepRecord[]> {
    if (pending.length === 0) return [];
    const stacked = tf.stack(pending.map((p) => p.values));
    const data = await stacked.data();
    stacked.dispose();
    for (const p of pending) p.values.dispose();
    const names = this.valueNames();
    return pending.map((p, row) => {
      const values: Record<string, number> = {};
      names.forEach((name, j) => (values[name] = data[row * names.length + j]));
      const bad = firstNonFinite(values, this.partNames ?? []);
      if (bad != null) throw new NonFiniteLossError(p.step, bad, values[bad], values.loss);
      return { step: p.step, epoch: p.epoch, values: { ...values, ...this.model.scheduleValues?.(p.step) } };
    });
  }

  async fit(dataset: ImageDataset, options: FitOptions = {}): Promise<FitResult> {
    const { batchSize, epochs, logEvery, checkpointEvery, seed } = this.config;
    const maxSteps = this.config.steps ?? Number.POSITIVE_INFINITY;
    const checkpoint = () => (options.checkpoint ? this.writeCheckpoint(options.checkpoint, options.checkpointMeta) : Promise.resolve());
    const perEpoch = batchesPerEpoch(dataset.count, batchSize);
    let pending: Pending[] = [];
    try {
      while (this.position.epoch < epochs && this.position.step < maxSteps) {
        const epoch = this.position.epoch;
        const order = epochOrder(dataset.count, seed, epoch);
        const started = performance.now();
        const sums: Record<string, number> = {};
        let steps = 0;
        let samples = 0;
        const flush = async (): Promise<void> => {
          await yieldToEventLoop();
          const records = await this.readBack(pending);
          samples += pending.reduce((n, p) => n + p.batchSize, 0);
          pending = [];
          for (const r of records) for (const [k, v] of Object.entries(r.values)) sums[k] = (sums[k] ?? 0) + v;
          steps += records.length;
          if (records.length > 0) {
            const samplesPerSec = samples / ((performance.now() - started) / 1000);
            const last = records[records.length - 1];
            options.onProgress?.({ epoch, batch: this.position.batch, batches: perEpoch, step: last.step, loss: last.values.loss, samplesPerSec });
            await options.onSteps?.(records);
          }
        };
        while (this.position.batch < perEpoch) {
          if (options.signal?.aborted) {
            await flush();
            await checkpoint();
            throw new TrainingStopped(this.position.step);
          }
          const start = this.position.batch * batchSize;
          const batch = makeBatch(dataset, order.subarray(start, Math.min(start + batchSize, dataset.count)));
          pending.push({ step: this.position.step, epoch, values: this.trainStep(batch, this.position.step), batchSize: batch.x.shape[0] });
          disposeBatch(batch);
          this.position = { epoch, batch: this.position.batch + 1, step: this.position.step + 1 };
          if (pending.length >= logEvery) await flush();
          if (checkpointEvery > 0 && this.position.step % checkpointEvery === 0 && options.checkpoint) {
            await flush();
            await checkpoint();
          }
          if (this.position.step >= maxSteps) {
            await flush();
            await checkpoint();
            return { step: this.position.step, stoppedBy: 'steps' };
          }
        }
        await flush();
        this.position = { epoch: epoch + 1, batch: 0, step: this.position.step };
        const seconds = (performance.now() - started) / 1000;
        const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(steps, 1)]));
        await options.onEpochEnd?.({ epoch, step: this.position.step, means, seconds, samplesPerSec: samples / seconds });
        await checkpoint();
      }
      return { step: this.position.step, stoppedBy: this.position.step >= maxSteps && this.position.epoch < epochs ? 'steps' : 'epochs' };
    } finally {
      for (const p of pending) p.values.dispose();
    }
  }

  checkpointContents(meta: Record<string, unknown> = {}): CheckpointContents {
    return {
      variant: this.model.spec.name,
      modelConfig: this.model.config,
      trainConfig: this.config,
      position: this.position,
      optimizerStep: this.optimizer.step,
      meta,
      params: new Map(this.model.params.entries()),
      optimizerState: this.optimizer.stateTensors(),
    };
  }

  async save(path: string, meta?: Record<string, unknown>): Promise<void> {
    await saveCheckpoint(path, this.checkpointContents(meta));
  }

  private async writeCheckpoint(target: string | CheckpointWriter, meta?: Record<string, unknown>): Promise<void> {
    if (typeof target === 'string') await this.save(target, meta);
    else await target(await encodeCheckpoint(this.checkpointContents(meta)), { ...this.position });
  }

  /** Continues exactly where a checkpoint left off (weights, optimiser moments, data position). */
  restore(checkpoint: CheckpointContents): void {
    this.model.params.assign(checkpoint.params);
    this.optimizer.loadState(checkpoint.optimizerStep, checkpoint.optimizerState);
    this.position = { ...checkpoint.position };
  }
}
