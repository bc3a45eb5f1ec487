import { textMessage } from '../src/render/digest-admin-text.ts';
import { errorMessage } from '../src/render/report-blocks.ts';
import { answerDigest, type DigestCommandDeps } from '../src/reports/answer-digest.ts';
import { digestLookups } from '../src/slack/digest-lookups.ts';
import type { TeamDirectory } from '../src/store/team-directory.ts';
import { answerPrivately } from './answer-privately.ts';
import type { CommandDeps } from './deps.ts';

export type DigestRouteDeps = Omit<CommandDeps, 'store'> & {
  store: { agents: Pick<TeamDirectory, 'teams'> };
  digest: DigestCommandDeps;
};

/**
 * `/assignments digest add|list|remove|pause|resume|test|log …`: managing daily digests, answered privately.
 * Not gated by ALLOWED_USERS: everyone may list the digests, and DIGEST_ADMINS (or workspace admins and owners)
 * manage them whether or not they may run reports (answerDigest checks).
 */
export function digestCommand(deps: DigestRouteDeps) {
  return answerPrivately(
    deps,
    async ({ text, zone, userId, client }) => {
      const answer = await answerDigest(
        { ...deps.digest, agents: deps.store.agents },
        digestLookups(client),
        {
          text,
          userId,
          zone,
          now: deps.now(),
        },
      );
      return answer.kind === 'error' ? errorMessage(answer.message) : textMessage(answer.text);
    },
    { gate: 'none' },
  );
}
