/**
 * A worker process: runs the desk's jobs (here, the outbox relay) from PostgreSQL until SIGTERM.
 * Environment: DATABASE_URL, SCHEMA, CHAT_URL, WORKER_NAME.
 */
import { openDesk } from './desk.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`set ${name}`);
  return value;
};

const name = env('WORKER_NAME');
const node = openDesk({
  databaseUrl: env('DATABASE_URL'),
  schema: env('SCHEMA'),
  role: 'worker',
  chatUrl: `${env('CHAT_URL')}/from/${name}`,
  eventsUrl: `${env('CHAT_URL')}/events/from/${name}`,
  onError: (error) => console.error(`[${name}]`, error instanceof Error ? error.message : error),
});

while (node.scheduler.workerIds.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
console.log(`ready ${name} ${node.scheduler.workerIds.join(',')}`);

process.once('SIGTERM', () => {
  void (async () => {
    await node.desk.stop();
    await node.pool.end();
    process.exit(0);
  })();
});
