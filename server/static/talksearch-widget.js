/*
 * talksearch widget — search box and results for the DLAP seminar site.
 *
 * Include it with one element and one script tag; no other dependency:
 *
 *   <div data-talksearch data-api="https://search.example.org" data-lang="ja"
 *        data-base-url="https://example.github.io/seminar/"></div>
 *   <script src="https://search.example.org/talksearch-widget.js" defer></script>
 *
 * data-api      where talks-server runs (default: where this script came from)
 * data-lang     "ja" (default) or "en"; the visitor can switch in the widget
 * data-limit    results per page (default 10)
 * data-base-url the seminar page: a talk's link is its anchor there, so the
 *               widget may sit on any page of the site (default: this page)
 * data-static   a static search bundle (talks-index --static-out), e.g.
 *               "/search/": searched in the browser when the API does not
 *               answer (unreachable, timeout, 5xx), or always when data-api
 *               is not given; talksearch-static.js is loaded from beside
 *               this script on first use
 *
 * Results come as you type (debounced; a request superseded by a newer one is
 * aborted), and on Enter. The query, page, sort and filters live in the page
 * URL (?q=…&page=2&sort=newest&year=2024), so a result list can be shared; so
 * does the choice to search a corrected query as typed (autocorrect=false).
 * Keys: "/" focuses the box, ↑ ↓ move through suggestions or results, Enter
 * searches / picks / opens, Escape closes the suggestions (the × button
 * clears the box). Snippets arrive as HTML the server has escaped, with only
 * <mark> added. Every string the visitor reads, errors included, is in both
 * languages (TEXT); the API's error codes are mapped to those messages.
 *
 * One file on purpose (about 900 lines): the seminar site includes it with a
 * single script tag and no build step, and it must work when only this file
 * can be loaded (a copy on the site itself while the API host is down).
 */
