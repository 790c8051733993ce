// Stand-alone fake Mattermost for local runs (`npm start` uses it as the digest's sink):
//   tsx dev/mattermost/run-mattermost-sink.ts --port 8065 [--host 127.0.0.1] [--channel town-square]
//     [--hook-id <26 a-z0-9>] [--generation A|B]
// Prints a ready-made incoming-webhook URL (stable across restarts: the hook id is fixed unless
// overridden) and one line per received post. Post lines carry no hook id and no token.
import { redactSecrets } from '../../lib/log/redact';
import { startFakeMattermost, type FakeMattermost, type ReceivedPost } from './mattermost-server';

/** Fixed so a webhook URL saved in the local database keeps working after a restart. */
export const DEFAULT_SINK_HOOK_ID = 'fleetpromptlocalsinkhook01';

export interface SinkOptions {
  port?: number;
  host?: string;
  channel?: string;
  hookId?: string;
  generation?: 'A' | 'B';
  log?: (line: string) => void;
}

export interface RunningSink {
  fake: FakeMattermost;
  hookUrl: string;
  stop(): Promise<void>;
}

export function describeReceivedPost(post: ReceivedPost): string {
  const firstLine = post.text.split('\n', 1)[0] ?? '';
  const preview = firstLine.length > 120 ? `${firstLine.slice(0, 120)}…` : firstLine;
  const marker = Object.entries(post.props)
    .filter(([key]) => key.startsWith('fleetprompt_'))
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
  const where = post.channelType === 'D' ? 'a direct message' : `#${post.channelName}`;
  return redactSecrets(
    `[mattermost-sink] ${new Date(post.createAt).toISOString()} ${where} via ${post.via} as ${post.username}: "${preview}" (${Array.from(post.text).length} chars${marker ? `, ${marker}` : ''})`,
  );
}

export async function startMattermostSink(options: SinkOptions = {}): Promise<RunningSink> {
  const log = options.log ?? ((line: string) => console.log(line));
  const fake = await startFakeMattermost({ port: options.port ?? 8065, host: options.host ?? '127.0.0.1' });
  if (options.generation) fake.settings.serverGeneration = options.generation;
  const hookId = fake.createHook({
    channel: options.channel ?? 'town-square',
    id: options.hookId ?? DEFAULT_SINK_HOOK_ID,
    displayName: 'FleetPrompt (local sink)',
  });
  const hookUrl = fake.hookUrl(hookId);
  const unsubscribe = fake.onReceived((post) => log(describeReceivedPost(post)));
  return {
    fake,
    hookUrl,
    async stop() {
      unsubscribe();
      await fake.close();
    },
  };
}

function parseArgs(argv: string[]): SinkOptions {
  const options: SinkOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--port':
        options.port = Number(value);
        i++;
        break;
      case '--host':
        options.host = value;
        i++;
        break;
      case '--channel':
        options.channel = value;
        i++;
        break;
      case '--hook-id':
        options.hookId = value;
        i++;
        break;
      case '--generation':
        options.generation = value === 'A' ? 'A' : 'B';
        i++;
        break;
      default:
        throw new Error(`Unknown option ${argv[i]}. Options: --port, --host, --channel, --hook-id, --generation`);
    }
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new Error('--port must be a port number');
  }
  if (options.hookId !== undefined && !/^[A-Za-z0-9]+$/.test(options.hookId)) {
    throw new Error('--hook-id must be letters and digits only');
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sink = await startMattermostSink(options);
  const { fake } = sink;
  console.log(`Fake Mattermost listening on ${fake.url} (team "${fake.team.name}", user "${fake.user.username}")`);
  console.log(`Incoming webhook URL (posts to #${options.channel ?? 'town-square'}): ${sink.hookUrl}`);
  // One machine-readable line for scripts that start the sink.
  console.log(
    `MATTERMOST_SINK_READY ${JSON.stringify({ url: fake.url, hookUrl: sink.hookUrl, team: fake.team.name, channel: options.channel ?? 'town-square' })}`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sink.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`mattermost sink: ${redactSecrets(err instanceof Error ? err.message : String(err))}`);
    process.exit(1);
  });
}
