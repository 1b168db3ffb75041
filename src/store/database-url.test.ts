import { describe, expect, it } from 'vitest';
import { withDatabaseName } from './database-url.js';

describe('another database on the same server', () => {
  it('keeps credentials, the socket folder and other parameters', () => {
    const u = withDatabaseName('postgres://postgres:p%2Fw@127.0.0.1:5432/aios?host=%2Fhome%2Fx%2Fpg&options=-c%20a%3D1', 'aios_t_1');
    expect(u).toBe('postgres://postgres:p%2Fw@127.0.0.1:5432/aios_t_1?host=%2Fhome%2Fx%2Fpg&options=-c%20a%3D1');
  });
});
