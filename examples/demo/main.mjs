// `npm start`: the talk, runnable, then the request-id run. Exits 1 if a Local
// ever shows a task or request a value that is not its own.
import '@tasklocal/node-als/register';
import { requestIds } from './request-id.mjs';
import { talk } from './talk.mjs';

console.log('tasklocal: asgiref’s Local for JavaScript');
const { localMismatches } = await talk();
const { ours } = await requestIds();
const ok = localMismatches === 0 && ours === 0;
console.log(
  ok
    ? '\nEvery task and every request saw only its own values.'
    : `\nFAILED: ${localMismatches} task(s) and ${ours} log line(s) saw another task's value.`,
);
process.exitCode = ok ? 0 : 1;
