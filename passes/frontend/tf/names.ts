/**
 * HLIL names for TensorFlow values. TF node names may use characters HLIL names do not allow
 * ('-', '>', a leading digit or '.'); each node gets one sanitised name, unique in the program and
 * fixed before translation, which names the node's result in TF's layout (names that are already
 * valid keep themselves; a sanitised name that collides gets a suffix _1, _2, …). Helper values the
 * translation adds are named `<node>:<role>` (':' never occurs in TF node names, so helper names
 * cannot collide with node names), e.g. `conv1:nchw` for conv1's result in channels-first layout.
 */
const UNSAFE = /[^A-Za-z0-9_./]/g;

export function sanitize(tfName: string): string {
  const s = tfName.replace(UNSAFE, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

export class Names {
  private readonly own = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly claimed = new Set<string>();

  constructor(tfNames: readonly string[]) {
    const valid = tfNames.filter((n) => sanitize(n) === n);
    const others = tfNames.filter((n) => sanitize(n) !== n);
    for (const n of [...valid, ...others]) {
      const base = sanitize(n);
      let name = base;
      for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
      this.own.set(n, name);
      this.taken.add(name);
    }
  }

  /** The sanitised name reserved for TF node `tfName`. */
  of(tfName: string): string {
    return this.own.get(tfName) ?? sanitize(tfName);
  }

  /** The node's own name the first time; later calls (same node, other role) get a fresh helper name. */
  claim(tfName: string): string {
    const name = this.of(tfName);
    if (!this.claimed.has(name)) {
      this.claimed.add(name);
      return name;
    }
    return this.fresh(`${name}:value`);
  }

  /** `want` if no value has that name yet, else `want_1`, `want_2`, …. */
  fresh(want: string): string {
    let name = want;
    for (let k = 1; this.taken.has(name); k++) name = `${want}_${k}`;
    this.taken.add(name);
    return name;
  }
}
