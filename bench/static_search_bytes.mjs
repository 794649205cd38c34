// Bytes one search fetches on a cold page, the talksearch static bundle
// against Pagefind, in headless Chromium over loopback: for each query a
// fresh browser context (nothing cached), the search engine's script
// loaded, the query searched and its first 10 results' data fetched
// (talksearch: search({limit: 10}); Pagefind: search() and data() of the
// first 10 results). Every response after the blank page is counted, as
// served (the bundle's gzip chunks; Pagefind's own compressed files).
//
//   node static_search_bytes.mjs --site DIR --queries FILE
// DIR holds talksearch-static.js, search/ (talks-index --static-out) and
// pagefind/ (pagefind --site); the queries are a judged file's first column.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// playwright-core from the Chromium tests' npm packages.
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/e2e/node_modules/'));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(process.argv.slice(2).reduce(
  (pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const site = path.resolve(args.site);
fs.writeFileSync(path.join(site, 'blank.html'), '<!doctype html><meta charset="utf-8"><title>b</title>');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const queries = fs.readFileSync(args.queries, 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const engines = {
  talksearch: async (query) => {
    await new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/talksearch-static.js'; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
    const answer = await self.TalksearchStatic.open('/search/')(query, { limit: 10 });
    return answer.hits.length;
  },
  pagefind: async (query) => {
    const pagefind = await import('/pagefind/pagefind.js');
    const found = await pagefind.search(query);
    const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    return data.length;
  },
};
const totals = {};
for (const [name, engine] of Object.entries(engines)) {
  const bytes = [];
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/blank.html`);
    let sum = 0;
    const counted = [];
    page.on('response', (r) => counted.push(r.body().then((b) => { sum += b.length; }, () => {})));
    const hits = await page.evaluate(engine, query);
    await Promise.all(counted);
    bytes.push(sum);
    if (process.env.VERBOSE) console.log(name, query, hits, sum);
    await context.close();
  }
  bytes.sort((a, b) => a - b);
  totals[name] = { mean: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
                   median: bytes[Math.floor(bytes.length / 2)], min: bytes[0], max: bytes[bytes.length - 1] };
  console.log(`${name}: bytes per cold search over ${bytes.length} queries: median ${totals[name].median}, ` +
              `mean ${totals[name].mean}, min ${totals[name].min}, max ${totals[name].max}`);
}
await browser.close();
server.close();
