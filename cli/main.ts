#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../pipeline/errors.js';
import { DEFAULT_DB_PATH } from '../corpus/db.js';
import { parseByteSize, parseNonNegativeInt, parsePositiveInt, parseRate } from './parse.js';

/**
 * The command table. Each action lazily imports its handler (changesets' shape),
 * so `incorpus stats` never loads the worker pool or the FIM code.
 */
function buildProgram(): Command {
  const program = new Command('incorpus')
    .description('Build a pretraining corpus of industrial code: crawl, rebuild (filter, dedup, refine, verify), export FIM training files.')
    .option('--db <path>', `corpus database (env INCORPUS_DB)`, undefined)
    .addHelpText('after', `\nDefault database: $INCORPUS_DB, else ${DEFAULT_DB_PATH} under the current directory.\nExit codes: 0 ok, 1 failure, 2 usage error.`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const crawl = program.command('crawl').description('add sources to the raw store').exitOverride();
  addQueueOptions(crawl
    .command('dir <path...>')
    .description('crawl local directories, each as one repository (in the order given)')
    .option('--repo <name>', 'repository name to record (default: the directory name; one path only)')
    .option('--max-file-size <bytes>', 'files above this are recorded without content', parseByteSize, 8 * 1024 * 1024)
    .exitOverride())
    .action(async (paths: string[], opts, cmd: Command) => (await import('./commands/crawl.js')).crawlDirCommand(paths, cmd.optsWithGlobals()));
  addQueueOptions(crawl
    .command('git <url...>')
    .description('shallow-fetch git repositories (any URL or local path) and crawl each; records the commit')
    .option('--ref <ref>', 'branch, tag or commit (default: the remote HEAD)')
    .option('--repo <name>', 'repository name to record (default: owner/name from the URL; one URL only)')
    .option('--max-file-size <bytes>', 'files above this are recorded without content', parseByteSize, 8 * 1024 * 1024)
    .exitOverride())
    .action(async (urls: string[], opts, cmd: Command) => (await import('./commands/crawl.js')).crawlGitCommand(urls, cmd.optsWithGlobals()));
  addQueueOptions(crawl
    .command('pdf <target>')
    .description('extract code listings (text layer first, OCR for scanned pages) from a PDF file, a directory of PDFs, or a URL')
    .option('--max-pages <n>', 'pages read per document; the rest are recorded as skipped', parsePositiveInt, 2000)
    .addOption(new Option('--ocr <mode>', 'OCR pages without a text layer').choices(['auto', 'off']).default('auto'))
    .option('--ocr-workers <n>', 'tesseract workers shared by all documents (default: one per core)', parsePositiveInt)
    .option('--dpi <n>', 'render resolution of scanned pages for layout analysis (listings are upscaled apart)', parsePositiveInt, 200)
    .option('--timeout <seconds>', 'time budget per document', parsePositiveInt, 300)
    .option('--max-heap <MiB>', 'heap budget per document', parsePositiveInt, 1024)
    .option('--max-file-size <bytes>', 'larger files are recorded as failed, unread', parseByteSize, 256 * 1024 * 1024)
    .option('--json', 'print one result per document as JSON')
    .exitOverride())
    .action(async (target: string, opts, cmd: Command) => (await import('./commands/pdf.js')).crawlPdfCommand(target, cmd.optsWithGlobals()));
  addQueueOptions(crawl
    .command('web')
    .description('fetch domain web pages (robots.txt honoured, per-host rate limit) and extract <pre>/<code> blocks')
    .option('--urls <file>', 'a file with one URL per line')
    .option('--sitemap <url>', 'a sitemap.xml (or sitemap index) listing the pages')
    .option('--delay <ms>', 'least time between two requests to one host (robots.txt Crawl-delay wins when longer; with --queue across all workers, one limiter per host in Redis)', parseNonNegativeInt, 1000)
    .option('--max-pages <n>', 'pages fetched at most', parsePositiveInt, 1000)
    .option('--timeout <seconds>', 'time budget per request', parsePositiveInt, 30)
    .option('--max-page-size <bytes>', 'larger responses are recorded as failed', parseByteSize, 8 * 1024 * 1024)
    .option('--user-agent <ua>', 'User-Agent sent and matched against robots.txt', 'incorpus')
    .option('--json', 'print one result per page as JSON')
    .exitOverride())
    .action(async (opts, cmd: Command) => (await import('./commands/web.js')).crawlWebCommand(cmd.optsWithGlobals()));
  addQueueOptions(addGithubOptions(crawl
    .command('github')
    .description('ingest GitHub repositories by name or by search (sliced past the 1,000-result cap); token from GITHUB_TOKEN; rerun to resume')
    .option('--repo <owner/name...>', 'repositories to ingest')
    .option('--query <q>', 'GitHub repository search query, e.g. "language:verilog stars:>5"')
    .option('--code-query <q>', 'GitHub code search for a content marker, e.g. \'"@triton.jit" language:python\' (first 1,000 files)')
    .option('--limit <n>', 'take at most n repositories from the query', parsePositiveInt)
    .option('--refresh', 'forget this query\'s progress and check every window and repository again')
    .option('--langs <list>', 'archive entries to read: all, known, or languages (verilog,vhdl,...)', 'known')
    .option('--max-file-size <bytes>', 'files above this are recorded without content', parseByteSize, 8 * 1024 * 1024)
    .option('--max-archive-size <bytes>', 'reject an archive that inflates past this (gzip bomb)', parseByteSize, 2 * 1024 ** 3)
    .option('--request-interval <ms>', 'with --queue: least time between two API requests across all workers and this command (one limiter in Redis per API host)', parseNonNegativeInt, 100)
    .option('--json', 'print the summary as JSON')))
    .action(async (opts, cmd: Command) => (await import('./commands/github.js')).crawlGithubCommand(cmd.optsWithGlobals()));
  addQueueOptions(addGithubOptions(program
    .command('recall')
    .description('three-step recall of industrial repositories: rule queries, classifier over broad queries, expansion rounds')
    .option('--config <file>', 'JSON overriding the recall configuration (queries, thresholds)')
    .option('--rounds <n>', 'expansion rounds at most', parseNonNegativeInt, 3)
    .option('--dry-run', 'print the queries it would send and send nothing')
    .option('--request-interval <ms>', 'with --queue: least time between two API requests across all workers and this command (one limiter in Redis per API host)', parseNonNegativeInt, 100)
    .option('--json', 'print the summary as JSON')))
    .action(async (opts, cmd: Command) => (await import('./commands/recall.js')).recallCommand(cmd.optsWithGlobals()));

  addQueueOptions(program
    .command('rebuild')
    .description('run every file through the stages (validate, license, exact dedup, decontamination, near dedup, PII redaction, …) into a new corpus generation, swapped in atomically')
    .option('--config <file>', 'JSON file overriding stage options (see README: Configuration)')
    .option('--decontaminate <file...>', 'benchmark files (JSONL/JSON records or plain source files); files sharing a 13-gram with them are dropped')
    .option('--threads <n>', 'worker threads for CPU stages (default: one per core)', parsePositiveInt)
    .option('--no-verify', 'skip recompiling with the toolchains (normalize and annotate still run; config: verify.enabled). With verify on, each refined file is proven to compile to the same program: a layout fix that is not proven is reverted, a redaction is never undone (one that changes the program ships redacted and is counted)')
    .option('--keep-generations <k>', 'complete generations kept explainable and exportable (why/export/stats --generation), the new one included', parsePositiveInt, 3)
    .addOption(new Option('--sandbox <level>', 'weakest tool sandbox accepted; bwrap fails closed when bubblewrap cannot start (config: verify.sandbox; default bwrap)').choices(['bwrap', 'unshare', 'rlimits-only']))
    .option('--shard-files <n>', 'with --queue: files per rebuild shard job', parsePositiveInt, 2000)
    .option('--band-partitions <n>', 'with --queue: near-dedup\'s LSH bucket walk in this many band-partition jobs, each reading only its bands\' key files of the signature set (0: on this machine)', parseNonNegativeInt, 4)
    .option('--no-shard-signatures', 'with --queue: the coordinator computes near-dedup signatures itself instead of taking the shards\' (same result; to measure what the shards save)')
    .option('--force', 'build a new generation even when nothing changed since the current one')
    .option('--json', 'print the summary as JSON'))
    .addHelpText(
      'after',
      '\nLicense policy (config section "license"): by default only files whose license the allowlist permits are kept\n' +
        '(MIT, Apache-2.0, BSD-2/3-Clause, ISC, 0BSD, Unlicense, CC0-1.0, Zlib, BSL-1.0, SHL-0.51, CERN-OHL-P-2.0, … — see docs/filters.md);\n' +
        'files with no license evidence or an unrecognized license are dropped (license-none, license-unknown).\n' +
        'To keep them, ranked below permissive copies: --config FILE with {"license": {"noLicense": "keep", "unknown": "keep"}}.\n' +
        'The rebuild reads the raw store as it was when it started; crawls meanwhile go into the next rebuild.\n' +
        'Nothing changed since the current generation (same raw snapshot and repository facts, configuration, incorpus\n' +
        'code, benchmark files and, with verify on, toolchains; no timeout or other load-dependent outcome in it):\n' +
        'the command says so and makes no new generation; --force makes one anyway. Per-document results are memoized\n' +
        'either way (config: pipeline.incremental), so a rebuild after a small change recomputes only what changed.',
    )
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/rebuild.js')).rebuildCommand(cmd.optsWithGlobals()));

  addQueueOptions(program
    .command('export')
    .description('write the current (or --generation N) generation as FIM training shards (JSONL or Parquet) with manifest.json and a dataset card')
    .requiredOption('--out <dir>', 'output directory (shards, manifest.json, README.md dataset card)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'parquet']).default('jsonl'))
    .addOption(new Option('--compress <codec>', 'JSONL: whole-file codec; Parquet: page codec (snappy is Parquet-only) (default: none for jsonl, snappy for parquet)').choices(['none', 'gzip', 'zstd', 'snappy']))
    .option('--shard-size <size>', 'close a shard after this many uncompressed bytes (e.g. 512M)', parseByteSize, 256 * 1024 * 1024)
    .option('--fim-rate <r>', 'share of documents (of files, with --repo-level) turned into FIM samples', parseRate, 0.5)
    .option('--spm-rate <r>', 'share of FIM samples in SPM order (rest PSM)', parseRate, 0.5)
    .addOption(new Option('--fim-spans <mode>', 'FIM middles: random characters, whole syntax nodes (tree-sitter), or a mix').choices(['char', 'ast', 'mix']).default('mix'))
    .option('--ast-ratio <r>', 'with --fim-spans mix: share of FIM samples with a syntax span', parseRate, 0.9)
    .addOption(new Option('--fim-tokens <preset>', 'FIM token preset').choices(['starcoder', 'starcoder2', 'deepseek', 'codellama', 'qwen2.5']).default('starcoder'))
    .option('--repo-level', 'one sample per repository, files in dependency order (needs --fim-tokens starcoder2 or qwen2.5)', false)
    .option('--repo-sample-size <size>', 'with --repo-level: cut a repository into several samples above this size', parseByteSize, 8 * 1024 * 1024)
    .option('--val-fraction <f>', 'share of repositories (duplicate-linked groups) held out as the validation split', parseRate, 0)
    .option('--seed <n>', 'seed for FIM decisions and cut points', parseNonNegativeInt, 0)
    .option('--domain <list>', 'only these domains (comma-separated, repeatable)', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)])
    .option('--lang <list>', 'only these languages (comma-separated, repeatable)', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)])
    .option('--verified <status>', 'only documents whose verification status is one of these: a status (compiles), status/kind (missing-dependency/generated-ip), or passing = compiles + compiles-with-blackboxes; comma-separated, repeatable', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)])
    .addOption(new Option('--tokenizer <name>', 'count tokens per domain/language/split (encodings shipped in js-tiktoken)').choices(['none', 'cl100k_base', 'o200k_base']).default('none'))
    .option('--threads <n>', 'worker threads for the FIM transform', parsePositiveInt, 1)
    .option('--generation <n>', 'a retained generation instead of the current one (see stats)', parsePositiveInt)
    .option('--no-report', 'do not write the corpus report (index.html) next to the dataset card')
    .option('--part-docs <n>', 'with --queue: kept documents per export part job (whole repositories with --repo-level); --out must be on the shared filesystem', parsePositiveInt, 2000)
    .option('--json', 'print the summary as JSON'))
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/export.js')).exportCommand(cmd.optsWithGlobals()));

  program
    .command('worker')
    .description('run queued jobs (crawl dir/git/github and recall repositories, PDF documents and web pages, rebuild shards, export parts and shards) from a BullMQ queue on Redis until stopped (SIGTERM: finish active jobs, then exit)')
    .requiredOption('--queue <url>', 'Redis holding the queue: redis://HOST:PORT[/DB]')
    .option('--concurrency <n>', 'jobs at once in this process', parsePositiveInt, 1)
    .option('--threads <n>', 'worker threads per rebuild shard for CPU stages (default: cores / concurrency)', parsePositiveInt)
    .option('--lock-duration <ms>', 'lock on an active job; a dead worker\'s job runs again this long after it stopped renewing', parsePositiveInt, 120_000)
    .option('--stalled-interval <ms>', 'how often this worker looks for jobs of dead workers', parsePositiveInt, 30_000)
    .option('--max-stalled-count <n>', 'worker deaths a job survives before it fails', parseNonNegativeInt, 3)
    .addHelpText(
      'after',
      '\nWhere a worker finds its inputs and puts its outputs (there is no worker --store): every job carries absolute paths,\n' +
        'chosen by the command that enqueued it: the corpus database (--db), the job store (the command\'s --store, default\n' +
        'queue-store/ beside the database) and, for export, the --out directory. Mount that shared filesystem (NFS, CephFS,\n' +
        'Lustre) at the SAME path on every machine. Workers only read the corpus and write their own files under the store\n' +
        '(temporary name, rename, then a .done marker) and the export shards under --out; only the command writes the corpus.\n' +
        'crawl github jobs use this worker\'s GITHUB_TOKEN (never put in Redis). See docs/scale-out.md.\n',
    )
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/worker.js')).workerCommand(cmd.optsWithGlobals()));

  program
    .command('stats')
    .description('what the corpus holds: raw files, raw changes not yet rebuilt, and the current generation kept/dropped by reason, language and domain')
    .option('--generation <n>', 'a retained generation instead of the current one (see stats)', parsePositiveInt)
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/stats.js')).statsCommand(cmd.optsWithGlobals()));

  program
    .command('report')
    .description('write DIR/index.html: one self-contained page of charts and tables of the current (or --generation N) generation (funnel, mix, licenses, duplicates, verification, PII, literature, export)')
    .requiredOption('--out <dir>', 'directory that gets index.html')
    .option('--export <dir>', 'export directory whose manifest.json the page shows (default: --out, when it holds one)')
    .option('--samples <n>', 'files listed per drop reason, verification status, license decision and PII kind', parseNonNegativeInt, 10)
    .option('--generation <n>', 'a retained generation instead of the current one (see stats)', parsePositiveInt)
    .option('--json', 'print the summary as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/report.js')).reportCommand(cmd.optsWithGlobals()));

  program
    .command('why <doc>')
    .description('explain one document: <doc-id> (16 hex digits) or <repo:path>')
    .option('--generation <n>', 'a retained generation instead of the current one (see stats)', parsePositiveInt)
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (doc: string, opts, cmd: Command) => (await import('./commands/why.js')).whyCommand(doc, cmd.optsWithGlobals()));

  program
    .command('dups')
    .description('list duplicate clusters of the current generation (size, kept member, members) and repository fork families')
    .option('--limit <n>', 'show at most n clusters (largest first)', parsePositiveInt)
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/dups.js')).dupsCommand(cmd.optsWithGlobals()));

  program
    .command('demo')
    .description('crawl the built-in demo corpus, rebuild and export it, and print a summary')
    .option('--out <dir>', 'export directory', 'demo-out')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/demo.js')).demoCommand(cmd.optsWithGlobals()));
  return program;
}

