import { createRequire } from 'node:module';
import { fetchText, type FetchTextOptions } from './fetch-text.js';

export interface RobotsPolicy {
  /** Whether the user agent may fetch this URL. */
  allowed(url: string): Promise<boolean>;
  /** The host's Crawl-delay for this user agent, in milliseconds (0 when none). */
  delayMs(url: string): Promise<number>;
}

/** The part of robots-parser's Robot used here (its typings do not resolve under NodeNext). */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => Robot;

/**
 * robots.txt per origin, fetched once (robots-parser does the matching:
 * longest match, Allow beats Disallow on ties, `*` and `$` wildcards). Per
 * RFC 9309 §2.3.1: a 4xx means no restrictions, an unreachable robots.txt
 * (5xx, network error) means the whole host is disallowed.
 */
export function createRobotsPolicy(userAgent: string, fetchOpts: FetchTextOptions = {}): RobotsPolicy {
  const byOrigin = new Map<string, Promise<Robot | 'allow-all' | 'disallow-all'>>();
  const robotFor = (url: string): Promise<Robot | 'allow-all' | 'disallow-all'> => {
    const origin = new URL(url).origin;
    let p = byOrigin.get(origin);
    if (!p) {
      const robotsUrl = `${origin}/robots.txt`;
      p = fetchText(robotsUrl, { ...fetchOpts, userAgent, maxBytes: 500 * 1024 }).then((r) => {
        if (r.ok) return robotsParser(robotsUrl, r.text);
        if (r.status !== null && r.status >= 400 && r.status < 500) return 'allow-all' as const;
        return 'disallow-all' as const;
      });
      byOrigin.set(origin, p);
    }
    return p;
  };
  return {
    async allowed(url) {
      const robot = await robotFor(url);
      if (robot === 'allow-all') return true;
      if (robot === 'disallow-all') return false;
      return robot.isAllowed(url, userAgent) !== false;
    },
    async delayMs(url) {
      const robot = await robotFor(url);
      if (typeof robot === 'string') return 0;
      return Math.max(0, (robot.getCrawlDelay(userAgent) ?? 0) * 1000);
    },
  };
}
