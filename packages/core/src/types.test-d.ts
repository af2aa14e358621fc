// Type-level tests: `tsc` (npm run typecheck) fails if any `@ts-expect-error`
// below stops being an error, or if a correct use stops compiling.
import { gather, Local, runWith, view } from './index.ts';

const local = new Local<{ requestId: string; user?: string; count: number }>();

// @ts-expect-error reads are possibly undefined until set
const sure: string = local.requestId;
void sure;
const id: string | undefined = local.requestId;
local.requestId = 'r';
local.count = 1;
delete local.user;
void id;

// @ts-expect-error a key the shape does not declare
local.other = 1;
// @ts-expect-error a value of the wrong type
local.count = 'one';

runWith(local, { requestId: 'r' }, () => undefined);
// @ts-expect-error values must match the Local's shape
runWith(local, { requestId: 1 }, () => undefined);

const n: number = runWith(local, {}, (a: number, b: number) => a + b, 1, 2);
void n;

const fast = view(local, ['requestId', 'count']);
fast.count = 2;
// @ts-expect-error the view has only the keys it was made with
fast.user;

const results: Promise<[number, string]> = gather([async () => 1, () => 'x']);
void results;

const untyped = new Local();
untyped.anything = 1;
