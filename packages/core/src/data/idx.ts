// IDX file parsing (the MNIST distribution format, LeCun et al. 1998): big-endian header
// with a magic number giving element type and rank, then the dimensions, then raw data.
import { readFileSync } from 'node:fs';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an unsigned-byte IDX buffer; `source` names the file in errors. */
export function parseIdx(buffer: Uint8Array, source: string, expectedRank: number): IdxArray {
  if (buffer.length < 4) throw new Error(`${source}: not an IDX file (only ${buffer.length} bytes)`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const zeros = view.getUint16(0);
  const type = view.getUint8(2);
  const rank = view.getUint8(3);
  if (zeros !== 0 || type !== UBYTE || rank !== expectedRank) {
    const magic = `0x${view.getUint32(0).toString(16).padStart(8, '0')}`;
    const want = `0x00000${(UBYTE << 8 | expectedRank).toString(16).padStart(3, '0')}`;
    throw new Error(`${source}: bad IDX magic number ${magic}, expected ${want} (unsigned bytes, rank ${expectedRank})`);
  }
  const headerBytes = 4 + 4 * rank;
  if (buffer.length < headerBytes) throw new Error(`${source}: truncated IDX header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = buffer.length - headerBytes;
  if (actual !== expected) {
    throw new Error(`${source}: IDX header says ${dims.join('x')} = ${expected} bytes of data but the file has ${actual}`);
  }
  return { dims, data: buffer.subarray(headerBytes) };
}

export function readIdxFile(path: string, expectedRank: number): IdxArray {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read IDX file (${code ?? String(error)})`);
  }
  return parseIdx(buffer, path, expectedRank);
}
