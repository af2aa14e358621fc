// Type-level tests: `tsc` (npm run typecheck) fails if any `@ts-expect-error`
// below stops being an error, or if a correct use stops compiling.
import { gather, Local, runWith, view } from '../src/index.ts';

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

// The type names of each entry: one that moves or disappears stops compiling here.
import type * as Backend from '../src/backend.ts';
import type * as Bridge from '../src/bridge.ts';
import type * as Main from '../src/index.ts';

type MainTypes = [
  Main.LocalOptions,
  Main.LocalConstructor,
  Main.Snapshot,
  Main.Binding,
  Main.LocalView<object, never>,
  Main.LocalErrorCode,
  Main.RegisterStoreOptions,
];
type BackendTypes = [Backend.ContextStore, Backend.ContextStoreFactory, Backend.StoreCapabilities, Backend.AsyncContextNamespace];
type BridgeTypes = [Bridge.PackedValues, Bridge.ThreadCriticalFilter, Bridge.WriteObserver, Bridge.KeyWrite];
export type { BackendTypes, BridgeTypes, MainTypes };

// @ts-expect-error backend names are not on the main entry
type NotMain = Main.ContextStore;
// @ts-expect-error the object wire form is gone
type Gone = Bridge.TransferredValues;
export type { Gone, NotMain };

// @ts-expect-error the worker's error codes belong to @tasklocal/worker
const workerCode: Main.LocalErrorCode = 'ERR_TASKLOCAL_WORKER_EXITED';
void workerCode;
