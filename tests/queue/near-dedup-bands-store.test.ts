import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers.js';
import { bandSourceOf, partitionCandidates, type BandParams, type SignedDoc } from '../../dedup/band-candidates.js';
import { bandExt, openPartitionInput, writeSignatureSet } from '../../queue/near-dedup-bands-store.js';
import { createRandom } from '../../pipeline/seeded-random.js';

/**
 * The per-band signature files of near-dedup's band partitions: a partition
 * reading only its own bands' key files (the other bands' files deleted) and
 * the signatures of its bucket members finds exactly the candidates the walk
 * over every full signature in memory finds, and reads a fraction of the set.
 */
const N = 2000;
const PERM = 128;
const BANDS = 32;
const ROWS = 4;

/** Mostly unique signatures, a few planted near-copies (so buckets, estimates and pairs near the threshold occur). */
function signatures(): SignedDoc[] {
  const rnd = createRandom('band-files');
  const docs: SignedDoc[] = [];
  for (let i = 0; i < N; i++) {
    const sig = new Uint32Array(PERM);
    const parent = i > 0 && rnd.int(20) === 0 ? docs[rnd.int(i)]!.sig : null;
    const keep = 0.5 + rnd.int(51) / 100;
    for (let p = 0; p < PERM; p++) sig[p] = parent && rnd.int(1000) < keep * 1000 ? parent[p]! : rnd.int(0x7fffffff);
    // Ordinals with gaps (documents without text are not banded) and repeated stable keys (the ordinal tie-break).
    docs.push({ ord: i * 3 + (i % 2), stable: rnd.int(200), sig });
  }
  return docs;
}

test('band files: a partition reads only its bands and its bucket members, and finds what the in-memory walk finds', () => {
  const dir = makeTempDir('incorpus-bandfiles-');
  const docs = signatures();
  const paths = { db: join(dir, 's.db'), docs: join(dir, 's.docs.bin'), band: (b: number) => join(dir, `s.${bandExt(b)}`) };
  const written = writeSignatureSet(paths, docs, BANDS, ROWS);
  assert.equal(written.docs, N);
  assert.equal(statSync(paths.band(5)).size, N * 8, 'one float64 key per document and band');
  const again = writeSignatureSet({ db: join(dir, 't.db'), docs: join(dir, 't.docs.bin'), band: (b) => join(dir, `t.${bandExt(b)}`) }, docs, BANDS, ROWS);
  assert.equal(again.digest, written.digest, 'the set is named by its content');
  assert.notEqual(writeSignatureSet({ db: join(dir, 'u.db'), docs: join(dir, 'u.docs.bin'), band: (b) => join(dir, `u.${bandExt(b)}`) }, docs, 16, 8).digest, written.digest, 'other LSH parameters, other band files, another name');
  const [first, last] = [8, 16];
  // Another partition's bands are not there at all: the job must not need them.
  for (let b = 0; b < BANDS; b++) if (b < first || b >= last) rmSync(paths.band(b));
  const reference = bandSourceOf(docs, BANDS, ROWS);
  const sigOf = new Map(docs.map((d) => [d.ord, d.sig]));
  for (const verify of ['none', 'estimate', 'hybrid', 'exact']) {
    const params: BandParams = { bands: BANDS, rows: ROWS, verify, threshold: 0.7, exactMargin: 0.05 };
    const collect = () => {
      const edges: Array<[number, number]> = [];
      const undecided: Array<[number, number]> = [];
      return { edges, undecided, sink: { edge: (a: number, b: number) => edges.push([a, b]), undecided: (a: number, b: number) => undecided.push([a, b]) } };
    };
    const want = collect();
    const wantCounts = partitionCandidates(reference, first, last, params, (o) => sigOf.get(o)!, want.sink);
    const got = collect();
    const input = openPartitionInput(paths.db, paths.docs, Object.fromEntries(Array.from({ length: last - first }, (_, i) => [first + i, paths.band(first + i)])));
    const gotCounts = partitionCandidates(input, first, last, params, (o) => input.signature(o), got.sink);
    input.close();
    assert.deepEqual(gotCounts, wantCounts, verify);
    assert.deepEqual(got.edges, want.edges, `${verify}: edges`);
    assert.deepEqual(got.undecided, want.undecided, `${verify}: undecided`);
    assert.ok(wantCounts.buckets > 10 && wantCounts.edges + wantCounts.undecided > 10, `${verify}: the planted copies collide (${JSON.stringify(wantCounts)})`);
    const bandBytes = (last - first) * N * 8 + N * 8;
    if (verify === 'none' || verify === 'exact') assert.equal(input.signaturesRead(), 0, `${verify} never reads a signature`);
    else assert.ok(input.signaturesRead() > 0 && input.signaturesRead() < N / 4, `${verify}: only bucket members' signatures (${input.signaturesRead()} of ${N})`);
    assert.equal(input.bytesRead(), bandBytes + input.signaturesRead() * PERM * 4, verify);
    // What every partition job used to read: every signature (the whole signature table).
    assert.ok(input.bytesRead() < (N * PERM * 4) / 2, `${verify}: read ${input.bytesRead()} bytes, a whole signature table is ${N * PERM * 4}`);
  }
});
