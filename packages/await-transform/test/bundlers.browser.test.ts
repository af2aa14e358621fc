// The published plugin for each bundler, as a user wires it: the fixture app is bundled
// in Node by esbuild, Rollup, webpack and Vite, then run here in Chromium. The same app
// bundled without the plugin is the control: it must lose the values after `await`.
import { describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';

const extra = commands as unknown as { bundleWith(bundler: string, transformed: boolean): Promise<string> };
type App = { run(): Promise<{ talk: string[]; forAwait: string[] }> };

async function load(code: string): Promise<App> {
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    return (await import(/* @vite-ignore */ url)) as App;
  } finally {
    URL.revokeObjectURL(url);
  }
}

describe.each(['esbuild', 'rollup', 'webpack', 'vite'])('the %s plugin', (bundler) => {
  test('keeps every task its own values across native await and for await', async () => {
    const code = await extra.bundleWith(bundler, true);
    expect(code).toMatch(/async function task\(n\)/);
    expect(code).not.toMatch(/__awaiter|regeneratorRuntime/);
    const { talk, forAwait } = await (await load(code)).run();
    expect(talk).toEqual(['3 == 3', '2 == 2', '1 == 1']);
    expect(forAwait).toEqual(['a a a', 'b b b']);
  });

  test('without it, the same bundle loses the values after await (the control)', async () => {
    const { talk } = await (await load(await extra.bundleWith(bundler, false))).run();
    expect(talk.some((line) => line.includes('!='))).toBe(true);
  });
});
