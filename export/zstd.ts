export interface Zstd {
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}
let zstdLoaded: Promise<Zstd> | null = null;

/** The zstd wasm module, loaded once and only when zstd is asked for (Node 20's zlib has no zstd). */
export function loadZstd(): Promise<Zstd> {
  zstdLoaded ??= (async () => {
    type Module = Zstd & { init(): Promise<void> };
    const imported = (await import('@bokuweb/zstd-wasm')) as unknown as Module & { default?: Module };
    // A CommonJS package: its functions sit on `default` when Node cannot detect the named exports.
    const mod = imported.default ?? imported;
    await mod.init();
    return mod;
  })();
  return zstdLoaded;
}
