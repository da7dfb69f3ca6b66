/** A bounded LRU of decoded texts by content hash: context files are re-read from the store when evicted. */
export interface TextCache {
  get(sha256: string, load: () => string | null): string | null;
  readonly bytes: number;
}

/** Holds at most `maxBytes` of text (UTF-16 length × 2), evicting the least recently used. */
export function createTextCache(maxBytes: number): TextCache {
  const entries = new Map<string, string>();
  let bytes = 0;
  return {
    get(sha, load) {
      const hit = entries.get(sha);
      if (hit !== undefined) {
        entries.delete(sha);
        entries.set(sha, hit);
        return hit;
      }
      const text = load();
      if (text === null) return null;
      entries.set(sha, text);
      bytes += text.length * 2;
      while (bytes > maxBytes && entries.size > 1) {
        const [k, v] = entries.entries().next().value as [string, string];
        entries.delete(k);
        bytes -= v.length * 2;
      }
      return text;
    },
    get bytes() {
      return bytes;
    },
  };
}
