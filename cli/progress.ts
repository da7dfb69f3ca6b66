import type { Progress } from '../pipeline/progress.js';
import { silentProgress } from '../pipeline/progress.js';

/**
 * A progress line on stderr when it is a terminal, redrawn at most 10 times a
 * second; nothing at all in pipes, files or CI logs.
 */
export function createTerminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || process.env.CI) return silentProgress;
  let total = 0;
  let count = 0;
  let current = '';
  let lastDraw = 0;
  const started = Date.now();
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const rate = count / Math.max(0.001, (now - started) / 1000);
    const cols = stream.columns || 80; // 0 under some pseudo-terminals
    const width = Math.max(10, Math.min(30, cols - 60));
    const bar = total > 0 ? barOf(count / total, width) + ` ${count}/${total}` : `${count}`;
    const tail = current ? ` ${current}` : '';
    const line = `${label} ${bar} ${rate.toFixed(0)}/s${tail}`;
    stream.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
  };
  return {
    total(n) {
      total = n;
      draw(true);
    },
    tick(n = 1, itemLabel) {
      count += n;
      if (itemLabel !== undefined) current = itemLabel;
      draw();
    },
    done() {
      draw(true);
      stream.write('\n');
    },
  };
}

function barOf(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
