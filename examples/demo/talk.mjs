// The talk's examples, runnable: three concurrent tasks each store a unique
// id, sleep 3, 2 and 1 (scaled to 300, 200, 100 ms), and read it back.
import { gather, Local } from '@tasklocal/core';

const uniqueId = () => crypto.randomUUID().replaceAll('-', '');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(title, localStorage, start) {
  console.log(`\n${title}`);
  const lines = [];
  async function testTask(wait) {
    const startUniqueId = uniqueId();
    localStorage.uniqueId = startUniqueId;
    await sleep(wait * 100);
    const endUniqueId = localStorage.uniqueId;
    const equalOrNot = startUniqueId === endUniqueId ? '==' : '!=';
    lines.push(equalOrNot);
    console.log(`  task=${wait} (start_unique_id='${startUniqueId}') ${equalOrNot} (end_unique_id='${endUniqueId}')`);
  }
  await start(testTask);
  return lines;
}

export async function talk() {
  const plain = await run('A plain shared object (the talk’s `class LocalStorage: ...`):', {}, (testTask) =>
    Promise.all([testTask(3), testTask(2), testTask(1)]),
  );
  const local = new Local();
  const ours = await run('tasklocal `new Local()` (the talk’s `asgiref.local.Local`):', local, (testTask) =>
    Promise.all([testTask(3), testTask(2), testTask(1)]),
  );

  console.log('\nWhere JavaScript differs from Python: a write before the first `await` runs in the caller’s task.');
  local.uniqueId = 'caller';
  await run('  with Promise.all:', local, (testTask) => Promise.all([testTask(3), testTask(2), testTask(1)]));
  console.log(`  the caller now reads ${JSON.stringify(local.uniqueId)}: the last task's first write reached it`);
  local.uniqueId = 'caller';
  await run('  with gather (asyncio.gather: each task isolated):', local, (testTask) =>
    gather([() => testTask(3), () => testTask(2), () => testTask(1)]),
  );
  console.log(`  the caller still reads ${JSON.stringify(local.uniqueId)}`);
  return { plainMismatches: plain.filter((l) => l === '!=').length, localMismatches: ours.filter((l) => l === '!=').length };
}
