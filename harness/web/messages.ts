/**
 * The messages between the page (page.ts, the interface) and its worker (worker.ts, the client party).
 * The worker runs the party because a page's main thread may not compile the wasm kernels
 * synchronously, and so that the page stays responsive while the protocol runs.
 */

/** Page → worker: classify these image bytes (they never leave the worker except as shares). */
export interface RunRequest {
  readonly type: 'run';
  readonly image: ArrayBuffer;
}

export interface ProgramInfo {
  readonly model: string;
  readonly backend: string;
  readonly parties: number;
  readonly nodes: number;
  /** Operator counts of the public program, e.g. Conv × 2. */
  readonly ops: readonly (readonly [string, number])[];
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly ell: number;
  readonly scale: number;
  /** How the image was turned into the input (local; never sent). */
  readonly preprocessing: string;
}

export interface ResultInfo {
  readonly output: readonly number[];
  readonly outputShape: readonly number[];
  readonly classIndex: number | null;
  readonly label: string | null;
  /** Protocol payload this party sent and received (exact, from the meter). */
  readonly sentPayload: number;
  readonly receivedPayload: number;
  /** What this page put on its WebSockets (frames and WebSocket headers; TLS is the browser's). */
  readonly sentWire: number;
  /** The whole run's computation-phase payload, every link (`cryptflow run --json`'s bytes.total). */
  readonly totalPayload: number;
  /** The computation-phase payload per directed link ('P0->P1', …), as `cryptflow run --json` has it. */
  readonly links: Readonly<Record<string, number>>;
  /** Input sharing and the output's reveal, per link (not in `links`). */
  readonly ioLinks: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export type WorkerMessage =
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'program'; readonly program: ProgramInfo }
  | {
      readonly type: 'progress';
      readonly index: number;
      readonly total: number;
      readonly op: string;
      readonly name: string;
      readonly bytes: number;
      readonly elapsed: number;
    }
  | { readonly type: 'result'; readonly result: ResultInfo }
  | { readonly type: 'error'; readonly message: string };
