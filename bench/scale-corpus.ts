/**
 * The corpus generator of bench:scale: N files from real Debian-packaged
 * sources nobody here wrote (yosys' and verilator's share, newlib, CUDA
 * headers, system headers, and linux-source when installed), written straight
 * into a corpus database as crawled repositories, with controlled duplicates:
 *  - original repositories (55 %): a contiguous slice of one source tree whose
 *    identifiers (and the path words that name them) carry a per-repository
 *    suffix — real code shape and size, content distinct from every other repository;
 *  - vendored copies (30 %): an original's files byte for byte (exact duplicates);
 *  - forks (15 %): an original with ~10 % of its files lightly edited (near
 *    duplicates: a line added, a number changed), fork parent recorded.
 * Deterministic (seeded PRNG), so every run and machine builds the same corpus.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openCorpus } from '../corpus/db.js';
import { beginCrawl, createRepoSnapshotWriter, finishCrawl, upsertRepo } from '../corpus/raw-store.js';
import { classifyContent } from '../crawlers/read-raw-file.js';
import { createRandom, type Random } from '../pipeline/seeded-random.js';

/** Bump when the generator changes: cached corpora of another version are rebuilt. */
export const GENERATOR_VERSION = 2;

const TREES = ['/usr/share/yosys', '/usr/share/verilator', '/usr/include/newlib', '/usr/lib/arm-none-eabi/include', '/usr/local/cuda/include', '/usr/include'];
const EXT = /\.(?:c|h|cc|cpp|hpp|cu|cuh|v|sv|svh|vh|vhd|vhdl|py|s|S|ld|tcl|mk)$|(?:^|\/)(?:Makefile|Kconfig)$/;
/** Files over this are left out of the pool: they would only slow generation (the validate stage drops > 1 MB anyway). */
const MAX_BASE_BYTES = 64 * 1024;

export interface SourceFile {
  tree: string;
  rel: string;
  abs: string;
}

/** Where linux-source's tarball is unpacked (once; 1.3 GB) when the package is installed. */
export function linuxTree(cacheDir: string): string | null {
  const tarball = existsSync('/usr/src') ? readdirSync('/usr/src').find((n) => /^linux-source-[\d.]+\.tar\.xz$/.test(n)) : undefined;
  if (!tarball) return null;
  const dest = join(cacheDir, tarball.replace(/\.tar\.xz$/, ''));
  if (!existsSync(join(dest, '.unpacked'))) {
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xJf', join('/usr/src', tarball), '-C', dest, '--strip-components=1', '--wildcards', '*.c', '*.h', '*.S', '*Makefile', '*Kconfig']);
    execFileSync('touch', [join(dest, '.unpacked')]);
  }
  return dest;
}

/** The real files the generator draws from, in a fixed order (tree, then path). */
export function loadSourcePool(cacheDir: string): { files: SourceFile[]; trees: string[]; missing: string[] } {
  const linux = linuxTree(cacheDir);
  const trees = [...TREES, ...(linux ? [linux] : [])].filter((t) => existsSync(t));
  const missing = [...TREES.filter((t) => !existsSync(t)), ...(linux ? [] : ['linux-source (apt-get install linux-source)'])];
  const files: SourceFile[] = [];
  for (const tree of trees) {
    const found: string[] = [];
    walk(tree, found);
    found.sort();
    for (const abs of found) files.push({ tree, rel: relative(tree, abs), abs });
  }
  return { files, trees, missing };
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && EXT.test(p) && statSync(p).size <= MAX_BASE_BYTES) out.push(p);
  }
}

/** Words no rename touches, so the code stays code (C, Verilog/SystemVerilog, Python, VHDL, assembler directives). */
const KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed ' +
    'sizeof static struct switch typedef union unsigned void volatile while bool true false nullptr class namespace template typename public private ' +
    'protected virtual operator new delete this include define ifdef ifndef endif elif undef pragma error line defined ' +
    'module endmodule input output inout wire reg logic always always_ff always_comb always_latch assign begin end posedge negedge parameter localparam ' +
    'generate endgenerate genvar initial function endfunction task endtask integer interface endinterface package endpackage import export modport ' +
    'typedef struct packed signed unsigned casez casex endcase or and not xor nand nor buf supply0 supply1 tri ' +
    'def return import from as pass None True False lambda yield with try except finally raise class global nonlocal assert in is ' +
    'entity architecture of is port signal process then elsif library use all others when downto to ' +
    '__global__ __device__ __host__ __shared__ __constant__ __restrict__ __forceinline__ __syncthreads threadIdx blockIdx blockDim gridDim ' +
    'section text data bss globl global word byte align type size'
  ).split(/\s+/),
);

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The same code under other names: every identifier (and path word) gets the repository's suffix. */
function rename(text: string, suffix: string): string {
  return text.replace(WORD, (w) => (KEYWORDS.has(w) || w.length < 3 ? w : `${w}_${suffix}`));
}

