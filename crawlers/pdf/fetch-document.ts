import { InputError } from '../../pipeline/errors.js';
import { redactUrl } from '../crawl-git.js';
import { fetchBytes } from '../web/fetch-text.js';

export interface FetchOptions {
  /** Largest response body accepted. @default 256 MiB */
  maxBytes?: number;
  /** @default 120 s */
  timeoutMs?: number;
  /** @default 'incorpus (+https://github.com/) literature crawler' */
  userAgent?: string;
}

/**
 * Downloads a document over HTTP(S) with the web crawler's fetch (size cap
 * enforced while streaming, timeout); a failure is an InputError naming the URL.
 */
export async function fetchDocument(url: string, opts: FetchOptions = {}): Promise<Uint8Array> {
  const r = await fetchBytes(url, {
    maxBytes: opts.maxBytes ?? 256 * 1024 * 1024,
    timeoutMs: opts.timeoutMs ?? 120_000,
    userAgent: opts.userAgent ?? 'incorpus literature crawler',
    accept: 'application/pdf,*/*;q=0.8',
  });
  if (!r.ok) throw new InputError(r.reason.startsWith('cannot fetch') ? r.reason : `cannot fetch ${redactUrl(url)}: ${r.reason}`);
  return new Uint8Array(r.bytes);
}
