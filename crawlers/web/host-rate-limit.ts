/**
 * Spaces requests to one host at least `delayMs` apart (politeness; hosts are
 * independent). Calls for the same host queue in order.
 */
export function createHostRateLimit(now: () => number = Date.now): (host: string, delayMs: number) => Promise<void> {
  const nextFree = new Map<string, number>();
  return async (host, delayMs) => {
    const t = now();
    const at = Math.max(t, nextFree.get(host) ?? 0);
    nextFree.set(host, at + delayMs);
    if (at > t) await new Promise((resolve) => setTimeout(resolve, at - t));
  };
}
