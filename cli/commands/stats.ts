import { withCorpus } from '../with-corpus.js';
import { getCorpusStats, type CorpusStats } from '../../corpus/inspect.js';
import { formatFilterShares, formatFilterStats } from '../../filters/filter-report.js';
import { formatVerification } from '../../annotate/verify-report.js';

export async function statsCommand(opts: { db?: string; json?: boolean; generation?: number }): Promise<void> {
  await withCorpus(opts.db, { readonly: true }, async (db) => {
    const stats = getCorpusStats(db, opts.generation === undefined ? {} : { generation: opts.generation });
    process.stdout.write(opts.json ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
  });
}

const pct = (n: number, total: number): string => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : '0%');
const list = (rec: Record<string, number>): string =>
  Object.entries(rec)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** One line on raw changes the shown generation does not include (crawled during or after its rebuild). */
function formatPending(p: CorpusStats['pending']): string {
  if (!p) return '  raw changes since its snapshot: unknown (built before snapshots were recorded)';
  if (p.added === 0 && p.retired === 0) return `  raw changes not in generation ${p.generation}: none`;
  return `  raw changes not in generation ${p.generation}: ${p.added} new file rows, ${p.retired} retired (run \`incorpus rebuild\` to include them)`;
}

export function formatStats(s: CorpusStats): string {
  const r = s.raw;
  const out = [
    `raw: ${r.sources} sources, ${r.repos} repositories, ${r.files} files (${(r.bytes / 1e6).toFixed(2)} MB), ${r.storedBlobs} distinct blobs (${(r.compressedBytes / 1e6).toFixed(2)} MB compressed)`,
    `  crawl status: ${list(r.byCrawlStatus)}`,
  ];
  const g = s.generation;
  if (!g) {
    out.push('no corpus generation yet: run `incorpus rebuild`');
    return out.join('\n') + '\n';
  }
  out.push(`generation ${g.id} (built ${g.finishedAt}): ${g.seen} seen, ${g.kept} kept (${pct(g.kept, g.seen)}), ${g.dropped} dropped`);
  out.push(`  retained generations (why/export/stats --generation N): ${s.retained.join(', ') || 'none'}`);
  out.push(formatPending(s.pending));
  for (const [reason, n] of Object.entries(g.droppedBy).sort((a, b) => b[1] - a[1])) out.push(`  dropped ${reason}: ${n} (${pct(n, g.seen)})`);
  out.push(`  kept by domain: ${list(g.keptBy.domain)}`);
  out.push(`  kept by language: ${list(g.keptBy.lang)}`);
  for (const [domain, reasons] of Object.entries(g.droppedByDomain)) out.push(`  dropped in ${domain}: ${list(reasons)}`);
  out.push(...formatFilterStats(g.filters, g.kept), ...formatFilterShares(g.filters, g.keptBy.domain, g.droppedByDomain));
  out.push(...formatVerification(g.verification));
  return out.join('\n') + '\n';
}