(function () {
  'use strict';

  var TEXT = {
    ja: {
      placeholder: '講演を検索（例: 拡散モデル, PINN, speaker:橋本）',
      search: '検索', clearBox: '検索語を消去', boxLabel: '講演を検索',
      results: function (n, exact) { return (exact ? '' : '約 ') + n + ' 件'; },
      none: '該当する講演はありません',
      didYouMean: 'もしかして: ', prev: '← 前へ', next: '次へ →',
      page: function (p, n) { return p + ' / ' + n + ' ページ'; },
      slides: 'スライド', year: '年', series: 'シリーズ', language: '言語', speaker: '発表者',
      filters: '絞り込み', clear: 'すべて解除', switchTo: 'English', switchLabel: 'Switch to English',
      suggestions: '候補', sort: '並び順',
      sorts: { relevance: '関連度', newest: '新しい順', oldest: '古い順' },
      kinds: { term: '用語', title: '題目', speaker: '発表者' },
      related: '関連する講演', relatedNone: '関連する講演はありません', pager: 'ページ',
      via: '一致: ',
      ways: { word: '語', phrase: 'フレーズ', bigram: '語の一部', reading: '読み', name: '名前の読み',
        romaji: 'ローマ字の名前', glossary: '別の表記', related: '関連', english: 'English' },
      values: { ja: '日本語', en: 'English', dlap: 'DLAP', mlphys: '学習物理領域セミナー',
        'physics-ml-hub': 'Physics ∩ ML ハブ', 'jps-symposium': '物理学会シンポジウム', papers: '論文',
        talks: '講演', all: 'すべて' },
      errors: {
        empty_query: '検索できる語がありません（「の」のような助詞だけでは検索できません）。',
        bad_query: '検索式を読み取れませんでした。引用符やかっこを確かめてください。',
        bad_parameter: '検索の指定が正しくありません。', missing_parameter: '検索の指定が足りません。',
        not_found: '見つかりませんでした。', unreachable: '検索サーバーに接続できません。しばらくしてからもう一度お試しください。',
        timeout: '検索サーバーが応答しません。しばらくしてからもう一度お試しください。',
        http: function (s) { return '検索サーバーがエラーを返しました（HTTP ' + s + '）。'; },
        other: '検索できませんでした。'
      },
      // Each is [before, after] the text from the API, inserted as text.
      showingFor: ['「', '」の検索結果を表示しています。'], searchInstead: ['「', '」で検索する'],
      relaxed: ['すべての語を含む講演がないため、', 'を含まない講演も表示しています。'],
      relaxedWord: ['「', '」'], relaxedJoin: ''
    },
    en: {
      placeholder: 'Search talks (e.g. diffusion model, PINN, speaker:Hashimoto)',
      search: 'Search', clearBox: 'Clear the search', boxLabel: 'Search the talks',
      results: function (n, exact) { return (exact ? '' : 'about ') + n + (n === 1 ? ' talk' : ' talks'); },
      none: 'No talks found',
      didYouMean: 'Did you mean: ', prev: '← Previous', next: 'Next →',
      page: function (p, n) { return 'Page ' + p + ' of ' + n; },
      slides: 'Slides', year: 'Year', series: 'Series', language: 'Language', speaker: 'Speaker',
      filters: 'Filters', clear: 'Clear all', switchTo: '日本語', switchLabel: '日本語に切り替え',
      suggestions: 'Suggestions', sort: 'Sort by',
      sorts: { relevance: 'Relevance', newest: 'Newest first', oldest: 'Oldest first' },
      kinds: { term: 'term', title: 'title', speaker: 'speaker' },
      related: 'Related talks', relatedNone: 'No related talks', pager: 'Pages',
      via: 'Matched: ',
      ways: { word: 'word', phrase: 'phrase', bigram: 'part of a word', reading: 'reading',
        name: 'name reading', romaji: 'name in romaji', glossary: 'also written', related: 'related',
        english: 'English' },
      values: { ja: '日本語 (Japanese)', en: 'English', dlap: 'DLAP', mlphys: 'Learning Physics seminar',
        'physics-ml-hub': 'Physics ∩ ML hub', 'jps-symposium': 'JPS symposium', papers: 'Papers',
        talks: 'Talks', all: 'All' },
      errors: {
        empty_query: 'Nothing to search for: the query has no searchable words.',
        bad_query: 'The query could not be read; check its quotes and brackets.',
        bad_parameter: 'The search options are not valid.', missing_parameter: 'The search is missing an option.',
        not_found: 'Not found.', unreachable: 'The search server cannot be reached. Please try again later.',
        timeout: 'The search server does not answer. Please try again later.',
        http: function (s) { return 'The search server answered with an error (HTTP ' + s + ').'; },
        other: 'The search failed.'
      },
      showingFor: ['Showing results for ', '. '], searchInstead: ['Search instead for ', ''],
      relaxed: ['No talk has every word; showing results without: ', ''],
      relaxedWord: ['', ''], relaxedJoin: ', '
    }
  };
  var FACETS = ['year', 'series', 'language', 'speaker'];
  var FILTER_PARAM = { year: 'year', series: 'series', language: 'lang', speaker: 'speaker' };
  var SORTS = ['relevance', 'newest', 'oldest'];
  var TYPE_DELAY = 300;     // ms of no typing before results as you type
  var SUGGEST_DELAY = 120;  // ms before suggestions
  var PHONE = '(max-width: 600px)';

  var CSS = [
    '.ts-root{font-family:-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;line-height:1.6;color:#222;max-width:56rem}',
    '.ts-form{display:flex;gap:.5rem;position:relative;flex-wrap:wrap}',
    '.ts-box{flex:1 1 16rem;min-width:0;position:relative;display:flex}',
    '.ts-input{flex:1;min-width:0;font-size:1.05rem;padding:.5rem 2.2rem .5rem .7rem;border:1px solid #767676;border-radius:4px}',
    '.ts-clear{position:absolute;right:.25rem;top:50%;transform:translateY(-50%);border:0;background:none;font-size:1.3rem;line-height:1;color:#555;cursor:pointer;padding:.2rem .45rem;border-radius:4px}',
    '.ts-clear:hover,.ts-clear:focus-visible{background:#eee}',
    '.ts-button,.ts-lang{font-size:1rem;padding:.45rem .9rem;border:1px solid #1d5f91;background:#1d5f91;color:#fff;border-radius:4px;cursor:pointer}',
    '.ts-lang{background:#fff;color:#1d5f91}',
    '.ts-suggest{position:absolute;top:100%;left:0;right:0;z-index:10;margin:2px 0 0;padding:0;list-style:none;background:#fff;border:1px solid #ccc;border-radius:4px;box-shadow:0 4px 12px rgba(0,0,0,.12)}',
    '.ts-suggest li{padding:.35rem .7rem;cursor:pointer}',
    '.ts-suggest li[aria-selected=true],.ts-suggest li:hover{background:#eef5fb}',
    '.ts-kind{color:#595959;font-size:.8rem;margin-left:.5rem}',
    '.ts-bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;margin:.6rem 0}',
    '.ts-status{color:#555;font-size:.9rem}',
    '.ts-sortbox{font-size:.9rem;color:#444}.ts-sort{font-size:.9rem;margin-left:.3rem;padding:.15rem .3rem}',
    '.ts-dym a,.ts-corrected a{color:#1d5f91;cursor:pointer}',
    '.ts-corrected,.ts-relaxed{font-size:.9rem;margin:.3rem 0;overflow-wrap:anywhere}',
    '.ts-relaxed{color:#555}',
    '.ts-facets{margin:.4rem 0;border:1px solid #e3e8ee;border-radius:6px;padding:.3rem .6rem}',
    '.ts-facets>summary{cursor:pointer;font-size:.9rem;color:#333}',
    '.ts-group{display:flex;flex-wrap:wrap;align-items:baseline;gap:.35rem;margin:.35rem 0}',
    '.ts-group-label{font-size:.8rem;font-weight:600;color:#444;min-width:4.5rem}',
    '.ts-chip{border:1px solid #9fb8cc;border-radius:999px;padding:.1rem .7rem;background:#f6fafd;color:#222;cursor:pointer;font-size:.85rem}',
    '.ts-chip[aria-pressed=true]{background:#1d5f91;color:#fff;border-color:#1d5f91}',
    '.ts-results{list-style:none;padding:0;margin:0}',
    '.ts-hit{padding:.7rem .5rem;border-bottom:1px solid #eee;overflow-wrap:anywhere}',
    '.ts-hit[aria-selected=true]{background:#f3f8fc;outline:2px solid #9cc3e3}',
    '.ts-title{font-size:1.05rem;font-weight:600;margin:0}',
    '.ts-title a{color:#155799;text-decoration:none}',
    '.ts-meta{color:#555;font-size:.85rem}',
    '.ts-meta a{color:#1d5f91}',
    '.ts-snippet{margin:.2rem 0 0}',
    '.ts-via{margin:.2rem 0 0;font-size:.8rem;color:#4a4a4a}',
    '.ts-via span{display:inline-block;background:#eef2f6;border-radius:3px;padding:0 .4rem;margin-right:.3rem}',
    '.ts-more{margin-top:.3rem;font-size:.8rem;border:0;background:none;color:#1d5f91;cursor:pointer;padding:0;text-decoration:underline}',
    '.ts-related{margin:.3rem 0 0 1rem;padding:0;font-size:.85rem;list-style:disc}',
    '.ts-related a{color:#155799}',
    '.ts-root mark{background:#fff1a8;color:inherit;padding:0 1px}',
    '.ts-pager{display:flex;gap:.6rem;align-items:center;justify-content:center;margin:1rem 0}',
    '.ts-pager button{font-size:.95rem;padding:.4rem 1rem;border:1px solid #1d5f91;background:#fff;color:#1d5f91;border-radius:4px;cursor:pointer}',
    '.ts-pager button:hover:not(:disabled){background:#1d5f91;color:#fff}',
    '.ts-pager button:disabled{border-color:#ccc;color:#767676;cursor:default}',
    '.ts-page{font-size:.9rem;color:#444}',
    '@media (max-width:600px){.ts-title{font-size:1rem}.ts-group-label{min-width:0;width:100%}}'
  ].join('\n');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'html') node.innerHTML = attrs[k];  // only server-escaped HTML
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  // A link the index gives (a talk's page, its slides) only if it goes to a
  // web page: a corpus entry with a javascript: URL must not run script on
  // the seminar's site. Relative links resolve against `base` (the seminar
  // page, data-base-url) or this page.
  function safeHref(url, fallback, base) {
    if (!url) return fallback;
    try {
      var resolved = new URL(url, base || location.href);
      if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return fallback;
      return base ? resolved.href : url;
    } catch (e) {
      return fallback;
    }
  }

  // Interactive elements handle their own keys (Enter on a button, arrows
  // in a text area); the widget's result keys are for the page itself.
  function isInteractive(target) {
    return !!(target && target.closest &&
      target.closest('a,button,input,textarea,select,[contenteditable],[tabindex]'));
  }

  // The directory this script was loaded from (talksearch-static.js is
  // published beside it).
  function scriptDirectory() {
    var s = document.currentScript;
    return new URL('.', s && s.src ? s.src : location.href).href;
  }

  function scriptOrigin() {
    var s = document.currentScript;
    if (s && s.src) return new URL(s.src, location.href).origin;
    return location.origin;
  }

  // An error the visitor is told about: an API error code, "unreachable",
  // "timeout" or "http" (an answer that is not the API's JSON).
  function ApiError(code, status) {
    this.code = code;
    this.status = status;
  }

  function Widget(root, apiBase) {
    this.root = root;
    this.api = (root.getAttribute('data-api') || apiBase).replace(/\/$/, '');
    this.staticBase = root.getAttribute('data-static');
    this.staticOnly = !!this.staticBase && !root.hasAttribute('data-api');
    this.lang = root.getAttribute('data-lang') === 'en' ? 'en' : 'ja';
    this.limit = parseInt(root.getAttribute('data-limit') || '10', 10) || 10;
    this.baseUrl = root.getAttribute('data-base-url') || '';
    // autocorrect false: the query is searched as typed, not as the server
    // corrects it (the visitor chose "search instead for").
    this.state = { q: '', page: 1, sort: 'relevance', filters: {}, autocorrect: true };
    this.suggestions = [];
    this.active = -1;       // highlighted suggestion
    this.activeHit = -1;    // highlighted result
    this.suggestTimer = null;
    this.typeTimer = null;
    this.searchAbort = null;  // AbortController of the search in flight
    this.requestId = 0;
    this.suggestId = 0;     // answers to older suggestion requests are dropped
    this.lastError = null;
    this.uid = 'ts' + (++widgetCount);  // element ids unique on a page with several widgets
    this.build();
    this.readUrl();
    // The URL already holds this state: no second history entry for it.
    if (this.state.q || Object.keys(this.state.filters).length) this.search(true);
    else this.checkHealth();
  }

  Widget.prototype.t = function (key) { return TEXT[this.lang][key]; };
  Widget.prototype.valueName = function (v) {
    var names = this.t('values');
    return Object.prototype.hasOwnProperty.call(names, v) ? names[v] : v;
  };

  Widget.prototype.build = function () {
    var self = this;
    this.root.classList.add('ts-root');
    this.root.innerHTML = '';  // the host page's fallback content, if any
    this.input = el('input', { type: 'text', 'class': 'ts-input', autocomplete: 'off',
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      enterkeyhint: 'search', 'aria-controls': this.uid + '-suggest' });
    this.clearButton = el('button', { type: 'button', 'class': 'ts-clear', hidden: '', text: '×' });
    this.button = el('button', { type: 'submit', 'class': 'ts-button' });
    this.langButton = el('button', { type: 'button', 'class': 'ts-lang' });
    this.suggestList = el('ul', { 'class': 'ts-suggest', role: 'listbox', id: this.uid + '-suggest', hidden: '' });
    this.form = el('form', { 'class': 'ts-form', role: 'search' },
      [el('div', { 'class': 'ts-box' }, [this.input, this.clearButton]), this.button, this.langButton,
        this.suggestList]);
    this.status = el('div', { 'class': 'ts-status', 'aria-live': 'polite' });
    this.sortLabel = el('label', { 'class': 'ts-sortbox', 'for': this.uid + '-sort' });
    this.sortSelect = el('select', { 'class': 'ts-sort', id: this.uid + '-sort' },
      SORTS.map(function (s) { return el('option', { value: s }); }));
    this.sortBox = el('div', { hidden: '' }, [this.sortLabel, this.sortSelect]);
    this.bar = el('div', { 'class': 'ts-bar' }, [this.status, this.sortBox]);
    this.corrected = el('p', { 'class': 'ts-corrected', hidden: '' });
    this.relaxed = el('p', { 'class': 'ts-relaxed', hidden: '' });
    this.facetSummary = el('summary');
    this.facetGroups = el('div');
    this.facets = el('details', { 'class': 'ts-facets', hidden: '' }, [this.facetSummary, this.facetGroups]);
    // Open beside the results on a wide screen; one line above them on a phone.
    this.facets.open = !(window.matchMedia && window.matchMedia(PHONE).matches);
    this.results = el('ol', { 'class': 'ts-results' });
    this.pager = el('nav', { 'class': 'ts-pager' });
    [this.form, this.bar, this.corrected, this.relaxed, this.facets, this.results,
      this.pager].forEach(function (n) { self.root.appendChild(n); });
    this.applyLanguage();

    this.form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (self.active >= 0 && self.suggestions[self.active]) {
        self.input.value = self.suggestions[self.active].text;
      }
      // A suggestion request still pending must not reopen the list.
      clearTimeout(self.suggestTimer);
      clearTimeout(self.typeTimer);
      self.suggestId++;
      self.closeSuggest();
      self.newQuery(false);
    });
    this.input.addEventListener('input', function () {
      self.clearButton.hidden = !self.input.value;
      clearTimeout(self.suggestTimer);
      clearTimeout(self.typeTimer);
      self.suggestTimer = setTimeout(function () { self.suggest(); }, SUGGEST_DELAY);
      // Results as you type; the URL follows without a history entry per key.
      self.typeTimer = setTimeout(function () { self.newQuery(true); }, TYPE_DELAY);
    });
    this.input.addEventListener('keydown', function (e) { self.onKey(e); });
    this.input.addEventListener('blur', function () {
      setTimeout(function () { self.closeSuggest(); }, 150);
    });
    this.clearButton.addEventListener('click', function () {
      clearTimeout(self.typeTimer);
      clearTimeout(self.suggestTimer);
      self.suggestId++;
      self.input.value = '';
      self.clearButton.hidden = true;
      self.closeSuggest();
      self.state.filters = {};
      self.newQuery(false);
      self.input.focus();
    });
    this.sortSelect.addEventListener('change', function () {
      self.state.sort = self.sortSelect.value;
      self.state.page = 1;
      self.search();
    });
    this.langButton.addEventListener('click', function () {
      self.lang = self.lang === 'ja' ? 'en' : 'ja';
      self.applyLanguage();
      if (self.lastData) self.render(self.lastData);
      else if (self.lastError) self.showError(self.lastError);
    });
    document.addEventListener('keydown', function (e) {
      var tag = (e.target && e.target.tagName) || '';
      if (e.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(tag) && !e.target.isContentEditable) {
        e.preventDefault();
        self.input.focus();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Enter') {
        // The page itself, or this widget's results (where a hit's link has
        // the focus); Enter on that link opens it by itself.
        var inResults = self.results.contains(e.target);
        if (e.key === 'Enter' && inResults && isInteractive(e.target)) return;
        if (inResults || e.target === document.body) self.onResultKey(e);
      }
    });
    window.addEventListener('popstate', function () { self.readUrl(); self.search(true); });
  };

  Widget.prototype.applyLanguage = function () {
    var self = this;
    this.root.setAttribute('lang', this.lang);
    this.input.placeholder = this.t('placeholder');
    this.input.setAttribute('aria-label', this.t('boxLabel'));
    this.clearButton.setAttribute('aria-label', this.t('clearBox'));
    this.clearButton.title = this.t('clearBox');
    this.button.textContent = this.t('search');
    this.langButton.textContent = this.t('switchTo');
    this.langButton.setAttribute('aria-label', this.t('switchLabel'));
    this.langButton.setAttribute('lang', this.lang === 'ja' ? 'en' : 'ja');
    this.suggestList.setAttribute('aria-label', this.t('suggestions'));
    this.sortLabel.textContent = this.t('sort');
    Array.prototype.forEach.call(this.sortSelect.options, function (o) {
      o.textContent = self.t('sorts')[o.value];
    });
    this.pager.setAttribute('aria-label', this.t('pager'));
    if (this.suggestions.length) this.renderSuggest();
  };

  Widget.prototype.readUrl = function () {
    var params = new URLSearchParams(location.search);
    this.state.q = params.get('q') || '';
    this.state.page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    this.state.sort = SORTS.indexOf(params.get('sort')) >= 0 ? params.get('sort') : 'relevance';
    this.state.autocorrect = params.get('autocorrect') !== 'false';
    this.state.filters = {};
    var self = this;
    FACETS.forEach(function (f) {
      var values = params.getAll(FILTER_PARAM[f]);
      if (values.length) self.state.filters[f] = values;
    });
    this.input.value = this.state.q;
    this.clearButton.hidden = !this.state.q;
    this.sortSelect.value = this.state.sort;
  };

  Widget.prototype.writeUrl = function (replace) {
    var params = new URLSearchParams(location.search);
    ['q', 'page', 'sort', 'autocorrect'].concat(FACETS.map(function (f) { return FILTER_PARAM[f]; })).forEach(function (k) {
      params.delete(k);
    });
    if (this.state.q) params.set('q', this.state.q);
    if (this.state.page > 1) params.set('page', String(this.state.page));
    if (this.state.sort !== 'relevance') params.set('sort', this.state.sort);
    if (!this.state.autocorrect) params.set('autocorrect', 'false');
    var filters = this.state.filters;
    FACETS.forEach(function (f) {
      (filters[f] || []).forEach(function (v) { params.append(FILTER_PARAM[f], v); });
    });
    var url = location.pathname + (params.toString() ? '?' + params.toString() : '') + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  };

  // `signal` aborts the request (a newer search supersedes it); a server
  // that does not answer within 15 s is reported, not awaited.
  Widget.prototype.fetchJson = function (path, params, signal) {
    var self = this;
    if (!this.staticBase) return this.fetchApi(path, params, signal);
    if (this.staticOnly) return this.searchStatic(path, params);
    return this.fetchApi(path, params, signal).catch(function (err) {
      var down = err instanceof ApiError &&
        (err.code === 'unreachable' || err.code === 'timeout' || err.status >= 500);
      if (!down) throw err;
      return self.searchStatic(path, params);
    });
  };

  // /api/search answered from the static bundle; the other endpoints have
  // no static answer (the health check passes: the bundle is the server).
  Widget.prototype.searchStatic = function (path, params) {
    if (path === '/api/health') return Promise.resolve({ status: 'static' });
    if (path !== '/api/search') return Promise.reject(new ApiError('unreachable', 0));
    var self = this;
    if (!this.staticSearch) {
      this.staticSearch = loadStaticEngine().then(function (engine) {
        return engine.open(new URL(self.staticBase, location.href).href);
      });
    }
    var filters = {};
    FACETS.forEach(function (f) {
      var v = params.get(FILTER_PARAM[f]);
      if (v) filters[f] = v;
    });
    return this.staticSearch.then(function (search) {
      return search(params.get('q') || '', {
        limit: parseInt(params.get('limit'), 10) || self.limit,
        offset: parseInt(params.get('offset'), 10) || 0,
        sort: params.get('sort') || 'relevance',
        filters: filters
      });
    });
  };

  var staticEngine = null;
  function loadStaticEngine() {
    if (!staticEngine) {
      staticEngine = new Promise(function (resolve, reject) {
        if (window.TalksearchStatic) return resolve(window.TalksearchStatic);
        var script = document.createElement('script');
        script.src = widgetDirectory + 'talksearch-static.js';
        script.onload = function () { resolve(window.TalksearchStatic); };
        script.onerror = function () { staticEngine = null; reject(new ApiError('unreachable', 0)); };
        document.head.appendChild(script);
      });
    }
    return staticEngine;
  }

  Widget.prototype.fetchApi = function (path, params, signal) {
    var url = this.api + path + '?' + params.toString();
    var controller = new AbortController();
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; controller.abort(); }, 15000);
    if (signal) signal.addEventListener('abort', function () { controller.abort(); });
    return fetch(url, { mode: 'cors', signal: controller.signal }).then(function (r) {
      // A proxy's error page is HTML, not the API's JSON: say what happened.
      return r.json().catch(function () {
        throw new ApiError('http', r.status);
      }).then(function (body) {
        if (!r.ok) throw new ApiError((body.error && body.error.code) || 'http', r.status);
        return body;
      });
    }, function (err) {
      if (signal && signal.aborted) throw err;  // superseded: nobody is told
      throw new ApiError(timedOut ? 'timeout' : 'unreachable', 0);
    }).then(function (body) {
      clearTimeout(timer);
      return body;
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  };

  Widget.prototype.errorText = function (err) {
    var errors = this.t('errors');
    var code = err && err.code;
    if (code === 'http') return errors.http(err.status);
    return typeof errors[code] === 'string' ? errors[code] : errors.other;
  };

  Widget.prototype.showError = function (err) {
    this.lastError = err;
    this.status.textContent = this.errorText(err);
    this.status.setAttribute('data-error', err.code);
  };

  // With nothing to search yet: whether the API answers at all, so a
  // visitor of a site whose search server is down is told so at once.
  Widget.prototype.checkHealth = function () {
    var self = this;
    this.fetchJson('/api/health', new URLSearchParams()).catch(function (err) {
      if (!self.lastData && !self.state.q) self.showError(err);
    });
  };

  // The box's text becomes the query (Enter, a pause in typing, the clear
  // button). `typing`: the URL is replaced, not pushed, and an unchanged
  // query is not searched again.
  Widget.prototype.newQuery = function (typing) {
    var q = this.input.value.trim();
    if (typing && q === this.state.q) return;
    // A new query is corrected again; the same one keeps the choice.
    if (q !== this.state.q) this.state.autocorrect = true;
    this.state.q = q;
    this.state.page = 1;
    this.search(false, typing);
  };

  Widget.prototype.search = function (fromHistory, replaceUrl) {
    var self = this;
    var st = this.state;
    if (this.searchAbort) this.searchAbort.abort();
    this.searchAbort = null;
    if (!st.q && !Object.keys(st.filters).length) {
      // Nothing to search for (an emptied box, back to the page without a
      // query): no stale results.
      if (!fromHistory) this.writeUrl(true);
      this.requestId++;
      this.lastData = null;
      this.lastError = null;
      this.clearResults();
      this.status.textContent = '';
      this.status.removeAttribute('data-error');
      this.root.removeAttribute('aria-busy');
      return;
    }
    if (!fromHistory) this.writeUrl(!!replaceUrl);
    var params = new URLSearchParams();
    params.set('q', st.q);
    params.set('limit', String(this.limit));
    params.set('offset', String((st.page - 1) * this.limit));
    if (st.sort !== 'relevance') params.set('sort', st.sort);
    if (!st.autocorrect) params.set('autocorrect', 'false');
    FACETS.forEach(function (f) {
      (st.filters[f] || []).forEach(function (v) { params.append(FILTER_PARAM[f], v); });
    });
    var id = ++this.requestId;
    var controller = new AbortController();
    this.searchAbort = controller;
    this.root.setAttribute('aria-busy', 'true');
    this.fetchJson('/api/search', params, controller.signal).then(function (data) {
      if (id !== self.requestId) return;
      self.lastData = data;
      self.lastError = null;
      self.render(data);
    }).catch(function (err) {
      if (id !== self.requestId) return;
      self.lastData = null;
      self.clearResults();
      self.showError(err);
    }).then(function () {
      if (id === self.requestId) self.root.removeAttribute('aria-busy');
    });
  };

  Widget.prototype.clearResults = function () {
    this.activeHit = -1;
    this.results.innerHTML = '';
    this.pager.innerHTML = '';
    this.sortBox.hidden = true;
    this.renderNotes({});
    this.renderFacets({});
  };

  Widget.prototype.render = function (data) {
    var self = this;
    this.activeHit = -1;
    this.status.removeAttribute('data-error');
    // total_exact is false when the server stopped counting (its time limit).
    this.status.textContent = data.total
      ? this.t('results')(data.total, data.total_exact !== false) : this.t('none');
    // With a corrected query, the hits are already for the correction.
    if (data.did_you_mean && !data.corrected_query) {
      var link = el('a', { text: data.did_you_mean, href: '#' });
      link.addEventListener('click', function (e) {
        e.preventDefault();
        self.input.value = data.did_you_mean;
        self.state.q = data.did_you_mean;
        self.state.autocorrect = true;
        self.state.page = 1;
        self.search();
      });
      this.status.appendChild(el('span', { 'class': 'ts-dym', text: ' — ' + this.t('didYouMean') }, [link]));
    }
    this.sortBox.hidden = !data.total;
    this.renderNotes(data);
    this.renderFacets(data.facets || {});
    this.results.innerHTML = '';
    (data.hits || []).forEach(function (hit) { self.results.appendChild(self.renderHit(hit)); });
    this.renderPager(data.total || 0);
  };

  // A talk's link: its anchor on the seminar page (data-base-url), or the
  // URL the index has.
  Widget.prototype.talkHref = function (hit) {
    return safeHref(hit.url, safeHref('#' + hit.id, '#', this.baseUrl || null), this.baseUrl || null);
  };

  Widget.prototype.renderHit = function (hit) {
    var self = this;
    var title = el('h3', { 'class': 'ts-title' },
      [el('a', { href: this.talkHref(hit), html: hit.title_html || '' })]);
    var meta = el('div', { 'class': 'ts-meta' }, [
      el('span', { text: (hit.date || '') + ' · ' }),
      el('span', { html: hit.speaker_html || '' }),
      el('span', { text: hit.affiliation ? ' (' + hit.affiliation + ')' : '' })
    ]);
    if (safeHref(hit.slides_url, null)) {
      meta.appendChild(el('span', { text: ' · ' }));
      meta.appendChild(el('a', { href: hit.slides_url, text: this.t('slides'), 'class': 'ts-slides' }));
    }
    var item = el('li', { 'class': 'ts-hit', 'data-id': hit.id },
      [title, meta, el('p', { 'class': 'ts-snippet', html: hit.snippet || '' })]);
    var via = this.viaLabels(hit, item);
    if (via.length) {
      item.appendChild(el('p', { 'class': 'ts-via' }, [document.createTextNode(this.t('via'))].concat(
        via.map(function (v) { return el('span', { text: v }); }))));
    }
    var more = el('button', { type: 'button', 'class': 'ts-more', 'aria-expanded': 'false',
      text: this.t('related') });
    more.addEventListener('click', function () { self.toggleRelated(hit, item, more); });
    item.appendChild(more);
    return item;
  };

  // How a hit matched, where its marks do not show it: a glossary form, a
  // reading or a name in romaji that is not marked, the related concept of a
  // hit with no mark at all (matched_terms, with the form), or the ways alone
  // (matched_via) when nothing else says it.
  Widget.prototype.viaLabels = function (hit, item) {
    var ways = this.t('ways');
    var marked = Array.prototype.map.call(item.querySelectorAll('mark'), function (m) {
      return m.textContent.toLowerCase();
    }).join('\u0000');
    var labels = [];
    var add = function (label) { if (labels.indexOf(label) < 0) labels.push(label); };
    (hit.matched_terms || []).forEach(function (m) {
      var form = m.form || '';
      if (!form || (m.kind === 'related' ? marked : marked.indexOf(form.toLowerCase()) >= 0)) return;
      if (m.kind === 'related') add(ways.related + ': ' + form);
      else if (m.kind === 'glossary') add((/^[\x20-\x7e]+$/.test(form) ? ways.english : ways.glossary) + ': ' + form);
      else if (m.kind === 'reading') add(ways.reading + ': ' + form);
      else if (m.kind === 'name') add((/^[\x20-\x7e]+$/.test(form) ? ways.romaji : ways.name) + ': ' + form);
    });
    if (!labels.length && !marked) {
      (hit.matched_via || []).forEach(function (w) { if (ways[w]) add(ways[w]); });
    }
    return labels;
  };

  // "Related talks" under a hit: the API's more-like-this, fetched once.
  Widget.prototype.toggleRelated = function (hit, item, button) {
    var self = this;
    var list = item.querySelector('.ts-related');
    if (list) {
      list.hidden = !list.hidden;
      button.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
      return;
    }
    list = el('ul', { 'class': 'ts-related', id: this.uid + '-rel-' + hit.id, 'aria-busy': 'true' });
    button.setAttribute('aria-controls', list.id);
    button.setAttribute('aria-expanded', 'true');
    item.appendChild(list);
    var params = new URLSearchParams();
    params.set('limit', '3');
    this.fetchJson('/api/talks/' + encodeURIComponent(hit.id) + '/related', params).then(function (data) {
      (data.hits || []).forEach(function (h) {
        list.appendChild(el('li', {}, [el('a', { href: self.talkHref(h), text: h.title }),
          el('span', { 'class': 'ts-meta', text: ' ' + (h.date || '') + ' · ' + (h.speaker || '') })]));
      });
      if (!list.children.length) list.appendChild(el('li', { text: self.t('relatedNone') }));
    }, function (err) {
      list.appendChild(el('li', { text: self.errorText(err) }));
    }).then(function () { list.removeAttribute('aria-busy'); });
  };

  // What the server did to the query: searched a correction of it (with a
  // link to search it as typed), or let some words be missing from results.
  // Words come from the visitor and the index: always text, never HTML.
  Widget.prototype.renderNotes = function (data) {
    var self = this;
    this.corrected.innerHTML = '';
    this.relaxed.innerHTML = '';
    if (data.corrected_query) {
      var typed = data.query != null ? data.query : this.state.q;
      var showing = this.t('showingFor'), instead = this.t('searchInstead');
      var link = el('a', { href: '#', 'class': 'ts-instead',
        text: instead[0] + typed + instead[1] });
      link.addEventListener('click', function (e) {
        e.preventDefault();
        self.state.autocorrect = false;
        self.state.page = 1;
        self.search();
      });
      [document.createTextNode(showing[0]), el('strong', { text: data.corrected_query }),
        document.createTextNode(showing[1]), link].forEach(function (n) {
        self.corrected.appendChild(n);
      });
    }
    this.corrected.hidden = !data.corrected_query;
    var words = data.relaxed_words || [];
    if (words.length) {
      var relaxed = this.t('relaxed'), quote = this.t('relaxedWord');
      this.relaxed.textContent = relaxed[0] + words.map(function (w) {
        return quote[0] + w + quote[1];
      }).join(this.t('relaxedJoin')) + relaxed[1];
    }
    this.relaxed.hidden = !words.length;
  };

  // One labelled group per facet (年, シリーズ, 言語, 発表者), values by
  // their names (mlphys: 学習物理領域セミナー); inside a <details> that is
  // closed on a phone, so the results come first.
  Widget.prototype.renderFacets = function (facets) {
    var self = this;
    this.facetGroups.innerHTML = '';
    var chosen = 0;
    FACETS.forEach(function (name) {
      var active = self.state.filters[name] || [];
      chosen += active.length;
      var values = (facets[name] || []).slice();
      // An active filter keeps its chip, to be released, even when no
      // talk matches it any more (the counts come from the matches).
      active.forEach(function (value) {
        if (!values.some(function (v) { return v.value === value; })) values.push({ value: value, count: 0 });
      });
      if (!values.length) return;
      var labelId = self.uid + '-facet-' + name;
      var group = el('div', { 'class': 'ts-group', role: 'group', 'aria-labelledby': labelId,
        'data-group': name }, [el('span', { 'class': 'ts-group-label', id: labelId, text: self.t(name) })]);
      values.forEach(function (v) {
        var pressed = active.indexOf(v.value) >= 0;
        var chip = el('button', { type: 'button', 'class': 'ts-chip', 'data-facet': name,
          'data-value': v.value, 'aria-pressed': pressed ? 'true' : 'false',
          text: self.valueName(v.value) + ' (' + v.count + ')' });
        chip.addEventListener('click', function () { self.toggleFilter(name, v.value); });
        group.appendChild(chip);
      });
      self.facetGroups.appendChild(group);
    });
    if (chosen) {
      var clear = el('button', { type: 'button', 'class': 'ts-chip ts-clear-filters', text: this.t('clear') });
      clear.addEventListener('click', function () {
        self.state.filters = {};
        self.state.page = 1;
        self.search();
      });
      this.facetGroups.appendChild(clear);
    }
    this.facetSummary.textContent = this.t('filters') + (chosen ? ' (' + chosen + ')' : '');
    this.facets.hidden = !this.facetGroups.children.length;
  };

  Widget.prototype.toggleFilter = function (name, value) {
    var values = this.state.filters[name] || [];
    var at = values.indexOf(value);
    if (at >= 0) values.splice(at, 1); else values.push(value);
    if (values.length) this.state.filters[name] = values; else delete this.state.filters[name];
    this.state.page = 1;
    this.search();
  };

  Widget.prototype.renderPager = function (total) {
    var self = this;
    var pages = Math.max(1, Math.ceil(total / this.limit));
    this.pager.innerHTML = '';
    if (pages <= 1) return;
    var prev = el('button', { type: 'button', 'class': 'ts-prev', text: this.t('prev') });
    var next = el('button', { type: 'button', 'class': 'ts-next', text: this.t('next') });
    prev.disabled = this.state.page <= 1;
    next.disabled = this.state.page >= pages;
    prev.addEventListener('click', function () { self.goToPage(self.state.page - 1); });
    next.addEventListener('click', function () { self.goToPage(self.state.page + 1); });
    this.pager.appendChild(prev);
    this.pager.appendChild(el('span', { 'class': 'ts-page', text: this.t('page')(this.state.page, pages) }));
    this.pager.appendChild(next);
  };

  // Another page starts where the results start: the visitor who paged from
  // the bottom of the list reads the new page from its first talk.
  Widget.prototype.goToPage = function (page) {
    this.state.page = page;
    this.search();
    var top = this.bar.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight) this.bar.scrollIntoView({ block: 'start' });
  };

  Widget.prototype.suggest = function () {
    var self = this;
    var q = this.input.value.trim();
    if (!q) { this.closeSuggest(); return; }
    var params = new URLSearchParams();
    params.set('q', q);
    params.set('limit', '8');
    var id = ++this.suggestId;
    this.fetchJson('/api/suggest', params).then(function (data) {
      if (id !== self.suggestId || self.input.value.trim() !== q ||
          document.activeElement !== self.input) return;
      self.suggestions = data.suggestions || [];
      self.active = -1;
      self.renderSuggest();
    }).catch(function () { self.closeSuggest(); });
  };

  Widget.prototype.renderSuggest = function () {
    var self = this;
    var kinds = this.t('kinds');
    this.suggestList.innerHTML = '';
    this.suggestions.forEach(function (s, i) {
      var li = el('li', { role: 'option', id: self.uid + '-opt-' + i, 'aria-selected': i === self.active ? 'true' : 'false' },
        [el('span', { text: s.text }), el('span', { 'class': 'ts-kind', text: kinds[s.kind] || s.kind })]);
      li.addEventListener('mousedown', function (e) {
        e.preventDefault();
        self.active = i;
        self.form.requestSubmit ? self.form.requestSubmit() : self.form.dispatchEvent(new Event('submit'));
      });
      self.suggestList.appendChild(li);
    });
    var open = this.suggestions.length > 0;
    this.suggestList.hidden = !open;
    this.input.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', this.uid + '-opt-' + this.active);
    else this.input.removeAttribute('aria-activedescendant');
  };

  Widget.prototype.closeSuggest = function () {
    this.suggestions = [];
    this.active = -1;
    this.suggestList.hidden = true;
    this.suggestList.innerHTML = '';
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  };

  Widget.prototype.onKey = function (e) {
    var open = !this.suggestList.hidden && this.suggestions.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (open) {
        e.preventDefault();
        var n = this.suggestions.length;
        this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
        this.renderSuggest();
      } else if (e.key === 'ArrowDown' && this.results.children.length) {
        e.preventDefault();
        this.input.blur();
        this.moveHit(1);
      }
    } else if (e.key === 'Escape') {
      // Closes the suggestions only: the query and its results stay (the
      // × button clears them). Typing again reopens the list.
      e.preventDefault();
      clearTimeout(this.suggestTimer);
      this.suggestId++;
      this.closeSuggest();
    }
  };

  Widget.prototype.onResultKey = function (e) {
    if (!this.results.children.length) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); this.moveHit(1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); this.moveHit(-1); }
    else if (e.key === 'Enter' && this.activeHit >= 0) {
      var link = this.results.children[this.activeHit].querySelector('.ts-title a');
      if (link) link.click();
    }
  };

  Widget.prototype.moveHit = function (delta) {
    var items = this.results.children;
    if (this.activeHit >= 0) items[this.activeHit].removeAttribute('aria-selected');
    this.activeHit = Math.max(0, Math.min(items.length - 1, this.activeHit + delta));
    items[this.activeHit].setAttribute('aria-selected', 'true');
    // The hit's link takes the focus, so that a screen reader reads it and
    // Enter opens it.
    var link = items[this.activeHit].querySelector('.ts-title a');
    if (link) link.focus({ preventScroll: true });
    items[this.activeHit].scrollIntoView({ block: 'nearest' });
  };

  var widgetCount = 0;

  function start() {
    var style = document.createElement('style');
    style.textContent = CSS;
    document.head.appendChild(style);
    var roots = document.querySelectorAll('[data-talksearch]');
    for (var i = 0; i < roots.length; i++) roots[i].talksearch = new Widget(roots[i], origin);
  }

  var origin = scriptOrigin();
  var widgetDirectory = scriptDirectory();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
