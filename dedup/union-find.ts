import { doubled } from './typed-grow.js';

/**
 * Union-find over dense document ordinals in growable typed arrays: 8 bytes per
 * document, so clustering a million documents needs ~8 MB, never an object per
 * document (the memory blow-up users report from dict-based clustering).
 * Union by size, path halving. The representative is the smaller ordinal of the
 * two roots' union only by accident; callers must not rely on which root wins.
 */
export class UnionFind {
  private parent: Int32Array = new Int32Array(1024);
  private sizes: Int32Array = new Int32Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Adds one singleton and returns its ordinal. */
  add(): number {
    if (this.n === this.parent.length) {
      this.parent = doubled(this.parent);
      this.sizes = doubled(this.sizes);
    }
    this.parent[this.n] = this.n;
    this.sizes[this.n] = 1;
    return this.n++;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Joins the sets of x and y; returns false when they were already one. */
  union(x: number, y: number): boolean {
    let a = this.find(x);
    let b = this.find(y);
    if (a === b) return false;
    if (this.sizes[a]! < this.sizes[b]! || (this.sizes[a] === this.sizes[b] && a > b)) [a, b] = [b, a];
    this.parent[b] = a;
    this.sizes[a] = this.sizes[a]! + this.sizes[b]!;
    return true;
  }

  /** Size of x's set. */
  sizeOf(x: number): number {
    return this.sizes[this.find(x)]!;
  }
}
