import { detectLanguage, type Lang } from '../../annotate/detect-language.js';
import { UsageError } from '../../pipeline/errors.js';

/**
 * Which tarball entries are read at all, decided on the path alone (the content
 * is not there yet): `all`, `known` (any language incorpus tells apart, plus
 * extensionless files that may carry a shebang), or a list of languages.
 * Files recall and license detection need are always kept, whatever the filter.
 */
export type LangFilter = 'all' | 'known' | ReadonlySet<Lang>;

// .gitmodules, FuseSoC .core and west.yml feed expansion recall; LICENSE/COPYING/NOTICE feed license detection.
const ALWAYS = /(?:^|\/)(?:\.gitmodules|west\.ya?ml|platformio\.ini|[^/]+\.core|(?:LICEN[CS]E|COPYING|NOTICE)[^/]*)$/i;

export function parseLangFilter(value: string): LangFilter {
  const v = value.trim();
  if (v === 'all' || v === 'known') return v;
  const langs = v.split(',').map((s) => s.trim()).filter(Boolean) as Lang[];
  if (langs.length === 0) throw new UsageError(`--langs expects all, known or a comma-separated language list, got "${value}"`);
  return new Set(langs);
}

export function createPathFilter(filter: LangFilter): (path: string) => boolean {
  if (filter === 'all') return () => true;
  return (path) => {
    if (ALWAYS.test(path)) return true;
    const lang = detectLanguage(path, '');
    if (filter === 'known') return lang !== 'unknown' || !path.slice(path.lastIndexOf('/') + 1).includes('.');
    return filter.has(lang);
  };
}
