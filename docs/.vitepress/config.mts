import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'tasklocal',
  description: "Context-local storage for JavaScript: asgiref's Local, per async task, on every runtime.",
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  lastUpdated: false,
  srcExclude: ['**/README.md', 'node_modules/**'],
  themeConfig: {
    logo: '/favicon.svg',
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Semantics', link: '/semantics' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Semantics', link: '/semantics' },
          { text: 'Request ids in every log line', link: '/guide/request-id' },
          { text: 'Worker threads', link: '/guide/workers' },
          { text: 'Migrating', link: '/guide/migrating' },
        ],
      },
      {
        text: 'Backends',
        items: [
          { text: 'node-als (Node, Deno, Bun, workerd)', link: '/backends/node-als' },
          { text: 'browser-zone (browsers)', link: '/browser' },
          { text: 'Writing a backend', link: '/backends/writing-a-backend' },
          { text: 'Runtime matrix', link: '/matrix' },
        ],
      },
      {
        text: 'Benchmarks',
        items: [
          { text: 'Core and node-als', link: '/benchmarks' },
          { text: 'Browsers', link: '/benchmarks-browser' },
          { text: 'Request ids', link: '/benchmarks-request-id' },
          { text: 'Workers', link: '/benchmarks-worker' },
        ],
      },
      { text: 'API reference', link: '/api/' },
    ],
    search: { provider: 'local' },
  },
});
