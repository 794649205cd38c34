// End-to-end tests of the search widget: a real talks-server on loopback,
// Debian's Chromium driven headless by playwright-core (never a downloaded
// browser), and what a visitor does: type, read highlighted snippets, click a
// facet, page, share a ?q= URL, pick a suggestion with the keyboard, read
// what the server did to the query (a correction, words made optional), and
// use the widget from a page on another origin (CORS); results as you type,
// how each result matched, labelled facets, sorting, related talks, both
// languages for every string and error, a site whose API is down, the
// OpenAPI file (validated, and the API's answers checked against it), and
// axe-core's label and contrast rules.
//
//   node widget.test.mjs --server build/server/talks-server --db INDEX_DIR \
//        --static server/static --artifacts DIR
//
// Exits non-zero on the first failed assertion; saves screenshots in DIR.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
for (const required of ['server', 'db', 'static', 'artifacts']) {
  assert.ok(args[required], `--${required} is required`);
}
mkdirSync(args.artifacts, { recursive: true });

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(args.server, ['--db', args.db, '--port', '0', '--static', args.static, '--quiet'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`talks-server did not start: ${log}`)), 20000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`talks-server exited (${code}): ${log}`)));
  });
}

// A page of "the seminar site" on another origin that embeds the widget
// from talks-server, as GitHub Pages would.
// /two: a page with two widgets; /base: one with data-base-url (the seminar
// page's address); /en: data-lang="en"; /down: an API that does not answer
// (a closed port), with the widget script copied onto the site itself.
const SEMINAR_PAGE = 'https://example.github.io/seminar/';
function startOtherOrigin(apiBase) {
  const page = (url) => {
    const api = url.startsWith('/down') ? 'http://127.0.0.1:9' : apiBase;
    const attrs = `data-api="${api}"` + (url.startsWith('/base') ? ` data-base-url="${SEMINAR_PAGE}"` : '') +
      (url.startsWith('/en') ? ' data-lang="en"' : '');
    const script = url.startsWith('/down') ? '/widget.js' : `${apiBase}/talksearch-widget.js`;
    return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>site</title></head>
<body><h1>DLAP</h1>${`<div data-talksearch ${attrs}></div>`.repeat(url.startsWith('/two') ? 2 : 1)}
<script src="${script}" defer></script></body></html>`;
  };
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/widget.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        res.end(readFileSync(path.join(args.static, 'talksearch-widget.js')));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(req.url));
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://localhost:${server.address().port}` }));
  });
}

const hitIds = (page) => page.$$eval('.ts-hit', (items) => items.map((i) => i.dataset.id));

async function waitForResults(page) {
  await page.waitForFunction(() => {
    const root = document.querySelector('[data-talksearch]');
    return root && !root.hasAttribute('aria-busy') && document.querySelector('.ts-hit');
  }, null, { timeout: 15000 });
}

// A search answer made up by a test (page.route), for what the corpus does
// not show on demand: a corrected query, words the results may lack.
function searchBody(fields) {
  return {
    query: '', total: 1, total_exact: true, took_ms: 1, did_you_mean: null,
    corrected_query: null, corrections: [], relaxed_words: [],
    hits: [{ id: 'dlap-900', title: '経路積分と機械学習', title_html: '<mark>経路積分</mark>と機械学習',
      speaker: '物理 太郎', speaker_html: '物理 太郎', affiliation: '', date: '2021-04-01',
      series: ['dlap'], collection: 'talks', language: 'ja', url: '#dlap-900', slides_url: '',
      score: 1, snippet: '<mark>経路積分</mark>を使う', matched_via: ['word'] }],
    facets: {},
    ...fields,
  };
}

// Answers every search with answer(params) and records the parameters sent.
async function mockSearch(page, answer) {
  const sent = [];
  await page.route('**/api/search?**', (route) => {
    const params = new URL(route.request().url()).searchParams;
    sent.push(params);
    return route.fulfill({ json: searchBody(answer(params)) });
  });
  return sent;
}

// 経路績分 is an input-method error for 経路積分 (the same reading).
const corrected = (params) => (params.get('autocorrect') === 'false'
  ? { query: params.get('q'), did_you_mean: '経路積分' }
  : { query: params.get('q'), corrected_query: '経路積分', did_you_mean: '経路積分',
    corrections: [{ from: '経路績分', to: '経路積分', kind: 'reading' }] });

const { child, base } = await startServer();
const other = await startOtherOrigin(base);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
async function test(name, body, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await body(page);
    assert.deepEqual(errors, [], 'no script errors on the page');
    console.log(`ok - ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').join('\n  ')}`);
    await page.screenshot({ path: path.join(args.artifacts, `failed-${name.replace(/\W+/g, '-')}.png`) });
  } finally {
    await context.close();
  }
}

