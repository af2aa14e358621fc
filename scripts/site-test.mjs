// The built documentation site in headless Chromium: every page loads with no
// console errors, the navigation works, and a screenshot of the front page
// shows the page (checked by decoding it). Prints `site: N passed, N failed`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { root } from './lib/runtimes.mjs';
import { serveStatic } from './lib/static.mjs';
import { createChecks } from './lib/checks.mjs';

const dist = join(root, 'docs', '.vitepress', 'dist');
const { check, finish } = createChecks('site');

if (!existsSync(join(dist, 'index.html'))) throw new Error('The site is not built: run `npm run docs:build` first.');

const server = await serveStatic(dist);
const { base } = server;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));

  const pages = [
    '/',
    '/guide/getting-started',
    '/semantics',
    '/guide/migrating',
    '/backends/node-als',
    '/backends/writing-a-backend',
    '/matrix',
    '/benchmarks',
    '/api/',
  ];
  for (const path of pages) {
    errors.length = 0;
    const response = await page.goto(base + path, { waitUntil: 'networkidle' });
    const heading = await page
      .locator('h1')
      .first()
      .textContent({ timeout: 5000 })
      .catch(() => null);
    check(
      `${path} loads with a heading and no console errors`,
      response?.status() === 200 && heading !== null && errors.length === 0,
      `status ${response?.status()}, heading ${heading}, errors ${JSON.stringify(errors)}`,
    );
  }

  await page.goto(base, { waitUntil: 'networkidle' });
  await page.locator('.VPHero').getByRole('link', { name: 'Get started', exact: true }).click();
  await page.waitForURL('**/guide/getting-started');
  const arrived = (text) =>
    page
      .locator('h1', { hasText: text })
      .first()
      .waitFor({ timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
  check('the front page’s “Get started” leads to the guide', await arrived('Getting started'));
  await page.locator('.VPNavBar').getByRole('link', { name: 'Semantics', exact: true }).first().click();
  await page.waitForURL('**/semantics');
  check('the navigation bar leads to the semantics page', await arrived('Semantics'));

  await page.goto(base, { waitUntil: 'networkidle' });
  await mkdir(join(root, '.cache'), { recursive: true });
  const shot = await page.screenshot();
  await writeFile(join(root, '.cache', 'site-front.png'), shot);
  // Decode the screenshot in the browser and look at it: not blank, and the hero title is drawn where the DOM says.
  const box = await page.locator('.VPHero .name').first().boundingBox();
  const probe = await browser.newPage();
  const stats = await probe.evaluate(
    async ({ data, box }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const all = context.getImageData(0, 0, image.width, image.height).data;
      const colours = new Set();
      for (let i = 0; i < all.length; i += 4 * 97) colours.add((all[i] << 16) | (all[i + 1] << 8) | all[i + 2]);
      const title = context.getImageData(Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)).data;
      let inked = 0;
      for (let i = 0; i < title.length; i += 4) if (title[i] + title[i + 1] + title[i + 2] < 600) inked++;
      return { width: image.width, height: image.height, colours: colours.size, inkedShare: inked / (title.length / 4) };
    },
    { data: shot.toString('base64'), box },
  );
  check(
    'the front page screenshot shows a drawn page (many colours, ink in the hero title)',
    stats.width === 1280 && stats.colours > 20 && stats.inkedShare > 0.05,
    JSON.stringify(stats),
  );
} finally {
  await browser.close();
  await server.close();
}
await finish();
