// The widget with no talks-server: a static bundle (talks-index
// --static-out) served by a plain file server on loopback, searched in
// Debian's headless Chromium. data-static alone searches only the bundle;
// data-api at a closed port plus data-static falls back to it.
//
//   node static.test.mjs --talks-index build/indexer/talks-index \
//        --corpus corpus --static server/static
//
// Exits non-zero on the first failed assertion.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
for (const required of ['talks-index', 'corpus', 'static']) assert.ok(args[required], `--${required} is required`);

// The site: index.html (static only), fallback.html (a dead API), the
// widget and talksearch-static.js beside it, the bundle under /search/.
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'static-site-'));
execFileSync(args['talks-index'], ['--corpus', args.corpus, '--db', path.join(site, 'db'),
  '--static-out', path.join(site, 'search')], { stdio: ['ignore', 'ignore', 'inherit'] });
fs.rmSync(path.join(site, 'db'), { recursive: true });
for (const file of ['talksearch-widget.js', 'talksearch-static.js']) {
  fs.copyFileSync(path.join(args.static, file), path.join(site, file));
}
const page = (attrs) => `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>site</title></head>
<body><div data-talksearch ${attrs}></div><script src="/talksearch-widget.js" defer></script></body></html>`;
fs.writeFileSync(path.join(site, 'index.html'), page('data-static="/search/"'));
fs.writeFileSync(path.join(site, 'fallback.html'), page('data-api="http://127.0.0.1:9" data-static="/search/"'));

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.gz': 'application/octet-stream' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = path.join(site, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (process.env.STATIC_TEST_VERBOSE) console.error('404', req.url);
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => console.error('page error:', e.message));
  if (process.env.STATIC_TEST_VERBOSE) tab.on('console', (m) => console.error('console:', m.text()));
  async function search(url, query) {
    await tab.goto(`${base}${url}?q=${encodeURIComponent(query)}`);
    await tab.waitForSelector('.ts-results > *', { timeout: 15000 }).catch(async (e) => {
      throw new Error(query + ': no results; status: ' + await tab.evaluate(() => document.querySelector('[role=status], .ts-status')?.textContent));
    });
    return tab.evaluate(() => ({
      hits: document.querySelectorAll('.ts-results > *').length,
      marks: Array.from(document.querySelectorAll('.ts-results mark')).map((m) => m.textContent),
      facets: document.querySelectorAll('.ts-facets input, .ts-facets button, .ts-facets li').length,
    }));
  }
  const started = Date.now();
  const first = await search('/', '拡散モデル');
  console.log(`first result on a cold page: ${Date.now() - started} ms`);
  assert.ok(first.hits > 0, '拡散モデル: no hits');
  assert.ok(first.marks.some((m) => m.includes('拡散モデル')), `拡散モデル: marks ${first.marks}`);
  assert.ok(first.facets > 0, '拡散モデル: no facets');
  for (const query of ['PINN', 'かくさんもでる', '橋本幸士']) {
    const got = await search('/', query);
    assert.ok(got.hits > 0, `${query}: no hits`);
    assert.ok(got.marks.length > 0, `${query}: no <mark>`);
    assert.ok(got.facets > 0, `${query}: no facets`);
    console.log(`${query}: ${got.hits} hits, marks ${[...new Set(got.marks)].slice(0, 3).join(' ')}`);
  }
  const fallback = await search('/fallback.html', 'PINN');
  assert.ok(fallback.hits > 0 && fallback.marks.includes('PINN'), 'fallback: no hits from the bundle');
  console.log('fallback to the bundle with the API down: ok');
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(site, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
