import { redactUrl } from '../crawl-git.js';

export interface FetchTextOptions {
  /** @default 'incorpus' */
  userAgent?: string;
  /** @default 30 s */
  timeoutMs?: number;
  /** Responses longer than this are cut off and reported as too large. @default 8 MiB */
  maxBytes?: number;
}

export type FetchTextResult =
  | { ok: true; status: number; url: string; contentType: string; text: string }
  | { ok: false; status: number | null; reason: string };

export type FetchBytesResult =
  | { ok: true; status: number; url: string; contentType: string; bytes: Buffer }
  | { ok: false; status: number | null; reason: string };

const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8';

/** GET a URL as text (see fetchBytes). Never throws. */
export async function fetchText(url: string, opts: FetchTextOptions = {}): Promise<FetchTextResult> {
  const r = await fetchBytes(url, { ...opts, accept: HTML_ACCEPT });
  if (!r.ok) return r;
  return { ok: true, status: r.status, url: r.url, contentType: r.contentType, text: r.bytes.toString('utf8') };
}

/**
 * GET a URL with a timeout and a size cap enforced while streaming (a lying
 * Content-Length cannot blow the budget). Never throws: network errors, HTTP
 * errors and oversize bodies come back with a reason so a crawl can record
 * them and go on. Shared by the web and PDF crawlers.
 */
export async function fetchBytes(url: string, opts: FetchTextOptions & { accept?: string } = {}): Promise<FetchBytesResult> {
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  let res: Response;
  try {
    res = await fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      headers: { 'user-agent': opts.userAgent ?? 'incorpus', accept: opts.accept ?? '*/*' },
    });
  } catch (err) {
    return { ok: false, status: null, reason: `cannot fetch ${redactUrl(url)}: ${(err as Error).cause ? String((err as { cause: Error }).cause.message) : (err as Error).message}` };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, status: res.status, reason: `HTTP ${res.status}` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        return { ok: false, status: res.status, reason: `response over the ${maxBytes}-byte cap` };
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    return { ok: false, status: res.status, reason: `download failed: ${(err as Error).message}` };
  }
  return { ok: true, status: res.status, url: res.url || url, contentType: res.headers.get('content-type') ?? '', bytes: Buffer.concat(chunks) };
}
