import { ConfigError, loadConfig } from '../../../lib/config';

describe('loadConfig', () => {
  it('gives working defaults for the embedded stack', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'fleetprompt',
      RUN_NOW_LIMIT_PER_HOUR: 3,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('coerces numbers and booleans and splits lists', () => {
    const config = loadConfig({ PORT: '8080', TEMPORAL_TLS: 'true', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1:8065, localhost' });
    expect(config.PORT).toBe(8080);
    expect(config.TEMPORAL_TLS).toBe(true);
    expect(config.OUTBOUND_ALLOWED_HOSTS).toEqual(['127.0.0.1:8065', 'localhost']);
  });

  it('reports one line per bad variable, naming it', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'staging', DATABASE_URL: 'not a url', TEMPORAL_TLS: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'NODE_ENV', 'PORT', 'TEMPORAL_TLS']);
    expect((error as ConfigError).message.split('\n')).toHaveLength(5);
  });

  it('never puts a variable’s value in its error', () => {
    try {
      loadConfig({ DATABASE_URL: 'postgres secret-password@@', PORT: 'x' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-password');
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});
