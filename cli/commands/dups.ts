import { withCorpus } from '../with-corpus.js';
import { getDupReport, type DupReport } from '../../dedup/cluster-store.js';

export async function dupsCommand(opts: { db?: string; json?: boolean; limit?: number }): Promise<void> {
  await withCorpus(opts.db, { readonly: true }, async (db) => {
    const report = getDupReport(db, opts.limit ?? Infinity);
    process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatDups(report));
  });
}

export function formatDups(r: DupReport): string {
  const out = [`generation ${r.generation}: ${r.clusters.length} duplicate clusters, ${r.families.length} repository families`];
  for (const f of r.families) {
    out.push(`family of ${f.canonical} (canonical):`);
    for (const m of f.members) {
      const why = m.evidence.forkOf ? `fork of ${String(m.evidence.forkOf)}` : m.evidence.sharedWith ? `shares ${String(m.evidence.shared)} files (${String(m.evidence.share)}) with ${String(m.evidence.sharedWith)}` : '';
      out.push(`  ${m.repo}${m.repo === f.canonical ? ' (canonical)' : ''}${why ? ` — ${why}` : ''}`);
    }
  }
  for (const c of r.clusters) {
    out.push(`${c.kind} cluster ${c.cluster}: ${c.size} members, kept ${c.kept.repo}:${c.kept.path}`);
    for (const m of c.members) {
      const sim = m.kept ? 'kept' : `${c.kind === 'near-duplicate' ? 'jaccard' : 'containment'} ${m.similarity ?? '?'}`;
      out.push(`  ${m.kept ? '*' : '-'} ${m.repo}:${m.path} (${m.id}, ${sim})`);
    }
  }
  return out.join('\n') + '\n';
}
