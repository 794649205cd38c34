// TalksearchStatic: searches a static bundle (talks-index --static-out DIR)
// in the browser or in Node, with no talks-server. Answers in the shape of
// /api/search (query, total, hits with snippet and <mark>, facets), so the
// widget renders either alike.
//
// What it reproduces of the server: the schema's prefixes and the ranking
// weights come from the bundle's meta.json (written by the indexer from
// the same definitions the server ranks by, ranking_params.h), never from
// numbers in this file. A query is normalized (NFKC, lower case), its CJK
// runs segmented by longest match against the index's vocabulary with the
// CJK bigrams for the rest, and each typed word scores per field as a word
// term or as its bigrams (BM25, Xapian's formula), talks having every word
// first (the server's soft AND). A typed word (or run of words) that is a
// glossary form, or kana reading as one, also scores the concept's terms.
// What it does not: MeCab's analysis, reading bigrams, corrections.
//
//   const search = TalksearchStatic.open('/search/', {fetch, gunzip});
//   const answer = await search('拡散モデル', {limit: 10, offset: 0});
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.TalksearchStatic = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  // The chunk of a term: 32-bit FNV-1a of its UTF-8 bytes (static_bundle.h).
  function termChunk(term, chunks) {
    var bytes = new TextEncoder().encode(term), hash = 2166136261;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    return hash % chunks;
  }

  function normalize(text) { return text.normalize('NFKC').toLowerCase(); }

  // A loose kana key: katakana, without long-vowel marks and the vowels
  // that lengthen one, small kana as large. The glossary's readings are
  // folded by the analyzer (kana_fold.h); this matches them loosely.
  function looseKana(text) {
    var out = '';
    Array.from(text).forEach(function (ch) {
      var c = ch.charCodeAt(0);
      if (c >= 0x3041 && c <= 0x3096) ch = String.fromCharCode(c + 0x60);
      ch = { 'ァ': 'ア', 'ィ': 'イ', 'ゥ': 'ウ', 'ェ': 'エ', 'ォ': 'オ', 'ッ': 'ツ', 'ャ': 'ヤ', 'ュ': 'ユ', 'ョ': 'ヨ' }[ch] || ch;
      if (ch === 'ー' || ch === 'ウ' || ch === 'オ' || ch === 'イ') return;
      out += ch;
    });
    return out;
  }

  function isCjk(ch) {
    return /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u4e00-\u9fff々ー]/.test(ch);
  }

  async function browserGunzip(response) {
    var stream = response.body.pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  function open(base, io) {
    io = io || {};
    var fetchFn = io.fetch || fetch.bind(self);
    var gunzip = io.gunzip || browserGunzip;
    if (base.slice(-1) !== '/') base += '/';
    var cache = {};
    function load(name, compressed) {
      if (!cache[name]) {
        cache[name] = fetchFn(base + name).then(function (response) {
          if (!response.ok) throw new Error('static bundle: ' + name + ' ' + response.status);
          return compressed ? gunzip(response) : response.text();
        }).then(JSON.parse);
      }
      return cache[name];
    }

    var ready = Promise.all([load('meta.json', false), load('vocab.json.gz', true),
                             load('glossary.json.gz', true).catch(function () { return []; })])
      .then(function (loaded) {
        var vocab = new Set(loaded[1]), longest = 1;
        loaded[1].forEach(function (w) { longest = Math.max(longest, Array.from(w).length); });
        var byForm = new Map(), byReading = new Map();
        loaded[2].forEach(function (concept) {
          concept.forms.forEach(function (f) { byForm.set(normalize(f), concept); });
          concept.readings.forEach(function (r) { if (r) byReading.set(looseKana(r), concept); });
        });
        return { meta: loaded[0], vocab: vocab, longest: Math.min(longest, 12),
                 byForm: byForm, byReading: byReading };
      });

    // The glossary concept a typed word (or run of words) names, by a form
    // or, typed in kana, by a form's reading.
    function conceptOf(text, index) {
      var concept = index.byForm.get(text) || index.byForm.get(text.replace(/ /g, ''));
      if (!concept && /^[\u3041-\u30ff]+$/.test(text)) concept = index.byReading.get(looseKana(text));
      return concept || null;
    }

    function attachConcepts(words, index) {
      // Longest runs of consecutive typed words first ("diffusion model").
      for (var i = 0; i < words.length; i++) {
        for (var n = Math.min(4, words.length - i); n >= 1; n--) {
          var text = words.slice(i, i + n).map(function (w) { return w.text; }).join(' ');
          var concept = conceptOf(text, index);
          if (!concept) continue;
          var merged = n === 1 ? words[i] : { text: text, words: [], bigrams: [], merged: words.slice(i, i + n) };
          merged.concept = concept;
          words.splice(i, n, merged);
          break;
        }
      }
      return words;
    }

    var kSentenceChars = 8;

    // The typed words of a query, each with its word terms and its bigrams.
    function analyse(query, index) {
      var text = query.normalize('NFKC').toLowerCase();
      var words = [];
      text.split(/[\s\u3000、。,.!?！？「」()（）]+/).forEach(function (part) {
        if (!part) return;
        var chars = Array.from(part), i = 0;
        while (i < chars.length) {
          if (!isCjk(chars[i])) {
            var j = i;
            while (j < chars.length && !isCjk(chars[j])) j++;
            chars.slice(i, j).join('').split(/[^0-9a-z\u00c0-\u024f_+#-]+/).forEach(function (w) {
              if (w) words.push({ text: w, words: [w], bigrams: [] });
            });
            i = j;
            continue;
          }
          var k = i;
          while (k < chars.length && isCjk(chars[k])) k++;
          // A long run is a typed sentence: its hiragana stretches are
          // particles and endings, so the pieces between them are the words.
          var pieces = k - i >= kSentenceChars
              ? chars.slice(i, k).join('').split(/[\u3041-\u309f]+/).filter(function (s) { return Array.from(s).length > 1; })
              : [chars.slice(i, k).join('')];
          if (pieces.length === 0) pieces = [chars.slice(i, k).join('')];
          pieces.forEach(function (piece) { addRun(Array.from(piece)); });
          i = k;
        }
      });
      return words;

      function addRun(run) {
          var found = [], bigrams = [];
          for (var p = 0; p < run.length;) {
            var matched = 0;
            for (var n = Math.min(index.longest, run.length - p); n >= 2; n--) {
              if (index.vocab.has(run.slice(p, p + n).join(''))) { matched = n; break; }
            }
            if (matched) { found.push(run.slice(p, p + matched).join('')); p += matched; } else p++;
          }
          for (var b = 0; b + 1 < run.length; b++) bigrams.push(run[b] + run[b + 1]);
          var whole = run.join('');
          // A run the vocabulary has whole is one word; otherwise its parts
          // and its bigrams (the server's word phrase OR bigram phrase).
          words.push({ text: whole, words: index.vocab.has(whole) ? [whole] : found, bigrams: bigrams,
                       phrase: !index.vocab.has(whole) && found.length > 1 });
      }
    }

    var kLinks = [['concept', 'glossary_weight'], ['narrower', 'narrower_weight'], ['related', 'related_weight']];

    function termsOf(word, meta) {
      var list = [];
      if (word.merged) word.merged.forEach(function (w) { list = list.concat(termsOf(w, meta)); });
      if (word.concept) {
        meta.schema.text_fields.forEach(function (field) {
          kLinks.forEach(function (link) { if (field[link[0]]) list.push(field[link[0]] + word.concept.key); });
        });
      }
      meta.schema.text_fields.forEach(function (field) {
        word.words.forEach(function (w) { list.push(field.word + w); });
        word.bigrams.forEach(function (g) { list.push(field.bigram + g); });
      });
      return list;
    }

    async function postingsOf(terms, meta) {
      var chunks = {};
      terms.forEach(function (t) { chunks[termChunk(t, meta.term_chunks)] = true; });
      var loaded = await Promise.all(Object.keys(chunks).map(function (c) {
        return load('terms/' + c + '.json.gz', true);
      }));
      var postings = {};
      loaded.forEach(function (chunk) {
        terms.forEach(function (t) { if (chunk[t]) postings[t] = chunk[t]; });
      });
      return postings;
    }

    function docChunk(doc, meta) { return Math.floor((doc - 1) / meta.docs_per_chunk); }

    async function docsOf(numbers, meta) {
      var chunks = {};
      numbers.forEach(function (d) { chunks[docChunk(d, meta)] = true; });
      var loaded = await Promise.all(Object.keys(chunks).map(function (c) {
        return load('docs/' + c + '.json.gz', true);
      }));
      var docs = {};
      loaded.forEach(function (chunk) { chunk.forEach(function (d) { docs[d.doc] = d; }); });
      return docs;
    }

    // Scores of each doc for one typed word: per field, the better of its
    // word terms (all of them) and its bigrams (all of them) times the
    // bigram weight, each BM25 weighted by the field's weight.
    function scoreWord(word, postings, lengths, meta) {
      var r = meta.ranking, n = meta.doc_count, avg = meta.avg_length || 1;
      function bm25(term) {
        var list = postings[term];
        if (!list) return null;
        var df = list.length;
        var idf = Math.max(Math.log((n - df + 0.5) / (df + 0.5)), 1e-3);
        var out = new Map();
        list.forEach(function (p) {
          var len = lengths.get(p[0]) || avg;
          var norm = Math.max(len / avg, 0.5);
          out.set(p[0], idf * (r.bm25_k1 + 1) * p[1] / (r.bm25_k1 * ((1 - r.bm25_b) + r.bm25_b * norm) + p[1]));
        });
        return out;
      }
      function all(terms) {  // docs having every term: their summed scores
        if (!terms.length) return null;
        var maps = terms.map(bm25);
        if (maps.some(function (m) { return !m; })) return null;
        var result = new Map();
        maps[0].forEach(function (s, d) {
          var total = 0;
          for (var i = 0; i < maps.length; i++) {
            var v = maps[i].get(d);
            if (v === undefined) return;
            total += v;
          }
          result.set(d, total);
        });
        return result;
      }
      var scores = new Map();
      function add(map, weight) {
        if (map) map.forEach(function (s, d) { scores.set(d, (scores.get(d) || 0) + weight * s); });
      }
      if (word.merged) word.merged.forEach(function (w) {
        add(scoreWord(Object.assign({}, w, { concept: null }), postings, lengths, meta), 1);
      });
      if (word.concept) {
        meta.schema.text_fields.forEach(function (field) {
          kLinks.forEach(function (link) {
            if (field[link[0]]) add(bm25(field[link[0]] + word.concept.key), field.weight * r[link[1]]);
          });
        });
      }
      meta.schema.text_fields.forEach(function (field) {
        var byWord = all(word.words.map(function (w) { return field.word + w; }));
        var byBigram = all(word.bigrams.map(function (g) { return field.bigram + g; }));
        [[byWord, 1], [byBigram, r.bigram_weight]].forEach(function (part) {
          if (!part[0]) return;
          part[0].forEach(function (s, d) {
            scores.set(d, (scores.get(d) || 0) + field.weight * part[1] * s);
          });
        });
      });
      return scores;
    }

    function escapeHtml(s) {
      return s.replace(/[&<>"]/g, function (c) {
        return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
      });
    }

    // The text with every occurrence of `marks` (normalized, case-folded)
    // in <mark>; a window around the first one when `window` is given.
    function highlight(text, marks, window) {
      var folded = text.normalize('NFKC').toLowerCase();
      var hits = [];
      if (folded.length === text.length) {
        marks.forEach(function (m) {
          for (var at = folded.indexOf(m); m && at >= 0; at = folded.indexOf(m, at + m.length)) hits.push([at, at + m.length]);
        });
      }
      hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      var start = 0, end = text.length;
      if (window && text.length > window) {
        start = Math.max(0, (hits.length ? hits[0][0] : 0) - Math.floor(window / 4));
        end = Math.min(text.length, start + window);
      }
      var out = start > 0 ? '…' : '', pos = start;
      hits.forEach(function (h) {
        if (h[0] < pos || h[1] > end) return;
        out += escapeHtml(text.slice(pos, h[0])) + '<mark>' + escapeHtml(text.slice(h[0], h[1])) + '</mark>';
        pos = h[1];
      });
      return out + escapeHtml(text.slice(pos, end)) + (end < text.length ? '…' : '');
    }

    return async function search(query, options) {
      options = options || {};
      var started = Date.now();
      var index = await ready, meta = index.meta;
      var words = attachConcepts(analyse(query, index), index);
      var terms = [];
      words.forEach(function (w) { terms = terms.concat(termsOf(w, meta)); });
      var postings = await postingsOf(terms, meta);
      var candidates = new Set();
      Object.keys(postings).forEach(function (t) { postings[t].forEach(function (p) { candidates.add(p[0]); }); });
      var docs = await docsOf(Array.from(candidates), meta);
      var lengths = new Map();
      candidates.forEach(function (d) { if (docs[d]) lengths.set(d, docs[d].len); });
      var total = new Map(), matchedWords = new Map();
      words.forEach(function (w) {
        scoreWord(w, postings, lengths, meta).forEach(function (s, d) {
          total.set(d, (total.get(d) || 0) + s);
          matchedWords.set(d, (matchedWords.get(d) || 0) + 1);
        });
      });
      // The collection a search looks in when the query names none, as the
      // server's (schema.h kDefaultCollection); 'all' lifts it.
      var filters = Object.assign({ collection: meta.default_collection }, options.filters || {});
      if (filters.collection === 'all') delete filters.collection;
      var ranked = [];
      total.forEach(function (s, d) {
        var doc = docs[d];
        if (!doc) return;
        for (var name in filters) {
          if (filters[name] && (doc.facets[name] || []).indexOf(String(filters[name])) < 0) return;
        }
        var every = matchedWords.get(d) === words.length;
        ranked.push({ doc: doc, every: every, score: every ? s * (1 + meta.ranking.all_words_weight) : s });
      });
      // Talks with every word first (the server's EveryWordFirst).
      ranked.sort(function (a, b) { return (b.every - a.every) || (b.score - a.score) || (a.doc.doc - b.doc.doc); });
      var facets = {};
      ranked.forEach(function (r) {
        for (var name in r.doc.facets) {
          facets[name] = facets[name] || {};
          r.doc.facets[name].forEach(function (v) { facets[name][v] = (facets[name][v] || 0) + 1; });
        }
      });
      var facetJson = {};
      Object.keys(facets).forEach(function (name) {
        facetJson[name] = Object.keys(facets[name]).map(function (v) { return { value: v, count: facets[name][v] }; })
          .sort(function (a, b) { return b.count - a.count || (a.value < b.value ? -1 : 1); });
      });
      var marks = [];
      words.forEach(function (w) {
        marks = marks.concat(w.words, w.text ? [w.text] : [], w.concept ? w.concept.forms.map(normalize) : []);
        (w.merged || []).forEach(function (m) { marks = marks.concat(m.words); });
      });
      marks = marks.filter(function (m, i) { return m && marks.indexOf(m) === i; })
        .sort(function (a, b) { return b.length - a.length; });
      var offset = options.offset || 0, limit = options.limit || 10;
      var hits = ranked.slice(offset, offset + limit).map(function (r) {
        var d = r.doc;
        return {
          id: d.id, title: d.title, speaker: d.speakers.join(', '), date: d.date, series: d.series,
          collection: d.collection, language: d.language, url: d.url, score: Math.round(r.score * 1000) / 1000,
          snippet: highlight(d.abstract || '', marks, 160), title_html: highlight(d.title, marks),
          speaker_html: highlight(d.speakers.join(', '), marks), matched_via: [], matched_terms: [],
          affiliation: '', slides_url: ''
        };
      });
      return {
        query: query, total: ranked.length, total_exact: true, took_ms: Date.now() - started,
        did_you_mean: null, corrected_query: null, corrections: [], relaxed_words: [],
        hits: hits, facets: facetJson, static: true
      };
    };
  }

  return { open: open, termChunk: termChunk };
});
