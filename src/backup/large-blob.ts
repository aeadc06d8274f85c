// A largeBlob as CXF 1.0 carries it (Fido2LargeBlob: size, alg, data): DEFLATE (RFC 1951,
// raw, as CTAP2.1 §9.2 stores large blobs) of the blob, and the blob's size before it.

import { LARGE_BLOB_MAX_BYTES } from '../authenticator/types';

export interface CxfLargeBlob {
  /** the blob's size, uncompressed */
  size: number;
  alg: 'deflate';
  /** the compressed blob */
  data: Uint8Array;
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array | undefined> {
  const writer = stream.writable.getWriter();
  void writer.write(Uint8Array.from(bytes)).then(() => writer.close()).catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    // A hostile file's "zip bomb" stops here rather than filling memory.
    if (length > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export async function packLargeBlob(blob: Uint8Array): Promise<CxfLargeBlob> {
  const data = await through(blob, new CompressionStream('deflate-raw'), Number.MAX_SAFE_INTEGER);
  return { size: blob.length, alg: 'deflate', data: data! };
}

/** The blob, or undefined when it does not inflate to `size` bytes within Latchkey's limit. */
export async function unpackLargeBlob(packed: CxfLargeBlob): Promise<Uint8Array | undefined> {
  if (packed.size > LARGE_BLOB_MAX_BYTES) return undefined;
  try {
    const blob = await through(packed.data, new DecompressionStream('deflate-raw'), packed.size);
    return blob && blob.length === packed.size ? blob : undefined;
  } catch {
    return undefined;
  }
}
