/**
 * The protocols' entry of build/kernels.wasm (scripts/build-wasm.js compiles it beside the semantics'
 * entry, semantics/kernels/wasm/assembly/index.ts, into one module with one memory): PrivateCompare's
 * per-bit Z_p work, table-driven rejection sampling of Z_p bytes and the Fisher–Yates permutations
 * (compare.ts), the OT-based linear layers' packing, vector-COT and accumulation loops (otmul.ts), and
 * the malicious backend's Z_{2^m} products for m ≤ 128 (ring128.ts, loaded by
 * protocols/kernels/ring128.ts). Called through protocols/kernels/wasm.ts; the plain TypeScript
 * references they are tested against live beside the protocols that use them (private-compare.ts,
 * prg.ts, arith.ts, kernels/otmul.ts, malicious3/ring.ts).
 */
export { compareMessage, permute, sampleBytes } from './compare';
export { accumulateTerms, bitsAt, packWords, unpackWords, vcotCorrect, vcotOutput } from './otmul';
export { mulRing128, productRing128 } from './ring128';
