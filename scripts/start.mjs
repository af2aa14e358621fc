// `npm start`: builds the packages quietly (cached by turbo), then runs the demo
// and exits with its exit code.
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';

$.cwd = fileURLToPath(new URL('..', import.meta.url));
$.verbose = false;
const build = await $`npx turbo run build --output-logs=errors-only`.nothrow();
if (build.exitCode !== 0) {
  console.error(build.stdout + build.stderr);
  process.exit(build.exitCode ?? 1);
}
const demo = await $({ stdio: 'inherit' })`node examples/demo/main.mjs`.nothrow();
process.exitCode = demo.exitCode ?? 1;
