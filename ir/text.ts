/**
 * The text syntax of both IRs: printers and parsers (ir/text/*). parse(print(p)) deep-equals p.
 */
export { printHlil, printLlil, showLType } from './text/print.js';
export { parseHlil, parseLlil, type ParseError } from './text/parse.js';
export { showFloat32 } from './text/numbers.js';
