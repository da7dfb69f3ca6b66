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

const GITHUB_URL = /github\.com[/:]([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?(?=[\s/"'#)]|$)/g;

const DEPENDENCY_FILE = /^(?:\.gitmodules|west\.ya?ml|bender\.ya?ml|ips_list\.ya?ml|cmakelists\.txt|platformio\.ini|library\.json|idf_component\.ya?ml|requirements[\w.-]*\.txt|cargo\.toml|package\.json)$/;

/** `owner/repo` slugs referenced by one file, by its name. */
export function dependencyRefs(path: string, text: string, githubHost = 'github.com'): string[] {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const out = new Set<string>();
  if (DEPENDENCY_FILE.test(base) || base.endsWith('.core')) {
    for (const m of text.matchAll(hostPattern(githubHost))) out.add(`${m[1]}/${m[2]}`);
  }
  if (base.endsWith('.core')) for (const s of fusesocProviders(text)) out.add(s);
  if (/^west\.ya?ml$/.test(base)) for (const s of westProjects(text, githubHost)) out.add(s);
  return [...out].filter((s) => !s.endsWith('/.') && !s.endsWith('/..'));
}

function hostPattern(host: string): RegExp {
  return host === 'github.com' ? new RegExp(GITHUB_URL.source, 'g') : new RegExp(GITHUB_URL.source.replace('github\\.com', host.replace(/\./g, '\\.')), 'g');
}

/** FuseSoC: `provider:` followed by indented `name: github`, `user: X`, `repo: Y`. */
function fusesocProviders(text: string): string[] {
  const out: string[] = [];
  const blocks = text.split(/^\s*provider\s*:\s*$/m).slice(1);
  for (const block of blocks) {
    const field = (k: string) => new RegExp(`^\\s+${k}\\s*:\\s*["']?([\\w.-]+)["']?\\s*$`, 'm').exec(block.split(/^\S/m)[0] ?? '')?.[1];
    if (field('name') === 'github' && field('user') && field('repo')) out.push(`${field('user')}/${field('repo')}`);
  }
  return out;
}

/** west: remotes map a name to `url-base: https://github.com/owner`; a project is `name` (+ `repo-path`) on a remote. */
function westProjects(text: string, host: string): string[] {
  const items = text.split(/^\s*-\s+/m).map((chunk) => {
    const get = (k: string) => new RegExp(`(?:^|\\n)\\s*${k}\\s*:\\s*["']?([^\\s"']+)`).exec(chunk)?.[1];
    return { name: get('name'), urlBase: get('url-base'), remote: get('remote'), repoPath: get('repo-path') };
  });
  const owners = new Map<string, string>();
  for (const it of items) {
    const m = it.name && it.urlBase ? new RegExp(`${host.replace(/\./g, '\\.')}/([A-Za-z0-9-]+)/?$`).exec(it.urlBase) : null;
    if (m && it.name) owners.set(it.name, m[1]!);
  }
  const out: string[] = [];
  for (const it of items) {
    const owner = it.remote ? owners.get(it.remote) : undefined;
    if (owner && it.name) out.push(`${owner}/${it.repoPath ?? it.name}`);
  }
  return out;
}