try {
  await test('typing 拡散モデル shows the two diffusion-model talks, highlighted', async (page) => {
    await page.goto(`${base}/`);
    await page.fill('.ts-input', '拡散モデル');
    await page.press('.ts-input', 'Enter');
    await waitForResults(page);
    const ids = await hitIds(page);
    assert.deepEqual(new Set(ids.slice(0, 2)), new Set(['dlap-062', 'dlap-067']));
    const marks = await page.$$eval('.ts-hit:first-child .ts-snippet mark', (m) => m.map((x) => x.textContent));
    assert.ok(marks.length > 0, 'the snippet has highlights');
    assert.ok(marks.every((m) => m === '拡散モデル'), `whole-word marks, got ${marks}`);
    assert.match(await page.textContent('.ts-hit:first-child .ts-title'), /拡散モデル/);
    assert.match(page.url(), /\?q=%E6%8B%A1%E6%95%A3/);
    await page.screenshot({ path: path.join(args.artifacts, 'results.png'), fullPage: true });
  });

  await test('clicking a facet chip filters the results', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('ニューラルネットワーク')}`);
    await waitForResults(page);
    const before = await page.textContent('.ts-status');
    await page.click('.ts-chip[data-facet="year"][data-value="2021"]');
    await page.waitForFunction(() => document.querySelector('.ts-chip[aria-pressed="true"]'));
    await waitForResults(page);
    const dates = await page.$$eval('.ts-hit .ts-meta', (m) => m.map((x) => x.textContent.slice(0, 4)));
    assert.ok(dates.length > 0);
    assert.ok(dates.every((d) => d === '2021'), `all results from 2021: ${dates}`);
    assert.notEqual(await page.textContent('.ts-status'), before);
    assert.match(page.url(), /year=2021/);
  });

  await test('an exact total is shown as it is, an estimated one as about', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    assert.match(await page.textContent('.ts-status'), /^\d+ 件/);
    // A server past its time limit says its total is an estimate.
    await page.route('**/api/search?**', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      assert.equal(body.total_exact, true);
      await route.fulfill({ response, json: { ...body, total_exact: false } });
    });
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    assert.match(await page.textContent('.ts-status'), /^約 \d+ 件/);
  });

  await test('paging moves to the next results and keeps the page in the URL', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('深層学習')}`);
    await waitForResults(page);
    const first = await hitIds(page);
    assert.equal(first.length, 10);
    await page.click('.ts-next');
    await page.waitForFunction(() => /page=2/.test(location.search));
    await waitForResults(page);
    const second = await hitIds(page);
    assert.ok(second.length > 0);
    assert.ok(second.every((id) => !first.includes(id)), 'page 2 shows other talks');
    assert.match(await page.textContent('.ts-page'), /^2 \//);
  });

  await test('a shared ?q= URL opens with its results', async (page) => {
    await page.goto(`${base}/?q=PINN`);
    await waitForResults(page);
    assert.equal(await page.inputValue('.ts-input'), 'PINN');
    assert.deepEqual(new Set((await hitIds(page)).slice(0, 2)), new Set(['dlap-077', 'dlap-072']));
  });

  await test('suggestions appear while typing and Enter selects one', async (page) => {
    await page.goto(`${base}/`);
    await page.keyboard.press('/');  // "/" focuses the search box
    assert.equal(await page.evaluate(() => document.activeElement.className), 'ts-input');
    await page.keyboard.type('かくさ', { delay: 50 });
    await page.waitForSelector('.ts-suggest li', { state: 'visible' });
    const options = await page.$$eval('.ts-suggest li', (li) => li.map((x) => x.firstChild.textContent));
    assert.ok(options.includes('拡散モデル'), `suggestions: ${options}`);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('.ts-suggest li:first-child', 'aria-selected'), 'true');
    await page.keyboard.press('Enter');
    await waitForResults(page);
    assert.equal(await page.inputValue('.ts-input'), options[0]);
    assert.ok(await page.isHidden('.ts-suggest'));
    // ↓ moves through the results once the box is left.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('.ts-hit:nth-child(1)', 'aria-selected'), null);
    assert.equal(await page.getAttribute('.ts-hit:nth-child(2)', 'aria-selected'), 'true');
    // The highlighted hit's link has the focus: a screen reader reads it.
    assert.equal(await page.evaluate(() => document.activeElement.closest('.ts-hit') ===
      document.querySelector('.ts-hit:nth-child(2)')), true);
  });

  await test('the widget works from another origin and switches to English', async (page) => {
    await page.goto(`${other.base}/?q=${encodeURIComponent('black hole')}`);
    await waitForResults(page);
    assert.equal((await hitIds(page))[0], 'dlap-017');
    await page.click('.ts-lang');
    assert.equal(await page.getAttribute('.ts-input', 'placeholder'), 'Search talks (e.g. diffusion model, PINN, speaker:Hashimoto)');
    assert.match(await page.textContent('.ts-status'), /^\d+ talks?$/);
  });

  await test('a javascript: link from the index never becomes a link that runs', async (page) => {
    // The indexer refuses such links; the widget does not rely on it.
    await page.route('**/api/search?**', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.hits[0].url = 'javascript:window.__pwned=1';
      body.hits[0].slides_url = 'JAVASCRIPT:window.__pwned=2';
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${base}/?q=PINN`);
    await waitForResults(page);
    const first = page.locator('.ts-hit').first();
    const href = await first.locator('.ts-title a').getAttribute('href');
    assert.ok(!/script:/i.test(href), `title link ${href}`);
    assert.equal(await first.locator('.ts-slides').count(), 0, 'no slides link');
    await first.locator('.ts-title a').click();  // '#dlap-…': the page searches again
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.unrouteAll({ behavior: 'ignoreErrors' });  // that search may still be routed
  });

  await test('a filter that matches nothing can still be cleared', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}&year=2019`);
    await page.waitForFunction(() => !document.querySelector('[data-talksearch]').hasAttribute('aria-busy') &&
      document.querySelector('.ts-status').textContent !== '');
    assert.equal((await hitIds(page)).length, 0);
    assert.ok(await page.isVisible('.ts-chip[data-facet="year"][data-value="2019"][aria-pressed="true"]'),
      'the active filter keeps its chip');
    await page.click('.ts-chip[data-facet="year"][data-value="2019"]');
    await waitForResults(page);
    assert.doesNotMatch(page.url(), /year=/);
    assert.ok((await hitIds(page)).length > 0);
  });

  await test('the suggestion list stays closed once the search is sent', async (page) => {
    // The suggestion request is held until the search has been sent and
    // answered, then let through: its late answer must not reopen the list.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let sent;
    const suggestSent = new Promise((resolve) => { sent = resolve; });
    await page.route('**/api/suggest?**', async (route) => {
      sent();
      await held;
      await route.continue();
    });
    await page.goto(`${base}/`);
    await page.click('.ts-input');
    await page.keyboard.type('かくさ');
    await suggestSent;
    await page.keyboard.press('Enter');
    await waitForResults(page);
    const answered = page.waitForResponse('**/api/suggest?**');
    release();
    await answered;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));  // its handlers ran
    assert.ok(await page.isHidden('.ts-suggest'), 'suggestions reopened over the results');
    assert.equal(await page.getAttribute('.ts-input', 'aria-expanded'), 'false');
  });

  await test("the host page's own buttons and text areas keep their keys", async (page) => {
    await page.goto(`${base}/?q=PINN`);
    await waitForResults(page);
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'host-button';
      button.textContent = 'host';
      button.addEventListener('click', () => { window.__hostClicked = true; });
      const area = document.createElement('textarea');
      area.id = 'host-area';
      // On window, after the widget's handler on document has run.
      window.addEventListener('keydown', (e) => {
        if (e.target === area) window.__arrowPrevented = e.defaultPrevented;
      });
      document.body.prepend(button, area);
    });
    await page.locator('body').press('ArrowDown');  // a hit is highlighted
    assert.equal(await page.getAttribute('.ts-hit:nth-child(1)', 'aria-selected'), 'true');
    const url = page.url();
    await page.focus('#host-button');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => window.__hostClicked), true);
    assert.equal(page.url(), url, 'Enter on the host button opened a hit');
    await page.focus('#host-area');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => window.__arrowPrevented), false);
  });

  await test('a shared link adds no history entry, and Back to no query clears the results', async (page) => {
    await page.goto(`${base}/?q=PINN`);
    await waitForResults(page);
    await page.goBack();  // one step back leaves the shared link
    assert.equal(page.url(), 'about:blank');
    await page.goto(`${base}/`);
    await page.fill('.ts-input', '拡散モデル');
    await page.press('.ts-input', 'Enter');
    await waitForResults(page);
    await page.goBack();  // to the page without a query
    await page.waitForFunction(() => !/q=/.test(location.search));
    await page.waitForFunction(() => !document.querySelector('.ts-hit'));
    assert.equal(await page.textContent('.ts-status'), '');
    assert.equal(await page.inputValue('.ts-input'), '');
  });

  await test('a proxy error page is reported plainly', async (page) => {
    await page.route('**/api/search?**', (route) => route.fulfill({
      status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' }));
    await page.goto(`${base}/?q=PINN`);
    await page.waitForFunction(() => /HTTP 502/.test(document.querySelector('.ts-status').textContent));
  });

  await test('two widgets on one page do not share element ids', async (page) => {
    await page.goto(`${other.base}/two`);
    await page.locator('.ts-root').nth(1).locator('.ts-input').waitFor();
    const ids = await page.$$eval('[id]', (nodes) => nodes.map((n) => n.id));
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids}`);
    const second = page.locator('.ts-root').nth(1);
    const controls = await second.locator('.ts-input').getAttribute('aria-controls');
    assert.equal(await second.locator(`#${controls}`).count(), 1, 'the second box controls its own list');
  });

  await test('a corrected query is shown with a link to search as typed, in Japanese', async (page) => {
    await mockSearch(page, corrected);
    await page.goto(`${base}/?q=${encodeURIComponent('経路績分')}`);
    await waitForResults(page);
    assert.equal(await page.textContent('.ts-corrected'),
      '「経路積分」の検索結果を表示しています。「経路績分」で検索する');
    assert.equal(await page.textContent('.ts-corrected a'), '「経路績分」で検索する');
    assert.equal(await page.inputValue('.ts-input'), '経路績分', 'the box keeps what was typed');
    assert.equal(await page.locator('.ts-dym').count(), 0, 'no "did you mean" beside the correction');
    await page.screenshot({ path: path.join(args.artifacts, 'corrected.png') });
  });

  await test('a corrected query is shown with a link to search as typed, in English', async (page) => {
    await mockSearch(page, (params) => ({ query: params.get('q'), corrected_query: 'diffusion model',
      corrections: [{ from: 'difusion', to: 'diffusion', kind: 'spelling' }] }));
    await page.goto(`${base}/?q=${encodeURIComponent('difusion model')}`);
    await waitForResults(page);
    await page.click('.ts-lang');
    assert.equal(await page.textContent('.ts-corrected'),
      'Showing results for diffusion model. Search instead for difusion model');
    assert.equal(await page.textContent('.ts-corrected a'), 'Search instead for difusion model');
  });

  await test('"search instead" searches as typed, and the URL keeps it until a new query', async (page) => {
    const sent = await mockSearch(page, corrected);
    await page.goto(`${base}/?q=${encodeURIComponent('経路績分')}`);
    await waitForResults(page);
    assert.equal(sent.at(-1).get('autocorrect'), null, 'corrected by default');
    await page.click('.ts-corrected a');
    await page.waitForFunction(() => document.querySelector('.ts-dym'));
    assert.equal(sent.at(-1).get('autocorrect'), 'false');
    assert.equal(sent.at(-1).get('q'), '経路績分');
    assert.ok(await page.isHidden('.ts-corrected'), 'no correction line for the typed query');
    assert.match(await page.textContent('.ts-dym'), /もしかして: 経路積分/);
    assert.match(page.url(), /[?&]autocorrect=false/);
    await page.reload();  // a shared link shows the same
    await waitForResults(page);
    assert.equal(sent.at(-1).get('autocorrect'), 'false');
    assert.ok(await page.isVisible('.ts-dym'));
    await page.fill('.ts-input', '経路積分 量子');
    await page.press('.ts-input', 'Enter');
    await page.waitForFunction(() => !/autocorrect=/.test(location.search));
    await waitForResults(page);
    assert.equal(sent.at(-1).get('autocorrect'), null, 'a new query is corrected again');
  });

  await test('words no result is required to have are named, in Japanese and in English', async (page) => {
    await mockSearch(page, (params) => ({ query: params.get('q'), relaxed_words: ['方法', '検出'] }));
    await page.goto(`${base}/?q=${encodeURIComponent('重力波 検出 方法')}`);
    await waitForResults(page);
    assert.equal(await page.textContent('.ts-relaxed'),
      'すべての語を含む講演がないため、「方法」「検出」を含まない講演も表示しています。');
    assert.ok(await page.isHidden('.ts-corrected'));
    await page.click('.ts-lang');
    assert.equal(await page.textContent('.ts-relaxed'),
      'No talk has every word; showing results without: 方法, 検出');
  });

  await test('query words from the API are shown as text, never as HTML', async (page) => {
    const img = '<img src=x onerror="window.__pwned=1">';
    await mockSearch(page, () => ({ query: `a${img}`, corrected_query: `b${img}`,
      corrections: [{ from: `a${img}`, to: `b${img}`, kind: 'spelling' }], relaxed_words: [`c${img}`] }));
    await page.goto(`${base}/?q=x`);
    await waitForResults(page);
    assert.equal(await page.textContent('.ts-corrected strong'), `b${img}`);
    assert.equal(await page.textContent('.ts-corrected a'), `「a${img}」で検索する`);
    assert.ok((await page.textContent('.ts-relaxed')).includes(`「c${img}」`));
    assert.equal(await page.locator('.ts-root img').count(), 0, 'no image element made');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  await test('usable on a phone-sized screen', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await page.screenshot({ path: path.join(args.artifacts, 'results-phone.png'), fullPage: true });
   }, PHONE);
  // ---- The finished widget: what a visitor sees and does. ----

  await test('results come as you type; a superseded search is aborted; the URL follows', async (page) => {
    // Every search's fetch signal, to see the first one aborted.
    await page.addInitScript(() => {
      window.__searches = [];
      const original = window.fetch;
      window.fetch = (url, init) => {
        if (/\/api\/search\?/.test(String(url))) window.__searches.push({ url: String(url), signal: init && init.signal });
        return original(url, init);
      };
    });
    let held = null;
    await page.route('**/api/search?**', async (route) => {
      if (!held) { held = route; return; }  // the first search never answers
      await route.continue();
    });
    await page.goto(`${base}/`);
    const entries = await page.evaluate(() => history.length);
    await page.click('.ts-input');
    await page.keyboard.type('拡散');
    await page.waitForFunction(() => window.__searches.length === 1);
    await page.keyboard.type('モデル');
    await waitForResults(page);
    const searches = await page.evaluate(() => window.__searches.map((s) => ({
      q: new URL(s.url).searchParams.get('q'), aborted: s.signal.aborted })));
    assert.deepEqual(searches[0], { q: '拡散', aborted: true }, 'the first search was aborted');
    assert.equal(searches.at(-1).q, '拡散モデル');
    assert.deepEqual(new Set((await hitIds(page)).slice(0, 2)), new Set(['dlap-062', 'dlap-067']));
    assert.match(page.url(), /\?q=%E6%8B%A1%E6%95%A3%E3%83%A2%E3%83%87%E3%83%AB/);
    assert.equal(await page.evaluate(() => history.length), entries, 'no history entry per key');
    await held.continue().catch(() => {});
  });

  await test('Escape closes the suggestions only; the clear button clears the box and the results', async (page) => {
    await page.goto(`${base}/`);
    await page.click('.ts-input');
    await page.keyboard.type('拡散', { delay: 30 });
    await page.waitForSelector('.ts-suggest li', { state: 'visible' });
    await waitForResults(page);
    await page.keyboard.press('Escape');
    assert.ok(await page.isHidden('.ts-suggest'), 'suggestions closed');
    assert.equal(await page.inputValue('.ts-input'), '拡散', 'the query stays');
    assert.ok((await hitIds(page)).length > 0, 'the results stay');
    assert.ok(await page.isVisible('.ts-clear'));
    assert.equal(await page.getAttribute('.ts-clear', 'aria-label'), '検索語を消去');
    await page.click('.ts-clear');
    assert.equal(await page.inputValue('.ts-input'), '');
    await page.waitForFunction(() => !document.querySelector('.ts-hit'));
    assert.equal(await page.textContent('.ts-status'), '');
    assert.doesNotMatch(page.url(), /q=/);
    assert.equal(await page.evaluate(() => document.activeElement.className), 'ts-input');
    assert.ok(await page.isHidden('.ts-clear'));
  });

  await test('a result found through a related concept says so, in Japanese and in English', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    const hits = await page.$$eval('.ts-hit', (items) => items.map((i) => ({
      marks: i.querySelectorAll('mark').length, via: i.querySelector('.ts-via')?.textContent ?? null })));
    const unmarked = hits.filter((h) => h.marks === 0);
    assert.ok(unmarked.length >= 3, `talks found only through related concepts: ${JSON.stringify(hits)}`);
    for (const h of unmarked) assert.match(h.via ?? '', /^一致: 関連: \S/, JSON.stringify(h));
    await page.click('.ts-lang');
    const via = await page.$$eval('.ts-via', (v) => v.map((x) => x.textContent));
    assert.ok(via.length >= unmarked.length && via.every((v) => /^Matched: related: \S/.test(v)), `${via}`);
  });

  await test('a match through English, a reading or a romaji name is named', async (page) => {
    const hit = (id, terms) => ({ ...searchBody({}).hits[0], id, title_html: '経路積分と機械学習',
      snippet: '機械学習を使う', matched_via: [...new Set(terms.map((t) => t.kind))], matched_terms: terms });
    await page.route('**/api/search?**', (route) => route.fulfill({ json: searchBody({ total: 3, hits: [
      hit('dlap-901', [{ kind: 'glossary', form: 'diffusion model' }]),
      hit('dlap-902', [{ kind: 'reading', form: 'かくさんもでる' }]),
      hit('dlap-903', [{ kind: 'name', form: 'Hashimoto' }]),
    ] }) }));
    await page.goto(`${base}/?q=x`);
    await waitForResults(page);
    assert.deepEqual(await page.$$eval('.ts-via', (v) => v.map((x) => x.textContent)),
      ['一致: English: diffusion model', '一致: 読み: かくさんもでる', '一致: ローマ字の名前: Hashimoto']);
    await page.click('.ts-lang');
    assert.deepEqual(await page.$$eval('.ts-via', (v) => v.map((x) => x.textContent)),
      ['Matched: English: diffusion model', 'Matched: reading: かくさんもでる', 'Matched: name in romaji: Hashimoto']);
  });

  await test('highlighting marks what matched, never a fragment of another word', async (page) => {
    const marks = [];
    for (let p = 1; p <= 5; p++) {
      await page.goto(`${base}/?q=${encodeURIComponent('ニューラルネットワーク')}&page=${p}`);
      await waitForResults(page);
      marks.push(...await page.$$eval('.ts-hit mark', (m) => m.map((x) => x.textContent)));
      // A cut snippet never ends inside a mark.
      const cut = await page.$$eval('.ts-snippet', (s) => s.map((x) => x.innerHTML).filter((h) => /<\/mark>…$/.test(h)));
      for (const html of cut) assert.doesNotMatch(html, /<mark>(N|深層ニュ|ニュ)<\/mark>…$/, html);
    }
    assert.ok(marks.includes('ニューラルネットワーク'));
    for (const fragment of ['Physics', '模型', 'N', '深層ニュ', 'ーラルネットワーク']) {
      assert.ok(!marks.includes(fragment), `marked ${fragment}`);
    }
    await page.goto(`${base}/?q=${encodeURIComponent('橋本幸士')}`);
    await waitForResults(page);
    const names = await page.$$eval('.ts-meta mark', (m) => m.map((x) => x.textContent));
    assert.ok(names.includes('橋本 幸士'), `the spaced name is marked whole: ${names}`);
    assert.ok(!names.includes('橋本'), `not 橋本 alone: ${names}`);
  });

  await test('facets are labelled groups with names for codes, in both languages', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('ニューラルネットワーク')}`);
    await waitForResults(page);
    const labels = () => page.$$eval('.ts-group-label', (l) => l.map((x) => x.textContent));
    assert.deepEqual(await labels(), ['年', 'シリーズ', '言語', '発表者']);
    const series = await page.$$eval('.ts-chip[data-facet="series"]', (c) => c.map((x) => x.textContent));
    assert.ok(series.some((t) => /^DLAP \(\d+\)$/.test(t)), `${series}`);
    assert.ok(series.some((t) => /^学習物理領域セミナー \(\d+\)$/.test(t)), `${series}`);
    const langs = await page.$$eval('.ts-chip[data-facet="language"]', (c) => c.map((x) => x.textContent));
    assert.ok(langs.some((t) => /^日本語 \(\d+\)$/.test(t)) && langs.some((t) => /^English \(\d+\)$/.test(t)), `${langs}`);
    const all = await page.$$eval('.ts-chip', (c) => c.map((x) => x.textContent));
    assert.ok(!all.some((t) => /^(dlap|mlphys|ja|en) /.test(t)), `raw codes: ${all}`);
    await page.click('.ts-lang');
    assert.deepEqual(await labels(), ['Year', 'Series', 'Language', 'Speaker']);
  });

  await test('on a phone the facets are collapsed and the first result is near the box', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('ニューラルネットワーク')}`);
    await waitForResults(page);
    assert.equal(await page.$eval('.ts-facets', (d) => d.open), false);
    assert.ok(await page.isHidden('.ts-chip'), 'no chip shown');
    const gap = await page.evaluate(() => document.querySelector('.ts-hit').getBoundingClientRect().top -
      document.querySelector('.ts-form').getBoundingClientRect().bottom);
    assert.ok(gap < 120, `first result ${gap}px below the box`);
    await page.screenshot({ path: path.join(args.artifacts, 'phone.png') });
    await page.click('.ts-facets summary');
    assert.ok(await page.isVisible('.ts-chip[data-facet="year"]'));
  }, PHONE);

  await test('the sort control orders by date and keeps the order in the URL', async (page) => {
    const dates = () => page.$$eval('.ts-hit .ts-meta', (m) => m.map((x) => x.textContent.slice(0, 10)));
    await page.goto(`${base}/?q=${encodeURIComponent('深層学習')}`);
    await waitForResults(page);
    assert.deepEqual(await page.$$eval('.ts-sort option', (o) => o.map((x) => x.textContent)), ['関連度', '新しい順', '古い順']);
    assert.equal(await page.textContent('.ts-sortbox'), '並び順');
    await page.selectOption('.ts-sort', 'newest');
    await page.waitForFunction(() => /sort=newest/.test(location.search));
    await waitForResults(page);
    const newest = await dates();
    assert.deepEqual(newest, [...newest].sort().reverse(), `newest first: ${newest}`);
    await page.selectOption('.ts-sort', 'oldest');
    await page.waitForFunction(() => /sort=oldest/.test(location.search));
    await waitForResults(page);
    const oldest = (await dates()).filter((d) => /^\d/.test(d));
    assert.deepEqual(oldest, [...oldest].sort(), `oldest first: ${oldest}`);
    assert.ok(oldest[0] < newest[0]);
    await page.reload();  // a shared link keeps the order
    await waitForResults(page);
    assert.equal(await page.inputValue('.ts-sort'), 'oldest');
  });

  await test('related talks open under a result', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    const first = page.locator('.ts-hit').first();
    const own = await first.locator('.ts-title a').getAttribute('href');
    assert.equal(await first.locator('.ts-more').textContent(), '関連する講演');
    await first.locator('.ts-more').click();
    await first.locator('.ts-related li a').first().waitFor();
    const links = await first.locator('.ts-related li a').evaluateAll((a) => a.map((x) => x.getAttribute('href')));
    assert.ok(links.length >= 1 && links.length <= 3, `${links}`);
    assert.ok(!links.includes(own), 'not the talk itself');
    assert.equal(await first.locator('.ts-more').getAttribute('aria-expanded'), 'true');
  });

  await test('paging goes back to the top of the results, with styled buttons', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('深層学習')}`);
    await waitForResults(page);
    const style = await page.$eval('.ts-next', (b) => {
      const s = getComputedStyle(b);
      return { color: s.color, radius: s.borderTopLeftRadius, border: s.borderTopColor };
    });
    assert.deepEqual(style, { color: 'rgb(29, 95, 145)', radius: '4px', border: 'rgb(29, 95, 145)' });
    await page.locator('.ts-next').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.click('.ts-next');
    await page.waitForFunction(() => /page=2/.test(location.search));
    await waitForResults(page);
    const top = await page.$eval('.ts-hit', (h) => h.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 900 / 2, `the first result of page 2 is at ${top}px`);
  });

  await test('every message is in the chosen language, errors included', async (page) => {
    let answer = (route) => route.fulfill({ status: 400, json: { error: { code: 'empty_query', message: 'the query has no searchable words' } } });
    await page.route('**/api/search?**', (route) => answer(route));
    await page.goto(`${base}/?q=${encodeURIComponent('の')}`);
    await page.waitForFunction(() => document.querySelector('.ts-status').textContent !== '');
    assert.match(await page.textContent('.ts-status'), /^検索できる語がありません/);
    await page.click('.ts-lang');
    assert.match(await page.textContent('.ts-status'), /^Nothing to search for/);
    await page.click('.ts-lang');
    answer = (route) => route.abort('failed');
    await page.fill('.ts-input', 'PINN');
    await page.press('.ts-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('.ts-status').dataset.error === 'unreachable');
    const status = await page.textContent('.ts-status');
    assert.match(status, /^検索サーバーに接続できません/);
    assert.doesNotMatch(status, /Failed|fetch|Error/);
    // Suggestion kinds, translated.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.fill('.ts-input', '');
    await page.click('.ts-input');
    await page.keyboard.type('かくさ');
    await page.waitForSelector('.ts-suggest li', { state: 'visible' });
    const kinds = await page.$$eval('.ts-kind', (k) => k.map((x) => x.textContent));
    assert.ok(kinds.length && kinds.every((k) => ['用語', '題目', '発表者'].includes(k)), `${kinds}`);
  });

  await test('the English switch, and data-lang="en", change every string', async (page) => {
    await page.goto(`${other.base}/en?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    const strings = () => page.evaluate(() => {
      const root = document.querySelector('.ts-root');
      return [root.querySelector('.ts-input').placeholder, root.querySelector('.ts-button').textContent,
        root.querySelector('.ts-clear').getAttribute('aria-label'), root.querySelector('.ts-sortbox').textContent,
        ...[...root.querySelectorAll('.ts-sort option')].map((o) => o.textContent),
        root.querySelector('.ts-facets summary').textContent,
        ...[...root.querySelectorAll('.ts-group-label')].map((l) => l.textContent),
        root.querySelector('.ts-status').textContent, root.querySelector('.ts-more').textContent].join('|');
    });
    const english = await strings();
    assert.equal(english, 'Search talks (e.g. diffusion model, PINN, speaker:Hashimoto)|Search|Clear the search|' +
      'Sort by|Relevance|Newest first|Oldest first|Filters|Year|Series|Language|Speaker|9 talks|Related talks');
    await page.click('.ts-lang');
    assert.equal(await strings(), '講演を検索（例: 拡散モデル, PINN, speaker:橋本）|検索|検索語を消去|' +
      '並び順|関連度|新しい順|古い順|絞り込み|年|シリーズ|言語|発表者|9 件|関連する講演');
    await page.click('.ts-lang');
    assert.equal(await strings(), english);
  });

  await test('data-base-url makes result links point at the seminar page', async (page) => {
    await page.goto(`${other.base}/base?q=PINN`);
    await waitForResults(page);
    const hrefs = await page.$$eval('.ts-title a', (a) => a.map((x) => x.href));
    assert.ok(hrefs.length > 0);
    for (const href of hrefs) assert.ok(href.startsWith(`${SEMINAR_PAGE}#`), href);
    // The status is the count only, no timing.
    assert.match(await page.textContent('.ts-status'), /^\d+ 件$/);
  });

  await test('with the API down the box is still there, with a plain message', async (page) => {
    await page.goto(`${other.base}/down`);
    await page.waitForSelector('.ts-input', { state: 'visible' });
    await page.waitForFunction(() => document.querySelector('.ts-status').textContent !== '');
    assert.equal(await page.textContent('.ts-status'), '検索サーバーに接続できません。しばらくしてからもう一度お試しください。');
    await page.fill('.ts-input', 'PINN');
    await page.press('.ts-input', 'Enter');
    await page.waitForFunction(() => !document.querySelector('.ts-root').hasAttribute('aria-busy'));
    assert.equal(await page.textContent('.ts-status'), '検索サーバーに接続できません。しばらくしてからもう一度お試しください。');
    assert.ok(await page.isVisible('.ts-input'));
  });

  await test('labels and contrast pass axe-core, in Japanese and in English', async (page) => {
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    await page.locator('.ts-hit .ts-more').first().click();
    await page.locator('.ts-related li').first().waitFor();
    await page.addScriptTag({ content: AXE_SOURCE });
    const audit = () => page.evaluate(async () => {
      const result = await window.axe.run('.ts-root', { runOnly: { type: 'rule', values: [
        'label', 'color-contrast', 'button-name', 'select-name', 'link-name', 'aria-allowed-attr',
        'aria-required-attr', 'aria-valid-attr-value', 'list', 'listitem', 'duplicate-id-aria'] } });
      return { violations: result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
        passes: result.passes.map((p) => p.id) };
    });
    let r = await audit();
    assert.deepEqual(r.violations, []);
    assert.ok(r.passes.includes('label') && r.passes.includes('color-contrast'), `${r.passes}`);
    await page.click('.ts-lang');
    r = await audit();
    assert.deepEqual(r.violations, []);
    await page.setViewportSize(DESKTOP);
    await page.click('.ts-lang');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(args.artifacts, 'desktop.png') });
    // A small copy for the docs (docs/widget.jpg).
    await page.screenshot({ path: path.join(args.artifacts, 'desktop-small.jpg'), type: 'jpeg', quality: 60 });
  });

  await test('the OpenAPI file is valid and the answers match it', async () => {
    const served = await (await fetch(`${base}/api/openapi.yaml`)).text();
    const file = path.join(args.artifacts, 'openapi.yaml');
    writeFileSync(file, served);
    const api = await SwaggerParser.validate(file);  // throws on an invalid description
    const ajv = new Ajv({ strict: false, allErrors: true });
    const check = async (url, schema, status = 200) => {
      const response = await fetch(`${base}${url}`);
      assert.equal(response.status, status, url);
      const body = await response.json();
      const validate = ajv.compile(schema);
      assert.ok(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`);
      return body;
    };
    const ok = (p) => api.paths[p].get.responses['200'].content['application/json'].schema;
    const searches = ['拡散モデル', 'ニューラルネットワーク', 'はしもとこうじ', 'Hashimoto', 'diffusion model', '経路績分',
      'year:2021'];
    for (const q of searches) {
      const body = await check(`/api/search?q=${encodeURIComponent(q)}`, ok('/api/search'));
      assert.ok(body.hits.length > 0, q);
    }
    const related = await check('/api/search?q=' + encodeURIComponent('拡散モデル'), ok('/api/search'));
    assert.ok(related.hits.some((h) => h.matched_terms.some((m) => m.kind === 'related')));
    await check('/api/talks/dlap-062', ok('/api/talks/{id}'));
    await check('/api/talks/dlap-062/related?limit=3', ok('/api/talks/{id}/related'));
    await check('/api/suggest?q=' + encodeURIComponent('かくさ'), ok('/api/suggest'));
    await check('/api/health', ok('/api/health'));
    const error = api.components.schemas.Error;
    await check('/api/search?q=' + encodeURIComponent('の'), error, 400);
    await check('/api/talks/no-such-talk', error, 404);
    // Not a test that cannot fail: a wrong answer does not pass.
    assert.equal(ajv.compile(ok('/api/search'))({ total: 'many' }), false);
  });

} finally {
  await browser.close();
  other.server.close();
  child.kill('SIGTERM');
}
if (failures.length) {
  console.log(`${failures.length} failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('all widget tests passed');
