import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserCommand } from 'vitest/node';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles `entry` without the `await` transform, so a test can see what holds without it. */
const bundleUntransformed: BrowserCommand<[entry: string]> = async (_context, entry) => {
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: resolve(here, entry), platform: 'browser', logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  return output[0].code;
};

/** Writes a result file for the docs generator (only when it asked for one). */
const writeResults: BrowserCommand<[name: string, json: string]> = async (_context, name, json) => {
  const dir = process.env['TASKLOCAL_RESULTS_DIR'];
  if (dir === undefined) return false;
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, `${name}.json`), json);
  return true;
};

/** Runs the `await` transform in Node (it parses with oxc), for the transform's own tests. */
const transform: BrowserCommand<[code: string, id: string, runtime: string]> = async (_context, code, id, runtime) => {
  const { transformAwait } = await import('../src/transform.ts');
  const result = transformAwait(code, id, { runtime });
  return result === undefined ? null : { code: result.code, map: JSON.parse(result.map?.toString() ?? 'null') };
};

/** The original position of a generated one, through the transform's source map. */
const originalPosition: BrowserCommand<[map: string, line: number, column: number]> = async (_context, map, line, column) => {
  const { TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping');
  return originalPositionFor(new TraceMap(map), { line, column });
};

export const commands: Record<string, BrowserCommand<never[]>> = {
  bundleUntransformed: bundleUntransformed as BrowserCommand<never[]>,
  writeResults: writeResults as BrowserCommand<never[]>,
  transform: transform as BrowserCommand<never[]>,
  originalPosition: originalPosition as BrowserCommand<never[]>,
};
