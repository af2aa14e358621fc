// The release flow, proven in a throwaway clone: add a changeset, run
// `changeset version`, check that versions, changelogs and peer ranges move
// together, then build and `npm publish --dry-run` every package, as
// `npm run release` would. Prints `release: N passed, N failed`.
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { root } from './lib/runtimes.mjs';
import { createChecks } from './lib/checks.mjs';

$.verbose = false;
$.quiet = true;
const clone = await mkdtemp(join(tmpdir(), 'tasklocal-release-'));
const { check, finish } = createChecks('release');
const readJson = async (path) => JSON.parse(await readFile(path, 'utf8'));

try {
  await $`git clone --quiet ${root} ${clone}`;
  await symlink(join(root, 'node_modules'), join(clone, 'node_modules'));
  const names = (await readdir(join(clone, 'packages'))).sort();
  const before = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, (await readJson(join(clone, 'packages', n, 'package.json'))).version])),
  );
  await writeFile(
    join(clone, '.changeset', 'release-test.md'),
    '---\n"@tasklocal/core": patch\n---\n\nA change made by the release test.\n',
  );
  const version = await $({ cwd: clone })`npx changeset version`.nothrow();
  check('`changeset version` runs', version.exitCode === 0, version.stderr);
  const after = {};
  for (const name of names) {
    const pkg = await readJson(join(clone, 'packages', name, 'package.json'));
    after[name] = pkg.version;
    check(`${pkg.name}: version moved from ${before[name]} to ${pkg.version}`, pkg.version !== before[name]);
    const changelog = await readFile(join(clone, 'packages', name, 'CHANGELOG.md'), 'utf8').catch(() => '');
    check(`${pkg.name}: CHANGELOG.md has the new version`, changelog.includes(`## ${pkg.version}`), changelog.slice(0, 400));
  }
  check('every package has the same version (one fixed group)', new Set(Object.values(after)).size === 1, JSON.stringify(after));
  const semver = (await import('semver')).default;
  for (const name of names) {
    const pkg = await readJson(join(clone, 'packages', name, 'package.json'));
    for (const [peer, range] of Object.entries(pkg.peerDependencies ?? {})) {
      if (!peer.startsWith('@tasklocal/')) continue;
      const version = after[peer.slice('@tasklocal/'.length)];
      check(`${pkg.name}: its peer range ${range} accepts ${peer} ${version}`, version !== undefined && semver.satisfies(version, range));
    }
  }
  const build = await $({ cwd: clone })`npx turbo run build --output-logs=errors-only`.nothrow();
  check('the release build succeeds', build.exitCode === 0, build.stdout + build.stderr);
  for (const name of names) {
    const publish = await $({ cwd: join(clone, 'packages', name) })`npm publish --dry-run --access public`.nothrow();
    check(
      `packages/${name}: \`npm publish --dry-run\` of the new version succeeds`,
      publish.exitCode === 0 && publish.stderr.includes(after[name]),
      publish.stderr.slice(-800),
    );
  }
} finally {
  await rm(clone, { recursive: true, force: true });
}
await finish();
