// The `await` transform over real packages from node_modules, in Node (through browser commands):
// every file still parses once transformed, and scripts print the same through transformed copies
// of the packages as through the packages themselves.
import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';

interface Run {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const node = commands as unknown as {
  parseTransformed(names: string[]): Promise<{ files: number; transformed: number; failures: string[] }>;
  runTransformed(fixture: string, names: string[]): Promise<{ transformed: Run; plain: Run }>;
};

test('every .js, .mjs and .cjs file of undici, pino, fastify, vite, zx and playwright-core parses once transformed', async () => {
  const report = await node.parseTransformed(['undici', 'pino', 'fastify', 'vite', 'zx', 'playwright-core']);
  expect(report.failures).toEqual([]);
  // Hundreds of files have `await`; if few were rewritten, the transform skipped them, which is no test.
  expect(report.files).toBeGreaterThan(500);
  expect(report.transformed).toBeGreaterThan(200);
  // Thousands of files parsed twice: about half a minute alone, far more on a machine busy with the other tests.
}, 600_000);

test.each([
  // A request, a fetch, and a MockAgent that is closed at the end.
  { fixture: 'undici', packages: ['undici'], last: 'mock closed' },
  // pino with the packages its transports run on, all transformed.
  { fixture: 'pino', packages: ['pino', 'thread-stream', 'sonic-boom', 'pino-abstract-transport'], last: 'transport {' },
  { fixture: 'fastify', packages: ['fastify'], last: 'closed' },
  { fixture: 'vite', packages: ['vite'], last: 'asset index.html' },
])('$fixture prints the same through a transformed copy', async ({ fixture, packages, last }) => {
  const { transformed, plain } = await node.runTransformed(fixture, packages);
  expect(plain.exitCode, plain.stderr).toBe(0);
  expect(plain.stdout).toContain(last);
  expect(transformed.stdout, transformed.stderr).toBe(plain.stdout);
  expect(transformed.exitCode, transformed.stderr).toBe(0);
});
