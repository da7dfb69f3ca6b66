import { pack } from 'tar-stream';
import { createGzip } from 'node:zlib';

/** One tar entry as the tests want to plant it, hostile or not. */
export interface TarEntrySpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device';
  content?: string | Buffer;
  /** For a big entry: this many zero bytes, streamed (never held in memory). */
  zeros?: number;
  linkname?: string;
}

/** Builds a .tar.gz in memory with tar-stream + zlib, as GitHub's codeload would serve it. */
export async function buildTarGz(entries: TarEntrySpec[]): Promise<Buffer> {
  const p = pack();
  const gz = createGzip({ level: 6 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((ok, fail) => {
    gz.on('end', ok);
    gz.on('error', fail);
  });
  p.pipe(gz);
  for (const e of entries) await addEntry(p, e);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function addEntry(p: ReturnType<typeof pack>, e: TarEntrySpec): Promise<void> {
  const type = e.type ?? 'file';
  if (e.zeros !== undefined) {
    await new Promise<void>((ok, fail) => {
      const s = p.entry({ name: e.name, size: e.zeros, type: 'file', mode: 0o644 }, (err) => (err ? fail(err) : ok()));
      const block = Buffer.alloc(1 << 20);
      let left = e.zeros!;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, block.length);
          left -= n;
          if (!s.write(n === block.length ? block : block.subarray(0, n))) {
            s.once('drain', pump);
            return;
          }
        }
        s.end(Buffer.alloc(0));
      };
      pump();
    });
    return;
  }
  await new Promise<void>((ok, fail) => {
    const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname ? { linkname: e.linkname } : {}) };
    if (type === 'file') p.entry(header, e.content ?? '', (err) => (err ? fail(err) : ok()));
    else p.entry(header, (err) => (err ? fail(err) : ok()));
  });
}

/** The tree of a repository as GitHub's tarball lays it out: `owner-repo-sha7/` first. */
export function repoTarEntries(fullName: string, sha: string, files: Record<string, string | Buffer>): TarEntrySpec[] {
  const top = `${fullName.replace('/', '-')}-${sha.slice(0, 7)}`;
  return [
    { name: `${top}/`, type: 'directory' },
    ...Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([path, content]) => ({ name: `${top}/${path}`, content })),
  ];
}
