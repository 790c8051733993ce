// What a connected Temporal client looks like to the code that uses one (client.ts makes it).
import type { Client, Connection } from '@temporalio/client';
import type { TConfig } from '../config';

export type TemporalSettings = Pick<TConfig, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS'>;

export interface TemporalHandle {
  client: Client;
  connection: Connection;
  namespace: string;
  taskQueue: string;
  close(): Promise<void>;
}
