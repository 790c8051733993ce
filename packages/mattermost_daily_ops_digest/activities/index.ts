import type { ActivityDeps } from '../../../activities/deps';
import { createBeginDigestRun } from './begin-digest-run';
import { createFinishDigestRun } from './finish-digest-run';
import { createGenerateDigest } from './generate-digest';
import { createPostDigest } from './post-digest';
import { createSummarizeDigest } from './summarize-digest';

export function createDigestActivities(deps: ActivityDeps) {
  return {
    beginDigestRun: createBeginDigestRun(deps),
    summarizeDigest: createSummarizeDigest(deps),
    generateDigest: createGenerateDigest(deps),
    postDigest: createPostDigest(deps),
    finishDigestRun: createFinishDigestRun(deps),
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
