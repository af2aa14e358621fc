import { describe, expect, it } from 'vitest';
import { createSyncStore, Local, runWith } from './index.ts';
describe('smoke', () => {
  it('works', () => {
    const local = new Local<{ requestId: string; user?: string }>({ store: createSyncStore(), defaults: { user: 'anon' } });
    expect(local.requestId).toBe(undefined);
    local.requestId = 'abc';
    expect(local.requestId).toBe('abc');
    expect('requestId' in local).toBe(true);
    expect(Object.keys(local)).toEqual(['requestId']);
    expect(local.user).toBe('anon');
    runWith(local, { user: 'bob' }, () => {
      expect(local.user).toBe('bob');
      expect(local.requestId).toBe('abc');
    });
    delete local.requestId;
    expect('requestId' in local).toBe(false);
    expect(local instanceof Local).toBe(true);
  });
});
