// NumPy arrays from .npy files (format versions 1–3) and .npz archives (a zip of .npy files,
// unzipped with fflate). Little-endian numeric dtypes only; Fortran order is refused.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { shapeText } from './arrays.js';

export interface NpyArray {
  shape: number[];
  dtype: string;
  /** The values as numbers (integers exact up to 2^53). */
  data: Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
}

const DTYPES: Record<string, { bytes: number; make: (buf: ArrayBuffer, offset: number, n: number) => NpyArray['data'] }> = {
  f4: { bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  f8: { bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  u1: { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  i1: { bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  b1: { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  i2: { bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  u2: { bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  i4: { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  u4: { bytes: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  // int64 labels are common (NumPy's default integer); read the low words, checked below.
  i8: { bytes: 8, make: (b, o, n) => Float64Array.from(new BigInt64Array(b, o, n), Number) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error(`${source}: not a NumPy .npy file (no \\x93NUMPY magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeField = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr == null || fortran == null || shapeField == null) throw new Error(`${source}: unreadable .npy header ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') throw new Error(`${source}: Fortran-ordered array; save it with np.ascontiguousarray(x) first`);
  const shape = shapeField.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const kind = descr.replace(/^[<|=]/, '');
  const dtype = DTYPES[kind];
  if (dtype == null || descr.startsWith('>')) {
    throw new Error(`${source}: dtype ${descr} is not supported; expected little-endian float32/float64, (u)int8/16/32, int64 or bool`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset < count * dtype.bytes) throw new Error(`${source}: header says shape ${shapeText(shape)} of ${descr} but the file is truncated`);
  // A copy into a fresh buffer, aligned for the element size (a Buffer's slice would be a view into Node's pool).
  const body = new Uint8Array(count * dtype.bytes);
  body.set(bytes.subarray(offset, offset + count * dtype.bytes));
  return { shape, dtype: kind, data: dtype.make(body.buffer, 0, count) };
}

/** The arrays of a .npy (under the name "arr_0") or .npz file, by name. */
export function readNpyArrays(path: string): Record<string, NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!path.toLowerCase().endsWith('.npz')) return { arr_0: parseNpy(bytes, path) };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(`${path}: not a readable .npz archive (${(error as Error).message})`);
  }
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name.replace(/\.npy$/, ''), parseNpy(data, `${path}:${name}`)]));
}