/** A light edit: a line added near the middle and one number changed (Jaccard stays well above 0.7 for real files). */
function edit(text: string, rnd: Random): string {
  const lines = text.split('\n');
  const at = rnd.int(Math.max(1, lines.length));
  lines.splice(at, 0, `// local change ${rnd.int(1_000_000)}`);
  const joined = lines.join('\n');
  return joined.replace(/\b\d+\b/, (n) => String(Number(n) + 1));
}

export interface GeneratedCorpus {
  files: number;
  bytes: number;
  repos: number;
  planted: { exactCopies: number; nearCopies: number };
}

interface Original {
  name: string;
  start: number;
  count: number;
  suffix: string;
}

/** Generates `target` files into a new corpus database at dbPath. */
export function generateCorpus(dbPath: string, pool: SourceFile[], target: number, onProgress: (files: number) => void = () => {}): GeneratedCorpus {
  const rnd = createRandom(`incorpus-bench-scale:${GENERATOR_VERSION}`);
  const db = openCorpus(dbPath);
  const out: GeneratedCorpus = { files: 0, bytes: 0, repos: 0, planted: { exactCopies: 0, nearCopies: 0 } };
  const originals: Original[] = [];
  try {
    while (out.files < target) {
      const kind = originals.length === 0 ? 'original' : pick(rnd, [['original', 0.55], ['vendored', 0.3], ['fork', 0.15]]);
      const count = Math.min(target - out.files, 20 + rnd.int(rnd.next() < 0.02 ? 20_000 : 1_500));
      const base: Original =
        kind === 'original'
          ? { name: `orig${out.repos}`, start: rnd.int(pool.length), count, suffix: out.repos.toString(36) }
          : { ...originals[rnd.int(originals.length)]! };
      const n = Math.min(count, base.count);
      const name = kind === 'original' ? `gen/${base.name}` : `gen/${kind}${out.repos}-of-${base.name}`;
      const { sourceId, crawlId } = beginCrawl(db, { kind: 'dir', uri: `scale://${name}` });
      const repoId = upsertRepo(db, sourceId, {
        name,
        stars: kind === 'original' ? rnd.int(5000) : rnd.int(50),
        forks: rnd.int(200),
        forkParent: kind === 'fork' ? `gen/${base.name}` : null,
        revisionTime: new Date(Date.UTC(2015 + rnd.int(10), rnd.int(12), 1 + rnd.int(28))).toISOString(),
      });
      const writer = createRepoSnapshotWriter(db, crawlId, repoId, name, 1000);
      for (let i = 0; i < n; i++) {
        const src = pool[(base.start + i) % pool.length]!;
        const raw = readFileSync(src.abs);
        const isText = !raw.includes(0) && isUtf8(raw);
        let text = isText ? rename(raw.toString('utf8'), base.suffix) : null;
        if (kind === 'vendored') out.planted.exactCopies++;
        if (kind === 'fork' && text !== null && rnd.next() < 0.1) {
          text = edit(text, rnd);
          out.planted.nearCopies++;
        } else if (kind === 'fork') out.planted.exactCopies++;
        // Binaries and invalid UTF-8 go in as they are: the crawl records them with a reason, as for real trees.
        const content = text === null ? raw : Buffer.from(text, 'utf8');
        const path = rename(src.rel, base.suffix);
        writer.add(classifyContent(path, content));
        out.files++;
        out.bytes += content.length;
        if (out.files % 10_000 === 0) onProgress(out.files);
      }
      finishCrawl(db, crawlId, 'complete', writer.finish());
      if (kind === 'original') originals.push({ ...base, count: n });
      out.repos++;
    }
  } finally {
    db.close();
  }
  return out;
}

function pick<T extends string>(rnd: Random, weights: Array<[T, number]>): T {
  let x = rnd.next();
  for (const [v, w] of weights) if ((x -= w) < 0) return v;
  return weights[weights.length - 1]![0];
}
