import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSite {
  server: Server;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Every request, in arrival order, with its arrival time. */
  hits: Array<{ path: string; at: number }>;
}

export type Send = (status: number, type: string, body: string | Buffer) => void;

/** A site on a free loopback port that records every request; `route` answers each path (`base` is known by then). */
export async function startLocalSite(route: (path: string, send: Send, base: string) => void): Promise<LocalSite> {
  const hits: LocalSite['hits'] = [];
  let base = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push({ path, at: Date.now() });
    route(path, (status, type, body) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    }, base);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, hits };
}
