// Shapes shared by the Mattermost client functions. Targets hold secrets (the webhook URL, the
// token): they are built inside an activity from a decrypted credential and never logged.
import type { HostResolver } from '../net/outbound-guard';

export interface WebhookTarget {
  kind: 'webhook';
  /** The full incoming-webhook URL; its last path segment is the credential. */
  webhookUrl: string;
}

export interface PatTarget {
  kind: 'pat';
  /** Server root, e.g. https://mattermost.example.com (a sub-path install is fine). */
  baseUrl: string;
  /** Personal access token or bot token. */
  token: string;
  /** Team name (URL name, not display name), for resolving channels by name. */
  team?: string;
}

export type MattermostTarget = WebhookTarget | PatTarget;

export interface PostRequest {
  text: string;
  /**
   * Webhook only: channel override (`name`, `#name` or `@username`). Locked hooks refuse it.
   * The PAT path posts to a channel id instead.
   */
  channel?: string | null;
  /** Webhook only; Mattermost ignores it unless EnablePostUsernameOverride is on. */
  username?: string;
  /** Webhook only; Mattermost ignores it unless EnablePostIconOverride is on. */
  iconUrl?: string;
  /** Copied onto the post; carries the dedupe marker, e.g. { fleetprompt_dedupe_key: '…' }. */
  props?: Record<string, unknown>;
}

export interface MattermostCallOptions {
  /** Hosts allowed to resolve to private/loopback addresses ("host" or "host:port"). */
  allowedHosts: readonly string[];
  /** Deadline for one HTTP exchange. Default 10 s. */
  timeoutMs?: number;
  /** DNS resolver override (tests). */
  resolve?: HostResolver;
}

export interface MattermostUser {
  id: string;
  username: string;
  isBot: boolean;
}

export interface MattermostPost {
  id: string;
  channelId: string;
  userId: string;
  message: string;
  createAt: number;
  /** Non-zero when the post was deleted after being created. */
  deleteAt: number;
  props: Record<string, unknown>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
