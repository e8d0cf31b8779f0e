/**
 * The TensorFlow frontends: frozen GraphDefs (`graphDefToHlil`) and TF.js graph models
 * (`tfjsToHlil`), sharing one translation of TF's operators into HLIL (translate.ts), with TF's
 * channels-last layouts converted to HLIL's channels-first at the boundary. See
 * proofs-notes/frontend-tf.md for the operator table and what is preserved.
 */
export { graphDefToHlil } from './graphdef.js';
export { tfjsToHlil } from './tfjs.js';
export { TF_OPERATORS, type TfImportOptions } from './translate.js';
export { encodeGraphDefJson } from './schema.js';
