import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, serviceConfigSchema, Type } from './index.ts';

const schema = serviceConfigSchema({
  WIDGET_LIMIT: Type.Integer({ minimum: 1, default: 5 }),
  WIDGET_SECRET: Type.String(),
});

describe('loadConfig', () => {
  it('should convert, default and freeze when the environment is valid', () => {
    const config = loadConfig(schema, { PORT: '8123', WIDGET_SECRET: 's3cret', TRUST_PROXY: 'true' });
    expect(config.PORT).toBe(8123);
    expect(config.WIDGET_LIMIT).toBe(5);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.LOG_LEVEL).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('should name every bad variable when the environment is invalid', () => {
    try {
      loadConfig(schema, { PORT: 'eighty', WIDGET_LIMIT: '0', LOG_LEVEL: 'loud' });
      expect.unreachable('loadConfig accepted a bad environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((problem) => problem.variable).sort();
      expect(variables).toEqual(['LOG_LEVEL', 'PORT', 'WIDGET_LIMIT', 'WIDGET_SECRET']);
      expect((error as Error).message).toMatch(/PORT: is "eighty"/);
    }
  });

  it('should not echo the value of a secret variable when it is invalid', () => {
    const withUrl = serviceConfigSchema({ PORT: Type.Integer({ default: 1 }) });
    try {
      loadConfig(withUrl, { DATABASE_URL: 'mysql://user:hunter2@host/db' });
      expect.unreachable('accepted a non-PostgreSQL URL');
    } catch (error) {
      expect((error as Error).message).toContain('DATABASE_URL');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
