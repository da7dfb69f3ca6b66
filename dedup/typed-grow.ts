/** A typed array of twice the length holding `a`'s values first: amortized O(1) appends for the dedup tables. */
export function doubled<T extends Uint8Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
