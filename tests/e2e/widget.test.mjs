// End-to-end tests of the search widget: a real talks-server on loopback,
// Debian's Chromium driven headless by playwright-core (never a downloaded
// browser), and what a visitor does: type, read highlighted snippets, click a
// facet, page, share a ?q= URL, pick a suggestion with the keyboard, read
// what the server did to the query (a correction, words made optional), and
// use the widget from a page on another origin (CORS).
//
//   node widget.test.mjs --server build/server/talks-server --db INDEX_DIR \
//        --static server/static --artifacts DIR
//
// Exits non-zero on the first failed assertion; saves screenshots in DIR.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

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
function startOtherOrigin(apiBase) {
  const page = (widgets) => `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>site</title></head>
<body><h1>DLAP</h1>${`<div data-talksearch data-api="${apiBase}"></div>`.repeat(widgets)}
<script src="${apiBase}/talksearch-widget.js" defer></script></body></html>`;
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(req.url.startsWith('/two') ? 2 : 1));  // /two: a page with two widgets
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
async function test(name, body) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
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
    assert.match(await page.textContent('.ts-status'), /talks/);
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
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${base}/?q=${encodeURIComponent('拡散モデル')}`);
    await waitForResults(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await page.screenshot({ path: path.join(args.artifacts, 'results-phone.png'), fullPage: true });
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
