import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A scratch directory under the temp dir, named with this process id
 * (`<prefix><pid>-XXXXXX`). Its owner removes it in a `finally`; a SIGKILLed
 * owner cannot, so each new one first removes those of dead processes — the
 * fault campaign (bench/faults-kill.ts) found a full checkout left per killed
 * `crawl git`.
 */
export function makeScratchDir(prefix: string): string {
  sweepDeadScratchDirs(prefix);
  return mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
}

function sweepDeadScratchDirs(prefix: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Not ours to remove (another user's): leave it.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, another user's process.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
