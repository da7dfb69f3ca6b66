/**
 * Repository references in the dependency files industrial projects use:
 * git submodules (`.gitmodules`), FuseSoC cores (`*.core`, a `provider:` section
 * naming a GitHub user and repo), Zephyr west manifests (`west.yml`: remotes
 * with a `url-base`, projects with a `remote` and optional `repo-path`), plus any
 * plain `github.com/owner/repo` URL in those files and in the other manifests
 * that pin repositories by URL: Bender (PULP), ips_list, CMake FetchContent,
 * PlatformIO, ESP-IDF components, requirements, Cargo, package.json. Line-based on purpose: these
 * files are small and often not valid YAML, and a parser crash would lose the rest.
 */
import { re2 } from '../../annotate/linear-regex.js';
import { parseRepoSlug } from '../github/repo-metadata.js';

const GITHUB_URL = /github\.com[/:]([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?(?=[\s/"'#)]|$)/g;

const DEPENDENCY_FILE = /^(?:\.gitmodules|west\.ya?ml|bender\.ya?ml|ips_list\.ya?ml|cmakelists\.txt|platformio\.ini|library\.json|idf_component\.ya?ml|requirements[\w.-]*\.txt|cargo\.toml|package\.json)$/;

/** `owner/repo` slugs referenced by one file, by its name; only names valid by GitHub's slug rules. */
export function dependencyRefs(path: string, text: string, githubHost = 'github.com'): string[] {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const out = new Set<string>();
  if (DEPENDENCY_FILE.test(base) || base.endsWith('.core')) {
    for (const m of text.matchAll(hostPattern(githubHost))) out.add(`${m[1]}/${m[2]}`);
  }
  if (base.endsWith('.core')) for (const s of fusesocProviders(text)) out.add(s);
  if (/^west\.ya?ml$/.test(base)) for (const s of westProjects(text, githubHost)) out.add(s);
  return [...out].filter(isGithubSlug);
}

function isGithubSlug(s: string): boolean {
  try {
    parseRepoSlug(s);
    return true;
  } catch {
    return false;
  }
}

function hostPattern(host: string): RegExp {
  return host === 'github.com' ? new RegExp(GITHUB_URL.source, 'g') : re2(new RegExp(GITHUB_URL.source.replace('github\\.com', host.replace(/\./g, '\\.')), 'g'));
}

/** `key: value` lines (indented or list items); the first value of each key wins. */
function yamlFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const m of text.matchAll(/^[ \t]*([\w-]+)[ \t]*:[ \t]*["']?([^\s"']+)/gm)) if (!fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
  return fields;
}

/** FuseSoC: `provider:` followed by indented `name: github`, `user: X`, `repo: Y`. */
function fusesocProviders(text: string): string[] {
  const out: string[] = [];
  const blocks = text.split(/^[ \t]*provider[ \t]*:[ \t]*$/m).slice(1);
  for (const block of blocks) {
    const f = yamlFields(block.split(/^\S/m)[0] ?? '');
    if (f.get('name') === 'github' && f.get('user') && f.get('repo')) out.push(`${f.get('user')}/${f.get('repo')}`);
  }
  return out;
}

/** west: remotes map a name to `url-base: https://github.com/owner`; a project is `name` (+ `repo-path`) on a remote. */
function westProjects(text: string, host: string): string[] {
  const items = text.split(/^[ \t]*-[ \t]+/m).map((chunk) => {
    const f = yamlFields(chunk);
    return { name: f.get('name'), urlBase: f.get('url-base'), remote: f.get('remote'), repoPath: f.get('repo-path') };
  });
  const owners = new Map<string, string>();
  for (const it of items) {
    const owner = it.name && it.urlBase ? ownerOfUrlBase(it.urlBase, host) : null;
    if (owner && it.name) owners.set(it.name, owner);
  }
  const out: string[] = [];
  for (const it of items) {
    const owner = it.remote ? owners.get(it.remote) : undefined;
    if (owner && it.name) out.push(`${owner}/${it.repoPath ?? it.name}`);
  }
  return out;
}

/** `https://github.com/owner` (or `…/owner/`) → `owner`; anything else → null. */
function ownerOfUrlBase(urlBase: string, host: string): string | null {
  try {
    const u = new URL(urlBase);
    const parts = u.pathname.split('/').filter(Boolean);
    return u.hostname === host && parts.length === 1 ? parts[0]! : null;
  } catch {
    return null;
  }
}
