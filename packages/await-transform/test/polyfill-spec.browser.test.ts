// The polyfill's rules that hold only where native `await` is rewritten: an
// async function's own continuations, and the adoption of an awaited thenable.
// The rest of the polyfill's specification tests run untransformed in
// @tasklocal/browser-zone; these are compiled with the transform.
import { installAsyncContextPolyfill, Snapshot, Variable } from '@tasklocal/browser-zone/async-context';
import { expect, test } from 'vitest';

installAsyncContextPolyfill();

test('the promise an async target returns does not settle in the wrapped context', async () => {
  const a = new Variable<string>();
  let resolve!: () => void;
  const wrapped = a.run('wrapped', () =>
    Snapshot.wrap(async () => {
      const before = a.get();
      await new Promise<void>((r) => (resolve = r));
      return [before, a.get()];
    }),
  );
  const result = a.run('caller', () => wrapped().then((values) => [...values, a.get()]));
  resolve();
  expect(await result).toEqual(['wrapped', 'wrapped', 'caller']);
});

test('`await thenable` calls `then` in the awaiting context', async () => {
  const a = new Variable<string>();
  let seen: string | undefined;
  const thenable = {
    then(onFulfilled: (value: unknown) => void) {
      seen = a.get();
      onFulfilled('value');
    },
  };
  const value = await a.run('awaiting', async () => await thenable);
  expect([value, seen]).toEqual(['value', 'awaiting']);
});
