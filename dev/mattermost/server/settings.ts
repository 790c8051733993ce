// Server settings the fake honours. Defaults follow Mattermost's, except that personal access
// tokens are on (a server someone connected with a PAT has them on).

export type ServerGeneration = 'A' | 'B';

export interface FakeSettings {
  /** ServiceSettings.EnableIncomingWebhooks (default true). */
  enableIncomingWebhooks: boolean;
  /** ServiceSettings.EnablePostUsernameOverride (default false: `username` silently ignored). */
  enablePostUsernameOverride: boolean;
  /** ServiceSettings.EnablePostIconOverride (default false: `icon_url` silently ignored). */
  enablePostIconOverride: boolean;
  /** 'A' = up to ~10.2 (inner error ids); 'B' = ~10.3+ (webhook errors wrapped as general/decode). */
  serverGeneration: ServerGeneration;
  /** ServiceSettings.EnableUserAccessTokens (Mattermost default false; bots work regardless). */
  enableUserAccessTokens: boolean;
  /** MaxPostSize in runes. */
  maxPostRunes: number;
  /** ServiceSettings.MaximumPayloadSizeBytes (the body limit is this + 512). */
  maximumPayloadSizeBytes: number;
  /** ServiceSettings.EnableDeveloper: fills detailed_error. */
  enableDeveloper: boolean;
}

export function defaultSettings(): FakeSettings {
  return {
    enableIncomingWebhooks: true,
    enablePostUsernameOverride: false,
    enablePostIconOverride: false,
    serverGeneration: 'B',
    enableUserAccessTokens: true,
    maxPostRunes: 16_383,
    maximumPayloadSizeBytes: 300_000,
    enableDeveloper: false,
  };
}

export function versionId(settings: FakeSettings): string {
  return settings.serverGeneration === 'A' ? '9.11.0.fake.A' : '11.6.0.fake.B';
}
