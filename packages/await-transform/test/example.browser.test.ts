// End to end: the examples/browser app, compiled by this package's Vite plugin, in Chromium.
import '@tasklocal/browser-zone/register/async-context';
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { mount } from '../../../examples/browser/src/app.ts';

/** Counts the pixels of a screenshot close to each colour. */
async function countColours(base64: string, colours: Record<string, [number, number, number]>): Promise<Record<string, number>> {
  const image = new Image();
  image.src = `data:image/png;base64,${base64}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const counts: Record<string, number> = Object.fromEntries(Object.keys(colours).map((name) => [name, 0]));
  for (let i = 0; i < data.length; i += 4) {
    for (const [name, [r, g, b]] of Object.entries(colours)) {
      if (
        Math.abs((data[i] as number) - r) < 12 &&
        Math.abs((data[i + 1] as number) - g) < 12 &&
        Math.abs((data[i + 2] as number) - b) < 12
      ) {
        counts[name] = (counts[name] ?? 0) + 1;
      }
    }
  }
  return counts;
}

test('clicking the button starts five concurrent requests and every log line carries its own request id', async () => {
  await page.viewport(1100, 420);
  const root = document.createElement('main');
  document.body.append(root);
  const app = mount(root);
  await userEvent.click(page.getByRole('button', { name: 'Start 5 requests' }));
  await app.done();

  const lines = [...root.querySelectorAll('li')];
  expect(lines).toHaveLength(5 * 6);
  for (const line of lines) expect(line.dataset['seen'], line.textContent ?? '').toBe(line.dataset['owner']);
  for (let i = 1; i <= 5; i++) expect(root.querySelectorAll(`li[data-owner="req-${i}"]`)).toHaveLength(6);

  // The screenshot, checked by its pixels: green lines (id matches the panel) and no red ones.
  const shot = (await page.screenshot({ path: '../.vitest-results/example-browser.png', base64: true })) as {
    path: string;
    base64: string;
  };
  const counts = await countColours(shot.base64, { green: [0x1a, 0x7f, 0x37], red: [0xcf, 0x22, 0x2e] });
  expect(counts['red']).toBe(0);
  expect(counts['green']).toBeGreaterThan(30 * 200);
});
