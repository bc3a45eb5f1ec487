import { webApi } from '@slack/bolt';
import type { DigestSlackLookups } from '../reports/answer-digest.ts';

/** The part of Slack's Web API `digest` commands ask: a channel (`conversations.info`) and a user (`users.info`). */
export interface DigestLookupClient {
  conversations: {
    info(args: { channel: string }): Promise<{ channel?: { name?: string; is_member?: boolean } }>;
  };
  users: { info(args: { user: string }): Promise<{ user?: { is_admin?: boolean; is_owner?: boolean } }> };
}

/** Lookups over the requester's Bolt client; Slack's "no such channel" is an answer, other failures throw. */
export function digestLookups(client: DigestLookupClient): DigestSlackLookups {
  return {
    async channelInfo(id) {
      try {
        const { channel } = await client.conversations.info({ channel: id });
        return { ok: true, name: channel?.name ?? id, isMember: channel?.is_member ?? null };
      } catch (error) {
        if (error instanceof webApi.WebAPIPlatformError) return { ok: false, error: error.data.error };
        throw error;
      }
    },
    async isWorkspaceAdmin(userId) {
      const { user } = await client.users.info({ user: userId });
      return user?.is_admin === true || user?.is_owner === true;
    },
  };
}
