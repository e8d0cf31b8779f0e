/**
 * The `cryptflow` command: dispatch, help, and the one place where errors become exit codes.
 * Exit codes: 0 success, 1 a failure of the input (bad program, bad values, a bad config file),
 * 2 a usage error, 3 a result that may be wrong (`run`: harness/cli/safety.ts; --allow-unsafe makes
 * it a warning), 70 an internal error (a bug: the message says so; CRYPTFLOW_DEBUG=1 adds the stack).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CryptflowError, InvariantViolation } from '../../spec/errors.js';
import { printHlil, printLlil } from '../../ir/text.js';
import { loadProgram, programJson } from '../io/program.js';
import { flagHelp, getBoolean, getString, parseArgs, type FlagSpec, type ParsedArgs } from './args.js';
import { compile, COMPILE_FLAGS, emittedProgram, reportLines } from './compile.js';
import { EVAL_FLAGS, evaluate, formatEval } from './eval.js';
import { printRun, RUN_FLAGS, runCommand, runFlags, writeOutput } from './run.js';
import { UNSAFE_EXIT, UnsafeResult } from './safety.js';
import { COST_FLAGS, costModel, formatCost } from './cost.js';
import { formatSweep, runScale, SCALE_FLAGS, writePlot } from './scale.js';
import { TABLES_FLAGS, tablesCommand } from './tables.js';
import { ZOO_FLAGS, zooCommand } from './zoo.js';
import { printSecrecy, SECRECY_FLAGS, secrecyCommand } from './secrecy.js';
import { PARTY_FLAGS, partyCommand } from './party.js';
import { CERTS_FLAGS, certsCommand } from './certs.js';
import { SERVE_CLIENT_FLAGS, serveClientCommand } from './serve-client.js';
import { STATS_FLAGS, statsCommand } from './stats.js';
import { DATA_FLAGS, dataCommand } from './data.js';
import { VALIDATE_FLAGS, validateCommand } from './validate.js';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** How many positional arguments: exactly, or [min, max]. */
  readonly positional: number | readonly [number, number];
  readonly run: (args: ParsedArgs, io: Io) => void;
}

const PRINT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { kind: 'boolean', help: 'print the JSON form instead of the text syntax' },
  out: { kind: 'string', help: 'write to FILE instead of standard output' },
};

