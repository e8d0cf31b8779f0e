/**
 * The type and shape checkers of both IRs. Errors are values: `Left` holds every finding as an
 * `IrError` naming the node, its operator and the shapes or scales involved; `Right` gives the shape
 * (HLIL) or type (LLIL) of every value.
 */
export { checkHlil, type HlilInfo } from './check-hlil.js';
export { checkLlil, type LlilInfo } from './check-llil.js';
export type { IrError } from './diagnostic.js';
