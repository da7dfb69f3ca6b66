import { createAnalyzeStage } from '../annotate/analyze-stage.js';
import { createAnnotateStage } from '../annotate/annotate-stage.js';
import { createNormalizeStage } from '../annotate/normalize-stage.js';
import { createVerifyStage } from '../annotate/verify-stage.js';
import { createDecontaminateStage } from '../dedup/decontaminate.js';
import { createExactDedupStage } from '../dedup/exact.js';
import { createNearDedupStage, type NearDedupServices } from '../dedup/near-dedup-stage.js';
import { createLicenseStage } from '../filters/license-stage.js';
import { createPiiStage } from '../filters/pii-stage.js';
import { createValidateStage } from '../filters/validate.js';
import type { Stage } from '../pipeline/stage.js';
import type { RebuildConfig } from './rebuild-config.js';

/** Where parts of stages run (`rebuild --queue`); never part of a stage's options or of a result. */
export interface StageServices {
  nearDedup?: NearDedupServices;
}

/** The stages of a rebuild, in order, built (and their options validated) from the config. */
export function buildStages(config: RebuildConfig, services: StageServices = {}): Stage[] {
  return [
    createAnalyzeStage(),
    createValidateStage(config.validate),
    createLicenseStage(config.license),
    createExactDedupStage(config.exactDedup),
    createDecontaminateStage(config.decontaminate),
    createNearDedupStage(config.nearDedup, services.nearDedup),
    createPiiStage(config.pii),
    createNormalizeStage(config.normalize),
    createAnnotateStage(config.annotate),
    // Off (`--no-verify`), verify reads no text: tell the runner, so texts left in the blob store stay there.
    { ...createVerifyStage(config.verify), lazyText: !config.verify.enabled },
  ];
}
