// Checkpoints: JSON header (config, training position, metadata) plus raw float32 tensors, as
// bytes (stored wherever the caller likes, e.g. in the tracking store) or as a file written to a
// temporary name and renamed, so a crash never leaves a torn one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from './train-config.js';

const MAGIC = 'VAELABCK';
const VERSION = 1;

export interface TrainPosition {
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Next batch index within that epoch. */
  batch: number;
  /** Global step: optimiser updates applied so far. */
  step: number;
}

export interface CheckpointContents {
  variant: string;
  modelConfig: unknown;
  trainConfig: TrainConfig;
  position: TrainPosition;
  optimizerStep: number;
  meta: Record<string, unknown>;
  params: Map<string, tf.Tensor>;
  optimizerState: Map<string, tf.Tensor>;
}

interface TensorEntry {
  group: 'params' | 'optimizer';
  name: string;
  shape: number[];
  offset: number;
}

/** The checkpoint as bytes: 12-byte prefix (magic, header length), JSON header, raw float32 data. */
export async function encodeCheckpoint(contents: CheckpointContents): Promise<Buffer> {
  const entries: TensorEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const [group, map] of [['params', contents.params], ['optimizer', contents.optimizerState]] as const) {
    for (const [name, tensor] of map) {
      const values = (await tensor.data()) as Float32Array;
      entries.push({ group, name, shape: tensor.shape, offset });
      chunks.push(values);
      offset += values.length;
    }
  }
  const { params: _p, optimizerState: _o, ...rest } = contents;
  const header = Buffer.from(JSON.stringify({ version: VERSION, ...rest, tensors: entries, floatCount: offset }), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(header.length, 8);
  return Buffer.concat([prefix, header, ...chunks.map((c) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength))]);
}

/** Writes a checkpoint file atomically (temporary name, fsync, rename); a failed write leaves no partial file. */
export async function saveCheckpoint(path: string, contents: CheckpointContents): Promise<void> {
  const bytes = await encodeCheckpoint(contents);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new Error(`${path}: cannot write checkpoint (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Decodes checkpoint bytes; `source` names them in errors. The caller owns (and disposes) the tensors. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): CheckpointContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 12 || buffer.toString('ascii', 0, 8) !== MAGIC) {
    throw new Error(`${source}: not a VAE Lab checkpoint (bad magic bytes)`);
  }
  const headerLength = buffer.readUInt32LE(8);
  if (12 + headerLength > buffer.length) throw new Error(`${source}: checkpoint is truncated (header runs past the end)`);
  const header = JSON.parse(buffer.toString('utf8', 12, 12 + headerLength));
  if (header.version !== VERSION) throw new Error(`${source}: checkpoint version ${header.version}, this build reads ${VERSION}`);
  const dataStart = 12 + headerLength;
  if (buffer.length !== dataStart + header.floatCount * 4) {
    throw new Error(`${source}: checkpoint is truncated (${buffer.length} bytes, expected ${dataStart + header.floatCount * 4})`);
  }
  const floats = new Float32Array(buffer.buffer.slice(buffer.byteOffset + dataStart, buffer.byteOffset + buffer.length));
  const params = new Map<string, tf.Tensor>();
  const optimizerState = new Map<string, tf.Tensor>();
  for (const entry of header.tensors as TensorEntry[]) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(floats.subarray(entry.offset, entry.offset + size), entry.shape);
    (entry.group === 'params' ? params : optimizerState).set(entry.name, tensor);
  }
  return {
    variant: header.variant,
    modelConfig: header.modelConfig,
    trainConfig: header.trainConfig,
    position: header.position,
    optimizerStep: header.optimizerStep,
    meta: header.meta ?? {},
    params,
    optimizerState,
  };
}

/** Reads a checkpoint file; the caller owns (and disposes) the returned tensors. */
export function loadCheckpoint(path: string): CheckpointContents {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    throw new Error(`${path}: cannot read checkpoint (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return decodeCheckpoint(buffer, path);
}

export function disposeCheckpoint(contents: CheckpointContents): void {
  for (const t of contents.params.values()) t.dispose();
  for (const t of contents.optimizerState.values()) t.dispose();
}
