// `npm start`: builds the packages (cached by turbo) and runs the demo.
import { $ } from 'zx';
import { root } from './lib/runtimes.mjs';

$.cwd = root;
$.verbose = false;
$.quiet = true;
const build = await $`npx turbo run build --output-logs=errors-only`.nothrow();
if (build.exitCode !== 0) {
  console.error(build.stdout + build.stderr);
  process.exit(build.exitCode);
}
const demo = await $({ stdio: 'inherit' })`node examples/demo/main.mjs`.nothrow();
process.exitCode = demo.exitCode;
