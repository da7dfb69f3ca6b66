/**
 * A hash table from 64-bit keys (the first 16 hex digits of a sha256) to
 * non-negative int32 values, open addressing in typed arrays: 12 bytes per
 * slot at load ≤ 0.5, so a million distinct documents cost ~24 MB, never an
 * object per document. A hand-written table because a JS Map of string keys
 * costs ~100 bytes per entry and its GC pressure grows with the corpus.
 * 64 bits, as datatrove's exact dedup hashes: at 10⁶ distinct keys a false
 * match has probability ~n²/2⁶⁵ ≈ 3·10⁻⁸.
 */
export class HashIndex {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  private vals = new Int32Array(1 << 12).fill(-1);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(hex: string, salt = 0): number {
    const [h, l] = split(hex, salt);
    const mask = this.vals.length - 1;
    for (let i = slotOf(h, l, mask); ; i = (i + 1) & mask) {
      const v = this.vals[i]!;
      if (v < 0) return -1;
      if (this.hi[i] === h && this.lo[i] === l) return v;
    }
  }

  set(hex: string, value: number, salt = 0): void {
    const [h, l] = split(hex, salt);
    if ((this.count + 1) * 2 > this.vals.length) this.grow();
    this.insert(h, l, value);
  }

  private insert(h: number, l: number, value: number): void {
    const mask = this.vals.length - 1;
    for (let i = slotOf(h, l, mask); ; i = (i + 1) & mask) {
      if (this.vals[i]! < 0) {
        this.hi[i] = h;
        this.lo[i] = l;
        this.vals[i] = value;
        this.count++;
        return;
      }
      if (this.hi[i] === h && this.lo[i] === l) {
        this.vals[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { hi, lo, vals } = this;
    this.hi = new Uint32Array(vals.length * 2);
    this.lo = new Uint32Array(vals.length * 2);
    this.vals = new Int32Array(vals.length * 2).fill(-1);
    this.count = 0;
    for (let i = 0; i < vals.length; i++) if (vals[i]! >= 0) this.insert(hi[i]!, lo[i]!, vals[i]!);
  }
}

function split(hex: string, salt: number): [number, number] {
  return [(Number.parseInt(hex.slice(0, 8), 16) ^ salt) >>> 0, Number.parseInt(hex.slice(8, 16), 16) >>> 0];
}

/** The key's bits are already uniform (sha256): the low word picks the slot. */
function slotOf(_h: number, l: number, mask: number): number {
  return l & mask;
}
