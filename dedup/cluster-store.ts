import type { Db } from '../corpus/db.js';
import { requireCurrentGeneration } from '../corpus/generations.js';
import { inSnapshotSql, snapshotArgs, type RawSnapshot } from '../corpus/raw-snapshot.js';

export interface ClusterMemberInput {
  kind: 'near-duplicate' | 'contained-snippet';
  cluster: string;
  fileId: number;
  kept: boolean;
  similarity: number | null;
  family: string | null;
}

/** Buffered writer of cluster members for one generation. */
export function createClusterWriter(db: Db, genId: number): { write(m: ClusterMemberInput): void; flush(): void } {
  const ins = db.prepare(
    'INSERT OR REPLACE INTO dup_clusters (gen_id, kind, cluster, file_id, kept, similarity, family) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  let buf: ClusterMemberInput[] = [];
  const commit = db.transaction((rows: ClusterMemberInput[]) => {
    for (const m of rows) ins.run(genId, m.kind, m.cluster, m.fileId, m.kept ? 1 : 0, m.similarity, m.family);
  });
  const flush = (): void => {
    if (buf.length > 0) commit(buf);
    buf = [];
  };
  return {
    write(m) {
      buf.push(m);
      if (buf.length >= 1000) flush();
    },
    flush,
  };
}

export interface FamilyInput {
  repo: string;
  canonical: string;
  evidence: Record<string, unknown>;
}

export function writeFamilies(db: Db, genId: number, families: FamilyInput[]): void {
  const ins = db.prepare('INSERT OR REPLACE INTO dup_families (gen_id, repo, canonical, evidence) VALUES (?, ?, ?, ?)');
  db.transaction(() => families.forEach((f) => ins.run(genId, f.repo, f.canonical, JSON.stringify(f.evidence))))();
}

/**
 * Deletes cluster and family rows of generations that are neither retained
 * (complete) nor `genId` (the one being built): readers of a retained
 * generation keep theirs (retention itself is corpus/generations.ts's).
 */
export function pruneClusters(db: Db, genId: number): void {
  const dead = "SELECT id FROM generations WHERE status <> 'complete' AND id <> ?";
  db.transaction(() => {
    db.prepare(`DELETE FROM dup_clusters WHERE gen_id IN (${dead})`).run(genId);
    db.prepare(`DELETE FROM dup_families WHERE gen_id IN (${dead})`).run(genId);
  })();
}

/** Repository pairs sharing byte-identical current files, with per-repo file counts. */
export interface SharedFiles {
  pairs: Array<{ a: string; b: string; shared: number }>;
  files: Map<string, number>;
}

/**
 * Counts identical files between repositories from the raw layer. Blobs found in
 * more than `maxRepos` repositories (license texts, empty `__init__.py`) say
 * nothing about forking and would make the pair count quadratic, so they are skipped.
 */
export function countSharedFiles(db: Db, maxRepos = 16, snapshot?: RawSnapshot): SharedFiles {
  const args = snapshotArgs(snapshot);
  const pairs = db
    .prepare(
      `WITH common AS (
         SELECT sha256 FROM files f WHERE ${inSnapshotSql('f', snapshot)} AND sha256 IS NOT NULL
         GROUP BY sha256 HAVING count(DISTINCT repo_id) BETWEEN 2 AND ?)
       SELECT ra.name AS a, rb.name AS b, count(DISTINCT fa.sha256) AS shared
       FROM common c
       JOIN files fa ON fa.sha256 = c.sha256 AND ${inSnapshotSql('fa', snapshot)}
       JOIN files fb ON fb.sha256 = c.sha256 AND ${inSnapshotSql('fb', snapshot)} AND fb.repo_id > fa.repo_id
       JOIN repos ra ON ra.id = fa.repo_id JOIN repos rb ON rb.id = fb.repo_id
       GROUP BY fa.repo_id, fb.repo_id`,
    )
    .all(...args, maxRepos, ...args, ...args) as SharedFiles['pairs'];
  const files = new Map<string, number>();
  for (const r of db
    .prepare(`SELECT r.name AS repo, count(*) AS n FROM files f JOIN repos r ON r.id = f.repo_id WHERE ${inSnapshotSql('f', snapshot)} AND f.status = 'ok' GROUP BY r.id`)
    .all(...args) as Array<{ repo: string; n: number }>) {
    files.set(r.repo, r.n);
  }
  return { pairs, files };
}

export interface DupMember {
  id: string;
  repo: string;
  path: string;
  kept: boolean;
  /** Jaccard (near-duplicate) or containment (snippet) to the kept member. */
  similarity: number | null;
  /** Canonical repository of the member's fork family. */
  family: string | null;
}

export interface DupCluster {
  kind: 'near-duplicate' | 'contained-snippet';
  /** Doc id of the kept member. */
  cluster: string;
  size: number;
  kept: DupMember;
  members: DupMember[];
}

export interface DupFamily {
  canonical: string;
  members: Array<{ repo: string; evidence: Record<string, unknown> }>;
}

export interface DupReport {
  generation: number;
  clusters: DupCluster[];
  families: DupFamily[];
}

/** Duplicate clusters and fork families of the current generation, largest clusters first. */
export function getDupReport(db: Db, limit = Infinity): DupReport {
  const gen = requireCurrentGeneration(db);
  const rows = db
    .prepare(
      `SELECT c.kind, c.cluster, c.kept, c.similarity, c.family, f.doc_id AS id, r.name AS repo, f.path
       FROM dup_clusters c JOIN files f ON f.id = c.file_id JOIN repos r ON r.id = f.repo_id
       WHERE c.gen_id = ? ORDER BY c.kind, c.cluster, c.kept DESC, r.name, f.path`,
    )
    .all(gen.id) as Array<{ kind: DupCluster['kind']; cluster: string; kept: number; similarity: number | null; family: string | null; id: string; repo: string; path: string }>;
  const byKey = new Map<string, DupCluster>();
  for (const r of rows) {
    const member: DupMember = { id: r.id, repo: r.repo, path: r.path, kept: r.kept === 1, similarity: r.similarity, family: r.family };
    const key = `${r.kind}\0${r.cluster}`;
    const c = byKey.get(key);
    if (c) {
      c.members.push(member);
      c.size++;
    } else byKey.set(key, { kind: r.kind, cluster: r.cluster, size: 1, kept: member, members: [member] });
  }
  const clusters = [...byKey.values()].sort((a, b) => b.size - a.size || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.cluster < b.cluster ? -1 : 1));
  const families = new Map<string, DupFamily>();
  for (const f of db.prepare('SELECT repo, canonical, evidence FROM dup_families WHERE gen_id = ? ORDER BY canonical, repo').all(gen.id) as Array<{
    repo: string; canonical: string; evidence: string;
  }>) {
    let fam = families.get(f.canonical);
    if (!fam) families.set(f.canonical, (fam = { canonical: f.canonical, members: [] }));
    fam.members.push({ repo: f.repo, evidence: JSON.parse(f.evidence) as Record<string, unknown> });
  }
  return { generation: gen.id, clusters: clusters.slice(0, limit), families: [...families.values()] };
}
