/**
 * The host platform of this build (types.ts): Node here; the browser bundle resolves this import to
 * browser.ts instead (scripts/build-web.ts).
 */
export { platform } from './node.js';
export type { Keystream, Platform, X25519Pair } from './types.js';