function writeOut(out: string, text: string): void {
  try {
    writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
  } catch (e) {
    throw new CryptflowError('input', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
}

function emit(args: ParsedArgs, io: Io, text: string): void {
  const out = getString(args, 'out');
  if (out === undefined) io.out(text);
  else writeOut(out, text);
}

const COMMANDS: Readonly<Record<string, Command>> = {
  run: {
    usage:
      'cryptflow run MODEL --input FILE [--backend porthos|securenn|cryptflow2|cryptflow2-he|malicious|ideal|plaintext|ideal2|plaintext2] [--scale S --bitlen L --conv-policy paper|reshaped|im2col] ' +
      '[--input-range lo..hi --max-failure P --allow-unsafe] [--seed S] [--labels FILE] [--mean M --std S --layout nchw|nhwc --flatten] ' +
      '[--processes | --threads | --one-thread | --check-views] [--out FILE.npy] [--quiet] [--json] [--corrupt P<i>[:strategy]] [HLIL pass flags as for compile]',
    summary:
      'secure inference: compile MODEL, share the input (client) and weights (server), run the parties (3, or 2 for cryptflow2), reveal to the client; exit 3 if the output may be wrong',
    flags: RUN_FLAGS,
    positional: 1,
    run: async (args, io) => {
      const { json, quiet } = runFlags(args);
      const outcome = await runCommand(args.positional[0] as string, args, quiet ? null : io.err);
      io.out(printRun(outcome, json));
      const out = getString(args, 'out');
      if (out !== undefined) io.err(writeOutput(out, outcome.result));
      if (outcome.issues.length === 0) return;
      if (!outcome.allowUnsafe) throw new UnsafeResult(outcome.issues);
      for (const i of outcome.issues) io.err(`warning (--allow-unsafe): the result may be wrong: ${i.message}`);
    },
  },
  eval: {
    usage: 'cryptflow eval PROGRAM --input FILE [--fixed --scale S --bitlen L] [--kernels wasm|reference] [--json]',
    summary: 'run an HLIL or LLIL program under its float32 or fixed-point semantics',
    flags: EVAL_FLAGS,
    positional: 1,
    run: (args, io) => {
      const report = evaluate(args.positional[0] as string, args);
      io.out(getBoolean(args, 'json') ? JSON.stringify(report) : formatEval(report));
    },
  },
  check: {
    usage: 'cryptflow check PROGRAM',
    summary: 'parse and type-check a program (text or JSON); report every error with its node',
    flags: {},
    positional: 1,
    run: (args, io) => {
      const path = args.positional[0] as string;
      const loaded = loadProgram(path);
      const p = loaded.program;
      const ring = loaded.ir === 'llil' ? ` over Z_2^${loaded.program.ell}` : '';
      io.out(
        `${path}: well-typed ${loaded.ir.toUpperCase()}${ring}: ${p.decls.length} declarations, ${p.nodes.length} nodes, ${p.outputs.length} outputs`,
      );
    },
  },
  print: {
    usage: 'cryptflow print PROGRAM [--json] [--out FILE]',
    summary: 'check a program and print it in the text syntax or the JSON form',
    flags: PRINT_FLAGS,
    positional: 1,
    run: (args, io) => {
      const loaded = loadProgram(args.positional[0] as string);
      const text = getBoolean(args, 'json')
        ? programJson(loaded.program)
        : loaded.ir === 'hlil'
          ? printHlil(loaded.program)
          : printLlil(loaded.program);
      emit(args, io, text);
    },
  },
  compile: {
    usage:
      'cryptflow compile MODEL [--scale S --bitlen L --emit hlil|llil|json -o FILE] [--placement eager|lazy --input-range lo..hi] ' +
      '[--weights FILE | --batch N | --input-shape NAME=AxB…] [--paper | --no-const-fold --no-bn-precompute --fold-bn --no-bn-expand --no-relu-maxpool --no-dead-nodes] [--no-secrecy-report]',
    summary:
      'compile a model (ONNX, TF GraphDef, TF.js, or HLIL) to LLIL at one scale; print it with its range and secrecy reports',
    flags: COMPILE_FLAGS,
    positional: 1,
    run: (args, io) => {
      const r = compile(args.positional[0] as string, args);
      const { text, json } = emittedProgram(r, args);
      const report = reportLines(r);
      const out = getString(args, 'out');
      if (out !== undefined) {
        writeOut(out, text);
        io.out(report.join('\n'));
      } else if (json) {
        io.out(text);
        io.err(report.join('\n'));
      } else {
        io.out(`${text}${report.map((l) => `# ${l}`).join('\n')}`);
      }
    },
  },
  scale: {
    usage:
      'cryptflow scale MODEL --calibration DIR|FILE [--range 8..24] [--plot FILE.svg] [--json] [--bitlen L --placement eager|lazy ' +
      '--input-range lo..hi --max-failure P] [--weights FILE] [HLIL pass flags as for compile]',
    summary: 'scale selection: compile at each scale, measure fixed vs float on calibration inputs, pick the best',
    flags: SCALE_FLAGS,
    positional: 1,
    run: (args, io) => {
      const sweep = runScale(args.positional[0] as string, args);
      writePlot(args, sweep);
      io.out(getBoolean(args, 'json') ? JSON.stringify(sweep) : formatSweep(sweep));
    },
  },
  cost: {
    usage:
      'cryptflow cost MODEL [--backend porthos|securenn|cryptflow2|cryptflow2-he|malicious] [--conv-policy paper|reshaped|im2col] [--scale S --bitlen L] [--per-layer] [--json] [HLIL pass flags as for compile]',
    summary:
      "a model's communication (bytes per party and link, rounds) from the backend's closed forms, without running it",
    flags: COST_FLAGS,
    positional: 1,
    run: (args, io) => {
      const r = costModel(args.positional[0] as string, args);
      io.out(getBoolean(args, 'json') ? JSON.stringify(r) : formatCost(r));
    },
  },
  tables: {
    usage: 'cryptflow tables [--json] [--out DIR]',
    summary: "the paper's Table 2 communication (ResNet50, DenseNet121; Porthos vs SecureNN) next to ours",
    flags: TABLES_FLAGS,
    positional: 0,
    run: (args, io) => io.out(tablesCommand(args)),
  },
  secrecy: {
    usage:
      'cryptflow secrecy MODEL|PROGRAM [--json] [--policy FILE] [--scale S --bitlen L --placement eager|lazy] [--weights FILE | --batch N | --input-shape NAME=AxB…] [HLIL pass flags as for compile]',
    summary:
      'the secrecy analysis alone: each input with its owner, each output with whom it is revealed to, or where a secret would leak',
    flags: SECRECY_FLAGS,
    positional: 1,
    run: (args, io) => {
      const o = secrecyCommand(args.positional[0] as string, args);
      io.out(printSecrecy(o, getBoolean(args, 'json')));
      if (o.error !== null) throw o.error;
    },
  },
  party: {
    usage:
      'cryptflow party --role client|server|helper --config parties.json [--model MODEL (server) | --input FILE [FILE…] (client)] ' +
      '[--backend … --scale S --bitlen L --conv-policy … (server)] [--accept B,… --labels FILE --mean M --std S --layout nchw|nhwc --flatten (client)] [--seed S] [--json] [--quiet]',
    summary:
      'one party of a deployment on its own machine: TCP with mutual TLS to the other two; the server serves every request of the session',
    flags: PARTY_FLAGS,
    positional: [0, 10_000],
    run: (args, io) => partyCommand(args, io),
  },
  'serve-client': {
    usage: 'cryptflow serve-client --config parties.json [--host H --port N] [--labels FILE] [--web DIR] [--seed S]',
    summary:
      "the hospital's gateway: serves the client's page (npm run build:web), which runs the client party in the browser over wss:// to the server and the helper",
    flags: SERVE_CLIENT_FLAGS,
    positional: 0,
    run: async (args, io) => {
      const gw = await serveClientCommand(args, io.err);
      await new Promise<void>((done) => {
        const stop = (): void => void gw.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  },
  certs: {
    usage:
      'cryptflow certs --out DIR [--hosts P0,P1,P2 --ports 7001,7002] [--parties 2] [--days N] | cryptflow certs --out DIR --party client|server|helper [--hosts NAME]',
    summary:
      'certificates for a deployment: a throw-away authority and the three party certificates, or one self-signed party certificate',
    flags: CERTS_FLAGS,
    positional: 0,
    run: (args, io) => io.out(certsCommand(args)),
  },
  zoo: {
    usage: 'cryptflow zoo list [--json] | cryptflow zoo export NAME -o FILE.onnx [--seed S] [--force]',
    summary: 'the model zoo: list its networks, or write one as an ONNX file (MODEL arguments also take zoo:NAME)',
    flags: ZOO_FLAGS,
    positional: [1, 2],
    run: (args, io) => io.out(zooCommand(args)),
  },
  stats: {
    usage:
      'cryptflow stats roc FILE.csv --label COL --score COL [--score COL2] [--json] | cryptflow stats ks FILE.csv --a COL --b COL [--json]',
    summary:
      'statistics on a CSV of scores: AUROC with DeLong SE and CI and the paired DeLong test, or the two-sample Kolmogorov–Smirnov test',
    flags: STATS_FLAGS,
    positional: 2,
    run: (args, io) => io.out(statsCommand(args)),
  },
  data: {
    usage: 'cryptflow data synth --kind cxr|ct [--sites 7 --per-site 20 --seed S --size S] --out DIR',
    summary:
      'a labelled SYNTHETIC multi-site data set (chest-X-ray-like images with pathologies, or CT-like volumes with organ masks) for validate',
    flags: DATA_FLAGS,
    positional: 1,
    run: (args, io) => io.out(dataCommand(args)),
  },
  validate: {
    usage:
      'cryptflow validate MODEL --data DIR [--backend B] [--labels-file F] [--sites] [--out DIR] [--workers N] [--resume] [--seed S] [--quiet] [--json]',
    summary:
      'a validation study: every image secure and in plaintext; AUROC with DeLong tests, KS, Dice, per site; report.html, report.json, scores.csv',
    flags: VALIDATE_FLAGS,
    positional: 1,
    run: async (args, io) => {
      const r = await validateCommand(args, getBoolean(args, 'quiet') ? null : io.err);
      if (getString(args, 'shard') === undefined) io.out(getBoolean(args, 'json') ? r.json : r.text);
    },
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export function helpText(): string {
  const lines = [
    `cryptflow ${version()} — CrypTFlow secure inference toolchain (TypeScript reference implementation)`,
    '',
    'Usage: cryptflow COMMAND [ARGS]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`),
    '  help      show this help, or `cryptflow help COMMAND` for one command',
    '',
    'Programs are HLIL or LLIL files in the text syntax (first line `hlil` or `llil ell=N`) or the JSON',
    'form. Input files are JSON objects mapping input names to arrays of numbers. A MODEL (compile,',
    'scale, cost, run) is an ONNX file (.onnx), a frozen TensorFlow GraphDef (.pb), a TensorFlow.js model.json, or',
    'an HLIL program with its server weights in a --weights file, or zoo:NAME (see `cryptflow zoo list`).',
    '`run` takes the client input as JSON, a NumPy .npy array, or a PNG/PGM image (resized bilinearly to',
    "the model's input and scaled to [0, 1]; see `cryptflow help run`). `npm start` runs the default model.",
  ];
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  const flags = flagHelp(c.flags);
  return `${c.usage}\n\n${c.summary}${flags ? `\n\nOptions:\n${flags}` : ''}`;
}

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const topic = rest[0];
      const c = topic === undefined ? undefined : COMMANDS[topic];
      if (topic !== undefined && c === undefined) throw new CryptflowError('usage', `unknown command '${topic}'`);
      io.out(c === undefined ? helpText() : commandHelp(c));
      return 0;
    }
    if (name === '--version' || name === 'version') {
      io.out(version());
      return 0;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new CryptflowError('usage', `unknown command '${name}' (try \`cryptflow help\`)`);
    if (rest.includes('--help')) {
      io.out(commandHelp(command));
      return 0;
    }
    const args = parseArgs(rest, command.flags);
    const [lo, hi] =
      typeof command.positional === 'number' ? [command.positional, command.positional] : command.positional;
    if (args.positional.length < lo || args.positional.length > hi) {
      throw new CryptflowError(
        'usage',
        `expected ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${args.positional.length}\nusage: ${command.usage}`,
      );
    }
    await Promise.resolve(command.run(args, io));
    return 0;
  } catch (e) {
    if (e instanceof UnsafeResult) {
      io.err(`cryptflow: error: ${e.message}`);
      return UNSAFE_EXIT;
    }
    if (e instanceof CryptflowError) {
      io.err(`cryptflow: error: ${e.message}`);
      return e.code === 'usage' ? 2 : 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`cryptflow: ${e instanceof InvariantViolation ? '' : 'internal error (please report): '}${message}`);
    if (process.env['CRYPTFLOW_DEBUG'] === '1' && e instanceof Error && e.stack) io.err(e.stack);
    return 70;
  }
}
