import { InputError } from '../pipeline/errors.js';
import type { PiiSpan } from './pii-rules.js';
import { re2 } from '../annotate/linear-regex.js';

type Lint = (text: string, path: string) => Promise<Array<{ ruleId: string; messageId: string; range: readonly [number, number] }>>;

let linter: Promise<Lint> | null = null;

/**
 * secretlint's recommended preset (AWS, GCP, GitHub, Slack, npm, OpenAI,
 * Anthropic, SendGrid, Shopify, private keys, basic auth, DB connection
 * strings…): maintained provider rules we should not rewrite. Loaded lazily:
 * only a rebuild with the PII stage pays for it.
 */
function loadLinter(): Promise<Lint> {
  linter ??= (async () => {
    try {
      const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([
        import('@secretlint/core'),
        import('@secretlint/secretlint-rule-preset-recommend'),
        import('@secretlint/profiler'),
      ]);
      // secretlint's profiler puts a performance mark per rule per file and scans
      // every earlier mark on each (quadratic, never freed): on 8k files it cost
      // twice the whole rebuild after the stages had finished. We never read it.
      secretLintProfiler.mark = () => {};
      const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
      return async (text: string, path: string) => {
        const ext = path.includes('.') ? path.slice(path.lastIndexOf('.')) : '';
        const r = await lintSource({ source: { content: text, filePath: `/${path}`, ext, contentType: 'text' }, options: { config, maskSecrets: true } });
        return r.messages;
      };
    } catch (err) {
      throw new InputError('cannot load secretlint: run `npm install` (needs @secretlint/core and @secretlint/secretlint-rule-preset-recommend)', { cause: err });
    }
  })();
  return linter;
}

/** Maps secretlint's findings to spans: private keys, passwords (only the password part of a URL), everything else a key. */
export async function findSecretlintSpans(text: string, path: string): Promise<PiiSpan[]> {
  const lint = await loadLinter();
  const out: PiiSpan[] = [];
  for (const m of await lint(text, path)) {
    const [start, end] = m.range;
    const rule = m.ruleId.replace('@secretlint/secretlint-rule-', 'secretlint:');
    if (/privatekey/.test(m.ruleId)) out.push({ type: 'private-key', rule, start, end });
    else if (/basicauth|connection-string/.test(m.ruleId)) out.push(passwordPart(text, start, end, rule));
    else out.push({ type: 'key', rule, start, end });
  }
  return out;
}

/** In `scheme://user:pass@host`, only `pass` is the secret; the rest stays readable. */
function passwordPart(text: string, start: number, end: number, rule: string): PiiSpan {
  const m = re2(/:\/\/[^\s:/@]*:([^\s@]+)@/).exec(text.slice(start, end));
  if (!m) return { type: 'password', rule, start, end };
  const s = start + m.index + m[0].length - 1 - m[1]!.length;
  return { type: 'password', rule, start: s, end: s + m[1]!.length };
}
