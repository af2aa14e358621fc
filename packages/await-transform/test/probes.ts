import { Local, runWith } from '@tasklocal/core';
import type { ContextStore } from '@tasklocal/core/backend';

/** What a probe gets: a Local on the store under test, and a way to click like a user. */
export interface ProbeContext {
  readonly local: Local<{ v: string }>;
  /** A real click from outside the page (Chromium input events), when the runner can make one. */
  readonly userClick?: (element: Element) => Promise<void>;
}

/** A browser boundary the core suite does not cover: the value a callback sees, where `A` was current when it was set up. */
export interface Probe {
  readonly id: string;
  readonly title: string;
  /** What the proposal (or, where it is silent, this package) wants the callback to see. */
  readonly expected: string;
  run(t: ProbeContext): Promise<string | undefined>;
}

const inA = <R>(local: Local<{ v: string }>, fn: () => R): R => runWith(local, { v: 'A' }, fn);
const timeout = <T>(promise: Promise<T>, ms = 2000): Promise<T | string> =>
  Promise.race([promise, new Promise<string>((resolve) => setTimeout(() => resolve('(never ran)'), ms))]);
const show = (value: string | undefined): string => value ?? 'empty';

export const probes: readonly Probe[] = [
  {
    id: 'await-native',
    title: '`await` of a native promise settled by a timer',
    expected: 'A',
    run: async ({ local }) =>
      show(
        await inA(local, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return local.v;
        }),
      ),
  },
  {
    id: 'request-animation-frame',
    title: '`requestAnimationFrame` callback',
    expected: 'A',
    run: async ({ local }) =>
      show(await timeout(new Promise<string | undefined>((resolve) => inA(local, () => requestAnimationFrame(() => resolve(local.v)))))),
  },
  {
    id: 'request-idle-callback',
    title: '`requestIdleCallback` callback',
    expected: 'A',
    run: async ({ local }) =>
      show(
        await timeout(
          new Promise<string | undefined>((resolve) => inA(local, () => requestIdleCallback(() => resolve(local.v), { timeout: 50 }))),
        ),
      ),
  },
  {
    id: 'message-channel',
    title: '`MessageChannel`: `onmessage` set outside any scope, `postMessage` in A',
    expected: 'A',
    run: async ({ local }) => {
      const channel = new MessageChannel();
      const seen = new Promise<string | undefined>((resolve) => {
        channel.port2.onmessage = () => resolve(local.v);
      });
      inA(local, () => channel.port1.postMessage('ping'));
      const value = show(await timeout(seen));
      channel.port1.close();
      return value;
    },
  },
  {
    id: 'xhr-load',
    title: 'XHR `load` listener, `send()` in A',
    expected: 'A',
    run: async ({ local }) =>
      show(
        await timeout(
          new Promise<string | undefined>((resolve) => {
            const xhr = new XMLHttpRequest();
            xhr.addEventListener('load', () => resolve(local.v));
            xhr.open('GET', location.href);
            inA(local, () => xhr.send());
          }),
        ),
      ),
  },
  {
    id: 'fetch-then',
    title: '`fetch(...).then` callback',
    expected: 'A',
    run: async ({ local }) => show(await inA(local, () => fetch(location.href).then(() => local.v))),
  },
  {
    id: 'user-click',
    title: 'a real user click on a button whose listener was added in A',
    expected: 'empty (proposal: externally caused events run in the empty context)',
    run: async ({ local, userClick }) => {
      if (userClick === undefined) return '(not run)';
      const button = document.createElement('button');
      button.textContent = 'probe';
      document.body.append(button);
      const seen = new Promise<string | undefined>((resolve) => inA(local, () => button.addEventListener('click', () => resolve(local.v))));
      await userClick(button);
      const value = show(await timeout(seen));
      button.remove();
      return value;
    },
  },
];

/** Runs every probe against a new store from `factory`. */
export async function runProbes(
  factory: () => ContextStore,
  userClick?: (element: Element) => Promise<void>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const probe of probes) {
    const local = new Local<{ v: string }>({ store: factory() });
    try {
      out[probe.id] = (await probe.run(userClick === undefined ? { local } : { local, userClick })) ?? 'empty';
    } catch (error) {
      out[probe.id] = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return out;
}
