// The talk's coroutine examples, runnable: three concurrent tasks each store a
// unique id, sleep 3, 2 and 1 (scaled to 300, 200, 100 ms), and read it back.
import '@tasklocal/node-als/register';
import { fileURLToPath } from 'node:url';
import { gather, Local } from '@tasklocal/core';

const uuid4Hex = () => crypto.randomUUID().replaceAll('-', ''); // Python's uuid.uuid4().hex
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The talk's `test_task` on `localStorage`; resolves to true when it printed `==`. */
const testTaskOn = (localStorage) =>
  async function testTask(wait) {
    const startUniqueId = uuid4Hex();
    localStorage.uniqueId = startUniqueId;
    await sleep(wait * 100);
    const endUniqueId = localStorage.uniqueId;
    const equalOrNot = startUniqueId === endUniqueId ? '==' : '!=';
    console.log(`  task=${wait} (start_unique_id='${startUniqueId}') ${equalOrNot} (end_unique_id='${endUniqueId}')`);
    return equalOrNot === '==';
  };

const mismatches = (results) => results.filter((ok) => !ok).length;

/** Runs the talk; resolves to the number of `!=` lines a Local printed (0 when it works). */
export async function talk() {
  console.log('\n1. A plain shared object, `const localStorage = {}` (the talk’s `class LocalStorage: ...`):');
  {
    const localStorage = {};
    const testTask = testTaskOn(localStorage);
    await Promise.all([testTask(3), testTask(2), testTask(1)]);
  }

  console.log('\n2. `const localStorage = new Local()` (the talk’s `asgiref.local.Local()`):');
  const localStorage = new Local();
  const testTask = testTaskOn(localStorage);
  let bad = mismatches(await Promise.all([testTask(3), testTask(2), testTask(1)]));
  console.log(`  caller now reads uniqueId='${localStorage.uniqueId}': JS runs each task up to its first await in the caller`);

  console.log('\n3. Python’s semantics: `gather([() => testTask(3), ...])` runs each function as its own task:');
  localStorage.uniqueId = 'caller';
  bad += mismatches(await gather([() => testTask(3), () => testTask(2), () => testTask(1)]));
  console.log(`  caller set uniqueId='caller' first and still reads uniqueId='${localStorage.uniqueId}', as with asyncio.gather`);
  return bad;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = (await talk()) === 0 ? 0 : 1;
