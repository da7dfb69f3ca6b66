import { InputError } from '../../corpus/errors.js';
import { redactUrl } from '../crawl-git.js';

export interface FetchOptions {
  /** Largest response body accepted. @default 256 MiB */
  maxBytes?: number;
  /** @default 120 s */
  timeoutMs?: number;
  /** @default 'incorpus (+https://github.com/) literature crawler' */
  userAgent?: string;
}

/**
 * Downloads a document over HTTP(S) with a size cap enforced while streaming
 * (a lying Content-Length cannot blow the budget) and a timeout.
 */
export async function fetchDocument(url: string, opts: FetchOptions = {}): Promise<Uint8Array> {
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  let res: Response;
  try {
    res = await fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
      headers: { 'user-agent': opts.userAgent ?? 'incorpus literature crawler' },
    });
  } catch (err) {
    throw new InputError(`cannot fetch ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok || !res.body) throw new InputError(`cannot fetch ${redactUrl(url)}: HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new InputError(`${redactUrl(url)} is over the ${maxBytes}-byte download cap`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
