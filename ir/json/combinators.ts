/**
 * Transitional: the io-ts kit moved to spec/codec.ts (the codec rule, docs/ARCHITECTURE.md). This file
 * only re-exports it for the importers that other branches are editing at the same time
 * (harness/network/tcp/config.ts, harness/party/setup.ts, harness/party/stats.ts); once those import
 * spec/codec.js directly, delete it.
 */
export { byTag, decodeWith, DecimalBigInt, Float32Values, reportErrors } from '../../spec/codec.js';
