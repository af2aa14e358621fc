// `npm start`: the talk, runnable, then the request-id run. Exits 1 if a Local
// ever shows a task or a request a value that is not its own.
import '@tasklocal/node-als/register';
import { requestIds } from './request-id.mjs';
import { talk } from './talk.mjs';
import { threads } from './threads.mjs';

console.log('tasklocal: asgiref’s Local for JavaScript');
const talkMismatches = await talk();
const { threadMismatches } = await threads();
const requestsOk = await requestIds();
const ok = talkMismatches === 0 && threadMismatches === 0 && requestsOk;
console.log(
  ok
    ? '\nOK: with a Local, every task, thread and request saw only its own id.'
    : '\nFAILED: a Local showed a task or request another one’s id.',
);
process.exitCode = ok ? 0 : 1;
