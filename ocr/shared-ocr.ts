import type { MessagePort, Worker } from 'node:worker_threads';
import { createOcrEngine, type LayoutLine, type OcrEngine, type OcrWord, type RecognizeOptions } from './tesseract-pool.js';

/**
 * One tesseract.js pool for a whole crawl. Documents are extracted in
 * budgeted worker threads (extract-with-budget.ts) that come and go; the pool
 * lives in the crawl's thread, starts on the first scanned page of any
 * document and loads its language data once, and each document thread talks
 * to it through messages (see {@link remoteOcrEngine}). A document killed by
 * its budget only loses its own pending jobs.
 */
export interface SharedOcr {
  /** Answers OCR calls coming from a document thread. */
  serve(worker: Worker): void;
  close(): Promise<void>;
}

/** A call from a document thread, and its answer. */
type OcrRequest = { method: 'layout'; image: Uint8Array; dpi: number } | { method: 'recognize'; image: Uint8Array; dpi: number; opts?: RecognizeOptions };
export type OcrCall = OcrRequest & { ocrCall: number };
export type OcrAnswer = { ocrAnswer: number; ok: true; result: OcrWord[] | LayoutLine[] } | { ocrAnswer: number; ok: false; error: string };

export function createSharedOcr(opts: { workers?: number } = {}): SharedOcr {
  let engine: Promise<OcrEngine> | null = null;
  const get = (): Promise<OcrEngine> => (engine ??= createOcrEngine({ workers: opts.workers }));
  return {
    serve(worker) {
      worker.on('message', (m: Partial<OcrCall>) => {
        if (typeof m.ocrCall !== 'number') return;
        const call = m as OcrCall;
        const image = Buffer.from(call.image.buffer, call.image.byteOffset, call.image.byteLength);
        const job = get().then((e): Promise<OcrWord[] | LayoutLine[]> => (call.method === 'layout' ? e.layout(image, call.dpi) : e.recognize(image, call.dpi, call.opts)));
        job.then(
          (result) => post(worker, { ocrAnswer: call.ocrCall, ok: true, result }),
          (err: unknown) => post(worker, { ocrAnswer: call.ocrCall, ok: false, error: err instanceof Error ? err.message : String(err) }),
        );
      });
    },
    async close() {
      const started = engine;
      engine = null;
      if (started) await (await started).close().catch(() => undefined);
    },
  };
}

/** A terminated document thread no longer takes answers; its jobs simply end. */
function post(worker: Worker, answer: OcrAnswer): void {
  try {
    worker.postMessage(answer);
  } catch {
    // The document ran out of time or memory and was terminated.
  }
}

/** The engine a document thread uses: every call goes to the crawl's shared pool. */
export function remoteOcrEngine(port: MessagePort): OcrEngine {
  let next = 0;
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  port.on('message', (m: Partial<OcrAnswer>) => {
    if (typeof m.ocrAnswer !== 'number') return;
    const p = pending.get(m.ocrAnswer);
    if (!p) return;
    pending.delete(m.ocrAnswer);
    const a = m as OcrAnswer;
    if (a.ok) p.resolve(a.result as never);
    else p.reject(new Error(a.error));
  });
  const call = <T>(msg: OcrRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject });
      port.postMessage({ ...msg, ocrCall: id });
    });
  return {
    layout: (image, dpi) => call<LayoutLine[]>({ method: 'layout', image, dpi }),
    recognize: (image, dpi, opts) => call<OcrWord[]>({ method: 'recognize', image, dpi, opts }),
    close: async () => undefined,
  };
}
