import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { makeTempDir } from '../helpers.js';
import { bandSourceOf, partitionCandidates, type BandParams, type SignedDoc } from '../../dedup/band-candidates.js';
import { bandKeys, estimateJaccard } from '../../dedup/minhash.js';
import { createDedupScratch } from '../../dedup/minhash-store.js';
import { clusterBands, clusterCandidates } from '../../dedup/near-dedup-cluster.js';
import type { SignedCorpus } from '../../dedup/near-dedup-sign.js';
import { SnippetIndex } from '../../dedup/cross-source.js';
import { UnionFind } from '../../dedup/union-find.js';
import { createRandom } from '../../pipeline/seeded-random.js';

/**
 * The band-partition path of near-dedup's pass 2 (what `rebuild --queue` runs
 * in jobs) against the in-process clusterBands on the same signatures: the
 * same clusters for every verify mode and every split of the bands, however
 * uneven. Signatures are planted families (each member copies a share of its
 * parent's positions), so buckets, rejections and pairs near the threshold all occur.
 */
const N = 400;
const PERM = 64;
const BANDS = 16;
const ROWS = 4;

function plantedSignatures(seed: string): { sigs: Uint32Array[]; stable: Uint32Array } {
  const rnd = createRandom(seed);
  const sigs: Uint32Array[] = [];
  for (let i = 0; i < N; i++) {
    const sig = new Uint32Array(PERM);
    const parent = i > 0 && rnd.int(3) > 0 ? sigs[rnd.int(i)]! : null;
    // Shares from 0.5 to 1.0 of the parent's positions: estimates on both sides of 0.7.
    const keep = 0.5 + rnd.int(51) / 100;
    for (let p = 0; p < PERM; p++) sig[p] = parent && rnd.int(1000) < keep * 1000 ? parent[p]! : rnd.int(0x7fffffff);
    sigs.push(sig);
  }
  // Few distinct stable keys: ties, so the ordinal tie-break is exercised too.
  const stable = Uint32Array.from({ length: N }, () => rnd.int(50));
  return { sigs, stable };
}

function signedCorpus(stable: Uint32Array): SignedCorpus {
  const uf = new UnionFind();
  for (let i = 0; i < N; i++) uf.add();
  return { count: N, uf, stableKey: stable, snippets: new SnippetIndex(0.8), repos: new Map(), banded: new Uint8Array(N).fill(1) };
}

/** Each ordinal's smallest fellow member: equal arrays, equal clusters. */
const components = (uf: UnionFind): number[] => {
  const min = new Map<number, number>();
  for (let i = 0; i < N; i++) if (!min.has(uf.find(i))) min.set(uf.find(i), i);
  return Array.from({ length: N }, (_, i) => min.get(uf.find(i))!);
};

test('band partitions: the same clusters as clusterBands for every verify mode and band split', () => {
  const dir = makeTempDir('incorpus-bands-');
  const db = new Database(join(dir, 'c.db'));
  const { sigs, stable } = plantedSignatures('bands');
  // A deterministic stand-in for exact Jaccard that disagrees with the estimate near the threshold.
  const exact = (a: number, b: number): number => estimateJaccard(sigs[a]!, sigs[b]!) + (((a * 31 + b * 17) % 7) - 3) / 100;
  for (const verify of ['none', 'estimate', 'hybrid', 'exact']) {
    const params: BandParams = { bands: BANDS, rows: ROWS, verify, threshold: 0.7, exactMargin: 0.05 };
    const scratch = createDedupScratch(db, 1);
    for (let i = 0; i < N; i++) {
      scratch.addDoc(i, '{}', sigs[i]!, null);
      scratch.addBands(i, bandKeys(sigs[i]!, BANDS, ROWS));
    }
    const inProcess = signedCorpus(stable);
    const estimate = (a: number, b: number): number => estimateJaccard(sigs[a]!, sigs[b]!);
    const check = verify === 'none' ? null : verify === 'estimate' ? estimate : verify === 'exact' ? exact
      : (a: number, b: number) => (Math.abs(estimate(a, b) - 0.7) <= 0.05 ? exact(a, b) : estimate(a, b));
    clusterBands(scratch, inProcess, 0.7, check);
    scratch.dispose();
    const expected = components(inProcess.uf);
    assert.ok(new Set(expected).size < N * 0.8, `${verify}: the planted families cluster (${new Set(expected).size} clusters)`);
    const docs = (): SignedDoc[] => sigs.map((sig, ord) => ({ ord, stable: stable[ord]!, sig }));
    for (const cuts of [[0, BANDS], [0, 8, BANDS], [0, 1, 6, 7, BANDS], Array.from({ length: BANDS + 1 }, (_, i) => i)]) {
      const edges: Array<[number, number]> = [];
      const undecided: Array<[number, number]> = [];
      let asked = 0;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const c = partitionCandidates(bandSourceOf(docs(), BANDS, ROWS), cuts[i]!, cuts[i + 1]!, params, (ord) => sigs[ord]!, { edge: (a, b) => edges.push([a, b]), undecided: (a, b) => undecided.push([a, b]) });
        asked += c.undecided;
      }
      if (verify === 'hybrid') assert.ok(asked > 0, 'some pairs lie near the threshold');
      const distributed = signedCorpus(stable);
      // Partitions finish in any order: apply them reversed, the components must not care.
      clusterCandidates(distributed, { edges: () => edges.slice().reverse(), undecided: () => undecided.slice().reverse() }, 0.7, verify === 'exact' || verify === 'hybrid' ? exact : null);
      assert.deepEqual(components(distributed.uf), expected, `${verify}, bands cut at ${cuts.join(',')}`);
    }
  }
  db.close();
});
