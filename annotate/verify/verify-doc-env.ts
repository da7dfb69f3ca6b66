import type { Doc } from '../../pipeline/doc.js';
import type { createRepoIndexer } from './repo-index.js';
import type { CheckEnv } from './run-check.js';
import type { SandboxLimits } from './sandbox.js';

/** What verifying one document needs: the check environment, the repository indexer and the stage's callbacks. */
export interface VerifyDocEnv extends CheckEnv {
  indexRepo: ReturnType<typeof createRepoIndexer>;
  /** Called once per missing tool with an install hint. */
  onMissingTool(tool: string, hint: string): void;
  /** Run yosys synthesis on HDL that compiles. */
  synth: boolean;
  /** The crawled text of a document a stage refined (null when unknown). */
  loadOriginal(doc: Doc): string | null;
  /** Set when no accepted sandbox can start here: every check is refused (fail closed). */
  sandboxError?: string;
  /** Limits of a synthesis run (a whole top-level design; longer than one file's check). @default limits */
  synthLimits?: Partial<SandboxLimits>;
}
