// For the embedded database and the tests: lets the application role log in with a password
// and returns the URL the application connects with. Production creates its own login role.
import { Client } from 'pg';

export const APP_DB_ROLE = 'fleetprompt_app';

export async function enableAppLogin(migrationUrl: string, password: string): Promise<string> {
  const client = new Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    const literal = await client.query<{ q: string }>('select quote_literal($1) as q', [password]);
    await client.query(`ALTER ROLE ${APP_DB_ROLE} WITH LOGIN PASSWORD ${literal.rows[0].q}`);
  } finally {
    await client.end();
  }
  const url = new URL(migrationUrl);
  url.username = APP_DB_ROLE;
  url.password = password;
  return url.toString();
}
