import type { Db } from './db.js';
import { requireCurrentGeneration } from './generations.js';

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
