import { execFile } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Backend resolution is process-wide state, so each case runs in a fresh Node
// process against the built packages, as an application would load them.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const scratch = join(root, '.cache', 'registry-tests');

async function runScript(name: string, code: string, flags: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  await mkdir(scratch, { recursive: true });
  const file = join(scratch, `${name}.mjs`);
  await writeFile(file, code);
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...flags, file], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('choosing the backend at runtime', () => {
  it('with no backend, a Local is created but its first use throws a LocalError that says what to import', async () => {
    const result = await runScript(
      'no-backend',
      `import { Local, LocalError } from '@tasklocal/core';
       const local = new Local();
       try { local.requestId; console.log('no error'); }
       catch (e) { console.log(JSON.stringify({ is: LocalError.is(e), code: e.code, message: e.message })); }`,
    );
    const out = JSON.parse(result.stdout);
    expect(out.is).toBe(true);
    expect(out.code).toBe('ERR_TASKLOCAL_NO_BACKEND');
    expect(out.message).toContain('@tasklocal/node-als/register');
    expect(out.message).toContain('createSyncStore');
  });

  it('resolves on first use, so a register import after the Local was created still works', async () => {
    const result = await runScript(
      'late-register',
      `import { Local, runWith } from '@tasklocal/core';
       const local = new Local();
       await import('@tasklocal/node-als/register');
       const seen = await runWith(local, { id: 'r1' }, async () => { await new Promise((r) => setTimeout(r, 2)); return local.id; });
       console.log(seen);`,
    );
    expect(result.stdout.trim()).toBe('r1');
  });

  it('works preloaded with `node --import @tasklocal/node-als/register`', async () => {
    const result = await runScript(
      'preload',
      `import { Local } from '@tasklocal/core';
       const local = new Local();
       const run = async (id) => { local.id = id; await new Promise((r) => setTimeout(r, 3 - id.length)); return local.id === id; };
       console.log((await Promise.all([run('a'), run('bb')])).join());`,
      ['--import', '@tasklocal/node-als/register'],
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('true,true');
  });

  it('refuses a second, different backend once Locals use the first', async () => {
    const result = await runScript(
      'conflict',
      `import '@tasklocal/node-als/register';
       import { Local, registerStore } from '@tasklocal/core';
       import { createSyncStore } from '@tasklocal/core/backend';
       const local = new Local();
       local.x = 1;
       try { registerStore(createSyncStore); } catch (e) { console.log(e.code + ' ' + e.message); }`,
    );
    expect(result.stdout).toMatch(/^ERR_TASKLOCAL_BACKEND_CONFLICT .*node-als/);
  });

  it('accepts the same register entry twice (two copies of a backend package)', async () => {
    const result = await runScript(
      'twice',
      `import '@tasklocal/node-als/register';
       await import(new URL('../../packages/node-als/dist/register.js?second-copy', import.meta.url).href);
       import { Local } from '@tasklocal/core';
       const local = new Local(); local.x = 1; console.log(local.x);`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1');
  });

  it('accepts a second copy of the register entry after Locals used the first (two bundles on one page)', async () => {
    const result = await runScript(
      'twice-after-use',
      `import '@tasklocal/node-als/register';
       import { Local, registerStore } from '@tasklocal/core';
       import { createSyncStore } from '@tasklocal/core/backend';
       const local = new Local(); local.x = 1;
       await import(new URL('../../packages/node-als/dist/register.js?late-copy', import.meta.url).href);
       let code = 'none'; try { registerStore(createSyncStore, { id: 'another-backend' }); } catch (e) { code = e.code; }
       console.log(local.x, code);`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1 ERR_TASKLOCAL_BACKEND_CONFLICT');
  });

  it('two copies of core share one registry: Locals and LocalErrors of one are accepted by the other', async () => {
    await cp(join(root, 'packages', 'core', 'dist'), join(scratch, 'core-copy'), { recursive: true });
    const result = await runScript(
      'two-copies',
      `import '@tasklocal/node-als/register';
       import * as a from '@tasklocal/core';
       const b = await import('./core-copy/index.js');
       console.log(a.Local === b.Local ? 'same module' : 'two copies');
       const local = new a.Local();
       console.log(b.runWith(local, { id: 'shared' }, () => local.id));
       const error = new a.LocalError('ERR_TASKLOCAL_NO_BACKEND', 'x');
       console.log(b.LocalError.is(error), error instanceof b.LocalError);`,
    );
    expect(result.stdout.trim().split('\n')).toEqual(['two copies', 'shared', 'true false']);
  });

  it('uses a native `globalThis.AsyncContext` when no backend is registered', async () => {
    // An implementation of the proposal's Variable on AsyncLocalStorage stands in for an engine that ships it.
    const result = await runScript(
      'native',
      `import { AsyncLocalStorage } from 'node:async_hooks';
       globalThis.AsyncContext = { Variable: class { #als = new AsyncLocalStorage(); get() { return this.#als.getStore(); } run(v, fn, ...a) { return this.#als.run(v, fn, ...a); } } };
       const { Local, runWith, LocalError } = await import('@tasklocal/core');
       const local = new Local();
       const seen = await runWith(local, { id: 'n1' }, async () => { await null; return local.id; });
       let code; try { local.id = 'x'; } catch (e) { code = e.code; }
       console.log(seen, code);`,
    );
    expect(result.stdout.trim()).toBe('n1 ERR_TASKLOCAL_WRITE_UNSUPPORTED');
  });

  it('an explicit store wins over the registered one', async () => {
    const result = await runScript(
      'explicit',
      `import '@tasklocal/node-als/register';
       import { Local, runWith } from '@tasklocal/core';
       import { createSyncStore } from '@tasklocal/core/backend';
       const sync = new Local({ store: createSyncStore() });
       const seen = await runWith(sync, { id: 's' }, async () => [sync.id, await Promise.resolve().then(() => sync.id)]);
       console.log(JSON.stringify(seen));`,
    );
    expect(result.stdout.trim()).toBe('["s",null]');
  });

  it('rejects a store of another contract version with a message that says to align versions', async () => {
    const result = await runScript(
      'version',
      `import { Local } from '@tasklocal/core';
       import { createSyncStore } from '@tasklocal/core/backend';
       try { new Local({ store: { ...createSyncStore(), version: 2 } }); } catch (e) { console.log(e.name + ': ' + e.message); }`,
    );
    expect(result.stdout).toMatch(/^TypeError: .*version 2.*Install matching versions/);
  });
});
