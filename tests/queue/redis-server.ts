import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { makeTempDir } from '../helpers.js';

/** A private redis-server on a free loopback port with its own data dir: never a system Redis. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILLs the server (nothing flushed beyond the append-only file) and starts it again on the same port and dir. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

function startServer(port: number, dir: string, appendonly: boolean): Promise<ChildProcess> {
  // appendfsync always: every write is on disk before Redis answers, so a SIGKILL loses nothing the test relied on.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', appendonly ? 'yes' : 'no', '--appendfsync', 'always', '--daemonize', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveReady, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start redis-server (Debian package redis-server, scripts/setup.sh): ${err.message}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolveReady(child);
      }
    });
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

export async function startTestRedis(opts: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = makeTempDir('incorpus-redis-');
  const appendonly = opts.appendonly ?? false;
  let child = await startServer(port, dir, appendonly);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async crashAndRestart() {
      await kill(child, 'SIGKILL');
      child = await startServer(port, dir, appendonly);
    },
    stop: () => kill(child, 'SIGTERM'),
  };
}
