// The tally of a zx test script. Each check prints one line; `finish` prints
// `<label>: N passed, N failed` for people, and for `npm test` writes the
// results as JSON to the file named by `TASKLOCAL_RESULTS`, so nothing has to
// read the printed lines back.
import { writeFile } from 'node:fs/promises';

/** @typedef {{ name: string, passed: number, failed: number, skipped: number }} ResultRow */

/** Writes `rows` where `npm test` asked for them; a no-op when run by hand. */
export async function writeResults(rows) {
  const file = process.env.TASKLOCAL_RESULTS;
  if (file) await writeFile(file, `${JSON.stringify({ rows }, null, 2)}\n`);
}

/** A tally named `label`: `check(name, ok, detail?)` for each check, then `await finish()`. */
export function createChecks(label) {
  let passed = 0;
  let failed = 0;
  return {
    check(name, ok, detail = '') {
      if (ok) passed++;
      else failed++;
      console.log(`${ok ? '✓' : '✗'} ${name}${ok || !detail ? '' : `\n  ${String(detail).replaceAll('\n', '\n  ')}`}`);
      return ok;
    },
    get failed() {
      return failed;
    },
    async finish() {
      console.log(`${label}: ${passed} passed, ${failed} failed`);
      await writeResults([{ name: label, passed, failed, skipped: 0 }]);
      process.exitCode = failed > 0 ? 1 : 0;
    },
  };
}