/** `--queue`/`--store`: run the command's work as jobs on `incorpus worker` processes (docs/scale-out.md). */
function addQueueOptions(cmd: Command): Command {
  return cmd
    .option('--queue <url>', 'enqueue the work for `incorpus worker` processes on this Redis (redis://HOST:PORT) and wait; same result as without')
    .option('--store <dir>', 'with --queue: job outputs, on a filesystem every worker sees (default: queue-store/ beside the database)');
}

/** Options shared by `crawl github` and `recall`: where GitHub is and how hard to push it. */
function addGithubOptions(cmd: Command): Command {
  return cmd
    .option('--api-url <url>', 'GitHub REST root (GitHub Enterprise: https://HOST/api/v3)', 'https://api.github.com')
    .option('--search-interval <ms>', 'spacing of search requests (GitHub allows 30/min)', parseNonNegativeInt, 2000)
    .option('--retry-unit <ms>', 'milliseconds per second of Retry-After and backoff', parseNonNegativeInt, 1000)
    .exitOverride();
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" only to commander's control flow.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // `incorpus crawl` without a subcommand: help shown as an error.
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2;
    }
    if (isUserError(err)) {
      process.stderr.write(`incorpus: ${err.message}\n`);
      return err.name === 'UsageError' ? 2 : 1;
    }
    process.stderr.write(`incorpus: internal error (please report): ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

// A reader that went away (`incorpus rebuild --help | head`) ends the command quietly with the shell's
// SIGPIPE status (128 + 13), as Unix tools do, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}
process.exitCode = await main(process.argv);
