import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeItem } from '../annotate/analyze-task.js';
import { BLOB_CODEC, compressBlob } from '../corpus/blobs.js';
import { makeDocId, sha256Hex } from '../corpus/doc-id.js';
import type { Doc } from '../pipeline/doc.js';

/** dist/ root of the compiled project (tests run from dist/tests). */
export const DIST = fileURLToPath(new URL('../', import.meta.url));
export const CLI = join(DIST, 'cli', 'main.js');
/** The repository root (demo/ lives there). */
export const REPO_ROOT = join(DIST, '..');

export function makeTempDir(prefix = 'incorpus-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a tree of files: { 'a/b.v': 'module...' }; Buffers are written as is. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process (as a user would), never through a mock. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? tmpdir(),
    env: cliEnv(opts.env),
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The test process's environment without INCORPUS_DB (tests name their database), plus extras. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', ...extra };
  if (!('INCORPUS_DB' in extra)) delete env.INCORPUS_DB;
  return env;
}

/** Starts the CLI without waiting, for tests that interrupt it. */
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? tmpdir(),
    env: cliEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A small industrial tree with planted duplicates, for crawl/rebuild/export tests. */
export function writeSampleRepo(root: string, variant = ''): string {
  return writeTree(root, {
    'rtl/counter.v': `// counter${variant}\nmodule counter #(parameter W = 8) (input clk, input rst, output reg [W-1:0] q);\n  always @(posedge clk) if (rst) q <= 0; else q <= q + 1;\nendmodule\n`,
    'rtl/shared.v': 'module shared_buf (input a, output y);\n  assign y = a;\nendmodule\n',
    'cuda/axpy.cu': '__global__ void axpy(float a, const float *x, float *y, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) y[i] = a * x[i] + y[i];\n}\n',
    'fw/main.c': '#include "stm32f4xx.h"\nint main(void) {\n  RCC->AHB1ENR |= 1u << 3;\n  for (;;) { GPIOD->ODR ^= 1u << 12; }\n}\n',
    'blob.bin': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]),
  });
}

/** An analyzed document as the rebuild stages see it, for testing a stage on its own. */
export function makeDoc(path: string, text: string, extra: Partial<Doc> = {}): Doc {
  const bytes = Buffer.from(text);
  const repo = extra.repo ?? 'test/repo';
  const base: Doc = {
    fileId: 1,
    id: makeDocId(repo, path),
    source: 'dir',
    repo,
    path,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    crawlStatus: 'ok',
    crawlReason: null,
    blob: null,
    text: null,
    textSha256: sha256Hex(bytes),
    lang: 'unknown',
    domain: 'general',
    domainEvidence: null,
    features: null,
    repoInfo: { stars: null, forks: null, forkParent: null, revisionTime: null, licenseClaim: null },
    license: null,
    modifiedBy: [],
    annotations: {},
  };
  return { ...base, ...analyzeItem({ path, blob: { codec: BLOB_CODEC, data: compressBlob(bytes) } }), ...extra };
}

/**
 * The license policy for fixtures that carry no license evidence, in tests of
 * other stages: unlicensed and unrecognized files kept (ranked below permissive
 * copies), as `license.noLicense`/`license.unknown: "keep"` allow. The default
 * policy drops them (tests/filters and tests/rebuild cover that).
 */
export const KEEP_UNLICENSED = { license: { noLicense: 'keep', unknown: 'keep' } } as const;

/** Writes KEEP_UNLICENSED (merged over `extra` sections) as a rebuild --config file and returns its path. */
export function writeKeepUnlicensedConfig(dir: string, extra: Record<string, Record<string, unknown>> = {}): string {
  const path = join(dir, 'keep-unlicensed.json');
  writeFileSync(path, JSON.stringify({ ...extra, license: { ...KEEP_UNLICENSED.license, ...(extra.license ?? {}) } }));
  return path;
}
