/*
 * talksearch widget — search box and results for the DLAP seminar site.
 *
 * Include it with one element and one script tag; no other dependency:
 *
 *   <div data-talksearch data-api="https://search.example.org" data-lang="ja"></div>
 *   <script src="https://search.example.org/talksearch-widget.js" defer></script>
 *
 * data-api   where talks-server runs (default: where this script came from)
 * data-lang  "ja" (default) or "en"; the user can switch in the widget
 * data-limit results per page (default 10)
 *
 * The query, page and filters live in the page URL (?q=…&page=2&year=2024),
 * so a result list can be shared; so does the choice to search a corrected
 * query as typed (autocorrect=false). Keys: "/" focuses the box, ↑ ↓ move
 * through suggestions or results, Enter searches / picks / opens, Escape closes.
 * Snippets arrive as HTML the server has escaped, with only <mark> added.
 */
(function () {
  'use strict';

  var TEXT = {
    ja: {
      placeholder: '講演を検索（例: 拡散モデル, PINN, speaker:橋本）',
      search: '検索', results: function (n, ms, exact) { return (exact ? '' : '約 ') + n + ' 件 (' + ms + ' ms)'; },
      none: '該当する講演はありません', error: '検索できませんでした',
      didYouMean: 'もしかして: ', prev: '前へ', next: '次へ',
      page: function (p, n) { return p + ' / ' + n + ' ページ'; },
      slides: 'スライド', year: '年', series: 'シリーズ', language: '言語', speaker: '講演者',
      clear: 'すべて解除', switchTo: 'English', suggestions: '候補',
      // Each is [before, after] the text from the API, inserted as text.
      showingFor: ['「', '」の検索結果を表示しています。'], searchInstead: ['「', '」で検索する'],
      relaxed: ['すべての語を含む講演がないため、', 'を含まない講演も表示しています。'],
      relaxedWord: ['「', '」'], relaxedJoin: ''
    },
    en: {
      placeholder: 'Search talks (e.g. diffusion model, PINN, speaker:Hashimoto)',
      search: 'Search', results: function (n, ms, exact) { return (exact ? '' : 'about ') + n + ' talks (' + ms + ' ms)'; },
      none: 'No talks found', error: 'Search failed',
      didYouMean: 'Did you mean: ', prev: 'Previous', next: 'Next',
      page: function (p, n) { return 'Page ' + p + ' of ' + n; },
      slides: 'Slides', year: 'Year', series: 'Series', language: 'Language', speaker: 'Speaker',
      clear: 'Clear all', switchTo: '日本語', suggestions: 'Suggestions',
      showingFor: ['Showing results for ', '. '], searchInstead: ['Search instead for ', ''],
      relaxed: ['No talk has every word; showing results without: ', ''],
      relaxedWord: ['', ''], relaxedJoin: ', '
    }
  };
  var FACETS = ['year', 'series', 'language', 'speaker'];
  var FILTER_PARAM = { year: 'year', series: 'series', language: 'lang', speaker: 'speaker' };

  var CSS = [
    '.ts-root{font-family:-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;line-height:1.6;color:#222;max-width:56rem}',
    '.ts-form{display:flex;gap:.5rem;position:relative}',
    '.ts-input{flex:1;min-width:0;font-size:1.05rem;padding:.5rem .7rem;border:1px solid #999;border-radius:4px}',
    '.ts-button,.ts-lang{font-size:1rem;padding:.45rem .9rem;border:1px solid #267CB9;background:#267CB9;color:#fff;border-radius:4px;cursor:pointer}',
    '.ts-lang{background:#fff;color:#267CB9}',
    '.ts-suggest{position:absolute;top:100%;left:0;right:0;z-index:10;margin:2px 0 0;padding:0;list-style:none;background:#fff;border:1px solid #ccc;border-radius:4px;box-shadow:0 4px 12px rgba(0,0,0,.12)}',
    '.ts-suggest li{padding:.35rem .7rem;cursor:pointer}',
    '.ts-suggest li[aria-selected=true],.ts-suggest li:hover{background:#eef5fb}',
    '.ts-kind{color:#888;font-size:.8rem;margin-left:.5rem}',
    '.ts-status{color:#666;font-size:.9rem;margin:.6rem 0}',
    '.ts-dym a,.ts-corrected a{color:#267CB9;cursor:pointer}',
    '.ts-corrected,.ts-relaxed{font-size:.9rem;margin:.3rem 0;overflow-wrap:anywhere}',
    '.ts-relaxed{color:#666}',
    '.ts-facets{display:flex;flex-wrap:wrap;gap:.35rem;margin:.4rem 0}',
    '.ts-chip{border:1px solid #bcd;border-radius:999px;padding:.1rem .7rem;background:#f6fafd;cursor:pointer;font-size:.85rem}',
    '.ts-chip[aria-pressed=true]{background:#267CB9;color:#fff;border-color:#267CB9}',
    '.ts-results{list-style:none;padding:0;margin:0}',
    '.ts-hit{padding:.7rem .5rem;border-bottom:1px solid #eee;overflow-wrap:anywhere}',
    '.ts-hit[aria-selected=true]{background:#f3f8fc;outline:2px solid #9cc3e3}',
    '.ts-title{font-size:1.05rem;font-weight:600;margin:0}',
    '.ts-title a{color:#155799;text-decoration:none}',
    '.ts-meta{color:#666;font-size:.85rem}',
    '.ts-snippet{margin:.2rem 0 0}',
    '.ts-root mark{background:#fff1a8;padding:0 1px}',
    '.ts-pager{display:flex;gap:.6rem;align-items:center;margin:.8rem 0}',
    '.ts-pager button{padding:.3rem .8rem}',
    '@media (max-width:600px){.ts-form{flex-wrap:wrap}.ts-input{flex-basis:100%}.ts-title{font-size:1rem}}'
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
  // the seminar's site. Relative links resolve against the page.
  function safeHref(url, fallback) {
    if (!url) return fallback;
    try {
      var protocol = new URL(url, location.href).protocol;
      return protocol === 'http:' || protocol === 'https:' ? url : fallback;
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

  function scriptOrigin() {
    var s = document.currentScript;
    if (s && s.src) return new URL(s.src, location.href).origin;
    return location.origin;
  }

  function Widget(root, apiBase) {
    this.root = root;
    this.api = (root.getAttribute('data-api') || apiBase).replace(/\/$/, '');
    this.lang = root.getAttribute('data-lang') === 'en' ? 'en' : 'ja';
    this.limit = parseInt(root.getAttribute('data-limit') || '10', 10) || 10;
    // autocorrect false: the query is searched as typed, not as the server
    // corrects it (the visitor chose "search instead for").
    this.state = { q: '', page: 1, filters: {}, autocorrect: true };
    this.suggestions = [];
    this.active = -1;       // highlighted suggestion
    this.activeHit = -1;    // highlighted result
    this.suggestTimer = null;
    this.requestId = 0;
    this.suggestId = 0;     // answers to older suggestion requests are dropped
    this.uid = 'ts' + (++widgetCount);  // element ids unique on a page with several widgets
    this.build();
    this.readUrl();
    // The URL already holds this state: no second history entry for it.
    if (this.state.q || Object.keys(this.state.filters).length) this.search(true);
  }

  Widget.prototype.t = function (key) { return TEXT[this.lang][key]; };

  Widget.prototype.build = function () {
    var self = this;
    this.root.classList.add('ts-root');
    this.input = el('input', { type: 'search', 'class': 'ts-input', autocomplete: 'off',
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': this.uid + '-suggest', 'aria-label': this.t('search') });
    this.button = el('button', { type: 'submit', 'class': 'ts-button' });
    this.langButton = el('button', { type: 'button', 'class': 'ts-lang' });
    this.suggestList = el('ul', { 'class': 'ts-suggest', role: 'listbox', id: this.uid + '-suggest', hidden: '' });
    this.form = el('form', { 'class': 'ts-form', role: 'search' },
      [this.input, this.button, this.langButton, this.suggestList]);
    this.status = el('div', { 'class': 'ts-status', 'aria-live': 'polite' });
    this.corrected = el('p', { 'class': 'ts-corrected', hidden: '' });
    this.relaxed = el('p', { 'class': 'ts-relaxed', hidden: '' });
    this.facets = el('div', { 'class': 'ts-facets' });
    this.results = el('ol', { 'class': 'ts-results' });
    this.pager = el('div', { 'class': 'ts-pager' });
    [this.form, this.status, this.corrected, this.relaxed, this.facets, this.results,
      this.pager].forEach(function (n) { self.root.appendChild(n); });
    this.applyLanguage();

    this.form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (self.active >= 0 && self.suggestions[self.active]) {
        self.input.value = self.suggestions[self.active].text;
      }
      // A suggestion request still pending must not reopen the list.
      clearTimeout(self.suggestTimer);
      self.suggestId++;
      self.closeSuggest();
      var q = self.input.value.trim();
      // A new query is corrected again; the same one keeps the choice.
      if (q !== self.state.q) self.state.autocorrect = true;
      self.state.q = q;
      self.state.page = 1;
      self.search();
    });
    this.input.addEventListener('input', function () {
      clearTimeout(self.suggestTimer);
      self.suggestTimer = setTimeout(function () { self.suggest(); }, 120);
    });
    this.input.addEventListener('keydown', function (e) { self.onKey(e); });
    this.input.addEventListener('blur', function () {
      setTimeout(function () { self.closeSuggest(); }, 150);
    });
    this.langButton.addEventListener('click', function () {
      self.lang = self.lang === 'ja' ? 'en' : 'ja';
      self.applyLanguage();
      if (self.lastData) self.render(self.lastData);
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
    this.root.setAttribute('lang', this.lang);
    this.input.placeholder = this.t('placeholder');
    this.button.textContent = this.t('search');
    this.langButton.textContent = this.t('switchTo');
    this.suggestList.setAttribute('aria-label', this.t('suggestions'));
  };

  Widget.prototype.readUrl = function () {
    var params = new URLSearchParams(location.search);
    this.state.q = params.get('q') || '';
    this.state.page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    this.state.autocorrect = params.get('autocorrect') !== 'false';
    this.state.filters = {};
    var self = this;
    FACETS.forEach(function (f) {
      var values = params.getAll(FILTER_PARAM[f]);
      if (values.length) self.state.filters[f] = values;
    });
    this.input.value = this.state.q;
  };

  Widget.prototype.writeUrl = function (replace) {
    var params = new URLSearchParams(location.search);
    ['q', 'page', 'autocorrect'].concat(FACETS.map(function (f) { return FILTER_PARAM[f]; })).forEach(function (k) {
      params.delete(k);
    });
    if (this.state.q) params.set('q', this.state.q);
    if (this.state.page > 1) params.set('page', String(this.state.page));
    if (!this.state.autocorrect) params.set('autocorrect', 'false');
    var filters = this.state.filters;
    FACETS.forEach(function (f) {
      (filters[f] || []).forEach(function (v) { params.append(FILTER_PARAM[f], v); });
    });
    var url = location.pathname + (params.toString() ? '?' + params.toString() : '') + location.hash;
    if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  };

  Widget.prototype.fetchJson = function (path, params) {
    var url = this.api + path + '?' + params.toString();
    // A server that does not answer within 15 s is reported, not awaited.
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 15000);
    return fetch(url, { mode: 'cors', signal: controller && controller.signal }).then(function (r) {
      // A proxy's error page is HTML, not the API's JSON: say what happened.
      return r.json().catch(function () {
        throw new Error('HTTP ' + r.status + (r.statusText ? ' ' + r.statusText : ''));
      }).then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
        return body;
      });
    }).then(function (body) {
      clearTimeout(timer);
      return body;
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  };

  Widget.prototype.search = function (fromHistory) {
    var self = this;
    var st = this.state;
    if (!st.q && !Object.keys(st.filters).length) {
      // Nothing to search for (back to the page without a query): no stale results.
      this.requestId++;
      this.lastData = null;
      this.clearResults();
      this.status.textContent = '';
      return;
    }
    if (!fromHistory) this.writeUrl(false);
    var params = new URLSearchParams();
    params.set('q', st.q);
    params.set('limit', String(this.limit));
    params.set('offset', String((st.page - 1) * this.limit));
    if (!st.autocorrect) params.set('autocorrect', 'false');
    FACETS.forEach(function (f) {
      (st.filters[f] || []).forEach(function (v) { params.append(FILTER_PARAM[f], v); });
    });
    var id = ++this.requestId;
    this.root.setAttribute('aria-busy', 'true');
    this.fetchJson('/api/search', params).then(function (data) {
      if (id !== self.requestId) return;
      self.lastData = data;
      self.render(data);
    }).catch(function (err) {
      if (id !== self.requestId) return;
      self.clearResults();
      self.status.textContent = self.t('error') + ': ' + err.message;
    }).then(function () { self.root.removeAttribute('aria-busy'); });
  };

  Widget.prototype.clearResults = function () {
    this.activeHit = -1;
    this.results.innerHTML = '';
    this.pager.innerHTML = '';
    this.renderNotes({});
    this.renderFacets({});
  };

  Widget.prototype.render = function (data) {
    var self = this;
    this.activeHit = -1;
    // total_exact is false when the server stopped counting (its time limit).
    this.status.textContent = data.total
      ? this.t('results')(data.total, data.took_ms, data.total_exact !== false) : this.t('none');
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
    this.renderNotes(data);
    this.renderFacets(data.facets || {});
    this.results.innerHTML = '';
    (data.hits || []).forEach(function (hit) {
      var title = el('h3', { 'class': 'ts-title' },
        [el('a', { href: safeHref(hit.url, '#' + hit.id), html: hit.title_html || '' })]);
      var meta = el('div', { 'class': 'ts-meta' }, [
        el('span', { text: (hit.date || '') + ' · ' }),
        el('span', { html: hit.speaker_html || '' }),
        el('span', { text: hit.affiliation ? ' (' + hit.affiliation + ')' : '' })
      ]);
      if (safeHref(hit.slides_url, null)) {
        meta.appendChild(el('span', { text: ' · ' }));
        meta.appendChild(el('a', { href: hit.slides_url, text: self.t('slides'), 'class': 'ts-slides' }));
      }
      var item = el('li', { 'class': 'ts-hit', 'data-id': hit.id },
        [title, meta, el('p', { 'class': 'ts-snippet', html: hit.snippet || '' })]);
      self.results.appendChild(item);
    });
    this.renderPager(data.total || 0);
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

  Widget.prototype.renderFacets = function (facets) {
    var self = this;
    this.facets.innerHTML = '';
    FACETS.forEach(function (name) {
      var active = self.state.filters[name] || [];
      var values = (facets[name] || []).slice();
      // An active filter keeps its chip, to be released, even when no
      // talk matches it any more (the counts come from the matches).
      active.forEach(function (value) {
        if (!values.some(function (v) { return v.value === value; })) values.push({ value: value, count: 0 });
      });
      values.forEach(function (v) {
        var pressed = active.indexOf(v.value) >= 0;
        var chip = el('button', { type: 'button', 'class': 'ts-chip', 'data-facet': name,
          'data-value': v.value, 'aria-pressed': pressed ? 'true' : 'false',
          title: self.t(name), text: v.value + ' (' + v.count + ')' });
        chip.addEventListener('click', function () { self.toggleFilter(name, v.value); });
        self.facets.appendChild(chip);
      });
    });
    if (Object.keys(this.state.filters).length) {
      var clear = el('button', { type: 'button', 'class': 'ts-chip', text: this.t('clear') });
      clear.addEventListener('click', function () {
        self.state.filters = {};
        self.state.page = 1;
        self.search();
      });
      this.facets.appendChild(clear);
    }
    this.facets.hidden = !this.facets.children.length;
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
    prev.addEventListener('click', function () { self.state.page--; self.search(); });
    next.addEventListener('click', function () { self.state.page++; self.search(); });
    this.pager.appendChild(prev);
    this.pager.appendChild(el('span', { 'class': 'ts-page', text: this.t('page')(this.state.page, pages) }));
    this.pager.appendChild(next);
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
    this.suggestList.innerHTML = '';
    this.suggestions.forEach(function (s, i) {
      var li = el('li', { role: 'option', id: self.uid + '-opt-' + i, 'aria-selected': i === self.active ? 'true' : 'false' },
        [el('span', { text: s.text }), el('span', { 'class': 'ts-kind', text: s.kind })]);
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
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
