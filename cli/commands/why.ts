import { withCorpus } from '../with-corpus.js';
import { InputError } from '../../pipeline/errors.js';
import { explainDoc, type DocExplanation } from '../../corpus/inspect.js';
import { formatKeptFilterDetails } from '../../filters/filter-report.js';
import { formatVerifyDetails } from '../../annotate/verify-report.js';

export async function whyCommand(key: string, opts: { db?: string; json?: boolean; generation?: number }): Promise<void> {
  await withCorpus(opts.db, { readonly: true }, async (db) => {
    const e = explainDoc(db, key, opts.generation === undefined ? {} : { generation: opts.generation });
    if (!e) throw new InputError(`no document ${JSON.stringify(key)} in the corpus (ids come from export records or \`incorpus stats\`; or use repo:path)`);
    process.stdout.write(opts.json ? JSON.stringify(e, null, 2) + '\n' : formatWhy(e));
  });
}

export function formatWhy(e: DocExplanation): string {
  const lines = [
    `${e.repo}:${e.path} (id ${e.id})`,
    `  source: ${e.source.kind} ${e.source.uri}${e.source.ref ? ` @ ${e.source.ref}` : ''}${e.commit ? ` (commit ${e.commit})` : ''}`,
    `  crawled: ${e.size} bytes, ${e.crawl.status}${e.crawl.reason ? ` — ${e.crawl.reason}` : ''}${e.sha256 ? `, sha256 ${e.sha256}` : ''}${e.crawl.current ? '' : ' (superseded by a later crawl)'}`,
  ];
  if (e.literature) lines.push(formatLiterature(e.literature), ...formatOcrFixes(e.literature.details));
  const v = e.verdict;
  if (!v) {
    lines.push(
      e.generation === null
        ? '  verdict: none (no rebuild yet)'
        : `  verdict: none in generation ${e.generation} (crawled after its rebuild started: the next rebuild decides it)`,
    );
  } else if (v.verdict === 'keep') {
    lines.push(`  verdict: KEPT in generation ${v.generation} as ${v.lang}/${v.domain}${v.details?.domainEvidence ? ` (domain evidence: ${String(v.details.domainEvidence)})` : ''}`);
    lines.push(...formatKeptFilterDetails(v.details));
    lines.push(...formatVerifyDetails(v.details));
  } else {
    lines.push(`  verdict: DROPPED in generation ${v.generation} by ${v.stage}: ${v.reason}`);
    const d = v.details ?? {};
    if (d.duplicateOf) lines.push(`  duplicate of: ${String(d.repo)}:${String(d.path)} (id ${String(d.duplicateOf)}), the copy the keep rule chose`);
    const rest = Object.entries(d).filter(([k]) => !['duplicateOf', 'repo', 'path'].includes(k));
    if (rest.length > 0) lines.push(`  details: ${rest.map(([k, val]) => `${k}=${JSON.stringify(val)}`).join(', ')}`);
    lines.push(`  language/domain: ${v.lang}/${v.domain}`);
  }
  return lines.join('\n') + '\n';
}

/** The corrections made to an OCR'd snippet (ocr/code-corrections.ts), one line for all of them. */
function formatOcrFixes(details: Record<string, unknown>): string[] {
  const fixes = Array.isArray(details.ocrFixes) ? (details.ocrFixes as Array<{ kind?: string; line: number; from: string; to: string }>) : [];
  if (fixes.length === 0) return [];
  const shown = fixes.slice(0, 8).map((f) => `${f.kind ?? 'confusion'} line ${f.line}: ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`);
  return [`  ocr corrections: ${shown.join('; ')}${fixes.length > 8 ? `; and ${fixes.length - 8} more` : ''}`];
}

/** One line of snippet provenance: document, pages, how it was read, caption and validity. */
function formatLiterature(l: NonNullable<DocExplanation['literature']>): string {
  const where = l.pages ? `page ${l.pages} of ${l.document}` : l.document;
  const box = l.boxes.length > 0 ? `, box ${JSON.stringify(l.boxes[0])}` : '';
  const caption = l.caption ? `, caption ${JSON.stringify(l.caption)}` : '';
  const validity = l.validity === null ? 'no grammar' : `validity ${l.validity}`;
  return `  extracted: ${where} (${l.method}${box})${caption}; ${l.lang ?? 'unknown'}, ${validity}`;
}
