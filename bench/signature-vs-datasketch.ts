/**
 * Near-dedup signatures per core, ours against datasketch, side by side on the
 * same real files in one run (bench:scale). datasketch comes from its own
 * source, never from this repository: its directory is given with
 * `--datasketch DIR` or INCORPUS_DATASKETCH (it needs numpy and scipy for
 * /usr/bin/python3: Debian's python3-numpy, python3-scipy). Absent, that
 * column is skipped and the run says so.
 *
 * Both sides do the same work: code tokens (our CODE_TOKEN_RE; Python's `re`
 * with the same pattern), 5-token shingles, 256 hash values per file.
 * datasketch: `MinHash(num_perm=256).update_batch(shingles)` (sha1 per
 * shingle, numpy for the 256 permutations). Ours: the default one-permutation
 * signature, and 256-permutation MinHash for reference. One core each.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CODE_TOKEN_RE } from '../dedup/code-tokens.js';
import { signText, type SignConfig } from '../dedup/near-dedup-task.js';

const PY = `
import json, re, sys, time
sys.path.insert(0, sys.argv[1])
from datasketch import MinHash
paths = json.load(open(sys.argv[2]))
pattern = re.compile(sys.argv[3])
texts = [open(p, encoding='utf-8', errors='replace').read() for p in paths]
t0 = time.perf_counter(); sig_s = 0.0
for text in texts:
    toks = pattern.findall(text)
    n = max(1, len(toks) - 4)
    shingles = {' '.join(toks[i:i + 5]).encode('utf-8') for i in range(n)} if toks else set()
    t1 = time.perf_counter()
    m = MinHash(num_perm=256)
    m.update_batch(list(shingles))
    sig_s += time.perf_counter() - t1
total = time.perf_counter() - t0
print(json.dumps({"total_s": total, "sig_s": sig_s}))
`;

export interface SignatureComparison {
  files: number;
  bytes: number;
  oursOphMBps: number;
  oursMinhashMBps: number;
  datasketch: { totalMBps: number; signaturesOnlyMBps: number } | null;
  skipped: string | null;
}

export function compareSignatures(paths: string[], datasketchDir: string | null): SignatureComparison {
  const texts = paths.map((p) => readFileSync(p, 'utf8'));
  const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const base: Omit<SignConfig, 'signature'> = { shingleSize: 5, numPerm: 256, seed: 1, bands: 25, rows: 10 };
  const time = (signature: string): number => {
    const c = { ...base, signature };
    for (const t of texts.slice(0, 50)) signText(t, c); // warm-up: JIT
    const t0 = performance.now();
    for (const t of texts) signText(t, c);
    return performance.now() - t0;
  };
  const mbps = (ms: number): number => bytes / 1e6 / (ms / 1000);
  const out: SignatureComparison = { files: texts.length, bytes, oursOphMBps: mbps(time('oph')), oursMinhashMBps: mbps(time('minhash')), datasketch: null, skipped: null };
  if (!datasketchDir || !existsSync(join(datasketchDir, 'datasketch', 'minhash.py'))) {
    out.skipped = `datasketch not given (--datasketch DIR or INCORPUS_DATASKETCH: a checkout of github.com/ekzhu/datasketch)`;
    return out;
  }
  const dir = mkdtempSync(join(tmpdir(), 'incorpus-ds-'));
  try {
    writeFileSync(join(dir, 'paths.json'), JSON.stringify(paths));
    writeFileSync(join(dir, 'bench.py'), PY);
    // Python's re has no `u` flag; \S is Unicode-aware on str already.
    const r = JSON.parse(execFileSync('/usr/bin/python3', [join(dir, 'bench.py'), datasketchDir, join(dir, 'paths.json'), CODE_TOKEN_RE.source], { encoding: 'utf8', maxBuffer: 1 << 20 })) as {
      total_s: number;
      sig_s: number;
    };
    out.datasketch = { totalMBps: bytes / 1e6 / r.total_s, signaturesOnlyMBps: bytes / 1e6 / r.sig_s };
  } catch (err) {
    out.skipped = `datasketch failed to run: ${(err as Error).message.split('\n')[0]} (needs numpy and scipy: apt-get install python3-numpy python3-scipy)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
