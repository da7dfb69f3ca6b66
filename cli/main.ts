#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from '../corpus/errors.js';
import { DEFAULT_DB_PATH } from '../corpus/db.js';
import { parseByteSize, parseNonNegativeInt, parsePositiveInt, parseRate } from './parse.js';

/**
 * The command table. Each action lazily imports its handler (changesets' shape),
 * so `incorpus stats` never loads the worker pool or the FIM code.
 */
function buildProgram(): Command {
  const program = new Command('incorpus')
    .description('Build a pretraining corpus of industrial code: crawl, rebuild (filter + dedup), export FIM training files.')
    .option('--db <path>', `corpus database (env INCORPUS_DB)`, undefined)
    .addHelpText('after', `\nDefault database: $INCORPUS_DB, else ${DEFAULT_DB_PATH} under the current directory.\nExit codes: 0 ok, 1 failure, 2 usage error.`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const crawl = program.command('crawl').description('add sources to the raw store').exitOverride();
  crawl
    .command('dir <path>')
    .description('crawl a local directory as one repository')
    .option('--repo <name>', 'repository name to record (default: the directory name)')
    .option('--max-file-size <bytes>', 'files above this are recorded without content', parseByteSize, 8 * 1024 * 1024)
    .exitOverride()
    .action(async (path: string, opts, cmd: Command) => (await import('./commands/crawl.js')).crawlDirCommand(path, cmd.optsWithGlobals()));
  crawl
    .command('git <url>')
    .description('shallow-fetch a git repository (any URL or local path) and crawl it; records the commit')
    .option('--ref <ref>', 'branch, tag or commit (default: the remote HEAD)')
    .option('--repo <name>', 'repository name to record (default: owner/name from the URL)')
    .option('--max-file-size <bytes>', 'files above this are recorded without content', parseByteSize, 8 * 1024 * 1024)
    .exitOverride()
    .action(async (url: string, opts, cmd: Command) => (await import('./commands/crawl.js')).crawlGitCommand(url, cmd.optsWithGlobals()));

  program
    .command('rebuild')
    .description('run every file through the stages (validate, exact dedup) into a new corpus generation, swapped in atomically')
    .option('--config <file>', 'JSON file overriding stage options (see README: Configuration)')
    .option('--threads <n>', 'worker threads for CPU stages (default: one per core)', parsePositiveInt)
    .option('--json', 'print the summary as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/rebuild.js')).rebuildCommand(cmd.optsWithGlobals()));

  program
    .command('export')
    .description('write the current generation as FIM training files')
    .requiredOption('--out <dir>', 'output directory (shards + manifest.json)')
    .addOption(new Option('--format <format>', 'output format (parquet: not available yet)').choices(['jsonl']).default('jsonl'))
    .addOption(new Option('--compress <codec>', 'compress shards').choices(['none', 'gzip']).default('none'))
    .option('--fim-rate <r>', 'share of documents turned into FIM samples', parseRate, 0.5)
    .option('--spm-rate <r>', 'share of FIM samples in SPM order (rest PSM)', parseRate, 0.5)
    .addOption(new Option('--fim-tokens <preset>', 'FIM token preset').choices(['starcoder', 'starcoder2', 'deepseek', 'codellama', 'qwen2.5']).default('starcoder'))
    .option('--seed <n>', 'seed for FIM decisions and cut points', parseNonNegativeInt, 0)
    .option('--json', 'print the summary as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/export.js')).exportCommand(cmd.optsWithGlobals()));

  program
    .command('stats')
    .description('what the corpus holds: raw files, and the current generation kept/dropped by reason, language and domain')
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/stats.js')).statsCommand(cmd.optsWithGlobals()));

  program
    .command('why <doc>')
    .description('explain one document: <doc-id> (16 hex digits) or <repo:path>')
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (doc: string, opts, cmd: Command) => (await import('./commands/why.js')).whyCommand(doc, cmd.optsWithGlobals()));

  program
    .command('demo')
    .description('crawl the built-in demo corpus, rebuild and export it, and print a summary')
    .option('--out <dir>', 'export directory', 'demo-out')
    .exitOverride()
    .action(async (opts, cmd: Command) => (await import('./commands/demo.js')).demoCommand(cmd.optsWithGlobals()));
  return program;
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

process.exitCode = await main(process.argv);
