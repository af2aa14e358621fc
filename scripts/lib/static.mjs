// A static file server on 127.0.0.1 for built sites and bundles under test.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/**
 * Serves `dir` on a free port. `/a` also finds `a.html` and `a/index.html`; a miss
 * answers `404.html` when the folder has one. Returns the base URL and `close()`.
 */
export async function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    for (const candidate of [path, `${path}.html`, join(path, 'index.html')]) {
      const file = join(dir, candidate);
      if (file.startsWith(dir) && existsSync(file) && !file.endsWith('/')) {
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
          res.end(body);
          return;
        } catch {
          // a directory: try the next candidate
        }
      }
    }
    const missing = join(dir, '404.html');
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end(existsSync(missing) ? await readFile(missing) : 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
