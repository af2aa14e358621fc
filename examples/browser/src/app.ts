import { Local, runWith } from '@tasklocal/core';

/** The request context: what a server would put in its logs, here in the browser. */
const request = new Local<{ requestId: string }>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A logger that knows nothing about requests: it stamps each line with the current request id. */
function log(panel: HTMLElement, owner: string, message: string): void {
  const id = request.requestId ?? '(none)';
  const line = document.createElement('li');
  line.textContent = `[${id}] ${message}`;
  line.dataset['owner'] = owner;
  line.dataset['seen'] = id;
  line.className = id === owner ? 'ok' : 'wrong';
  panel.append(line);
}

/** One "request": a few awaits of different lengths, logging as it goes. */
async function handle(panel: HTMLElement, owner: string, delays: readonly number[]): Promise<void> {
  log(panel, owner, 'start');
  await sleep(delays[0] ?? 0);
  log(panel, owner, 'loaded user');
  const rows = await Promise.resolve()
    .then(() => sleep(delays[1] ?? 0))
    .then(() => 3);
  log(panel, owner, `queried ${rows} rows`);
  for await (const step of steps(delays[2] ?? 0)) log(panel, owner, `streamed ${step}`);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  log(panel, owner, 'done');
}

async function* steps(delay: number): AsyncGenerator<string> {
  for (const name of ['a', 'b']) {
    await sleep(delay);
    yield name;
  }
}

const STYLE = `
  body { font: 16px/1.4 system-ui, sans-serif; margin: 16px; background: #fff; color: #1f2328; }
  button { font: inherit; padding: 6px 14px; }
  .panels { display: grid; grid-template-columns: repeat(5, 1fr); gap: 8px; margin-top: 12px; }
  section { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 8px; min-height: 180px; }
  h2 { font-size: 16px; margin: 0 0 4px; }
  ul { list-style: none; margin: 0; padding: 0; font: 13px/1.5 ui-monospace, monospace; }
  li.ok { color: #fff; background: #1a7f37; margin: 2px 0; padding: 0 4px; }
  li.wrong { color: #fff; background: #cf222e; margin: 2px 0; padding: 0 4px; }
`;

/**
 * Mounts the demo: a button that starts five concurrent requests, each in
 * its own `runWith` scope, interleaving on the event loop.
 */
export function mount(root: HTMLElement): { done: () => Promise<void> } {
  const style = document.createElement('style');
  style.textContent = STYLE;
  const button = document.createElement('button');
  button.textContent = 'Start 5 requests';
  const panels = document.createElement('div');
  panels.className = 'panels';
  root.append(style, button, panels);
  let running: Promise<void> = Promise.resolve();
  button.addEventListener('click', () => {
    panels.replaceChildren();
    const ids = ['req-1', 'req-2', 'req-3', 'req-4', 'req-5'];
    running = Promise.all(
      ids.map((id, i) => {
        const section = document.createElement('section');
        const title = document.createElement('h2');
        title.textContent = id;
        const list = document.createElement('ul');
        section.append(title, list);
        panels.append(section);
        // Different delays per request, so their awaits interleave.
        const delays = [(5 - i) * 7, (i % 3) * 9, 3 + i * 2];
        return runWith(request, { requestId: id }, () => handle(list, id, delays));
      }),
    ).then(() => undefined);
  });
  return { done: () => running };
}
