/**
 * Messages the sender hands over: a protocol step that builds a message in a fresh array and never
 * touches it again marks it with `handOver` when sending, and a transport that would otherwise copy
 * the bytes (the worker-thread endpoint, harness/runner/party-thread.ts, copies every message so that
 * it can transfer the copy's buffer) may move the array's buffer instead. The bytes sent are the
 * same; only a copy of each such message (up to n·ℓ bytes in PrivateCompare and the deals) is saved.
 * A mark covers whole buffers only: an array that is a view into a larger buffer is never moved.
 */
const handed = new WeakSet<ArrayBufferLike>();

/** Marks `bytes` as not used again by its sender (when it spans its whole buffer); returns it. */
export function handOver(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) handed.add(bytes.buffer);
  return bytes;
}

/** Whether the transport may move `bytes`' buffer instead of copying it. */
export function isHandedOver(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return (
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    handed.has(bytes.buffer)
  );
}
