// TalksearchStatic: searches a static bundle (talks-index --static-out DIR)
// in the browser or in Node, with no talks-server. Answers in the shape of
// /api/search (query, total, hits with snippet and <mark>, facets), so the
// widget renders either alike.
//
// What it reproduces of the server: the schema's prefixes and the ranking
// weights come from the bundle's meta.json (written by the indexer from
// the same definitions the server ranks by, ranking_params.h), never from
// numbers in this file; so do the words a query drops, the normalizer's and
// kana folds, the stems and the romaji syllables (query.json.gz,
// static_bundle.h). A query is normalized and kana-folded as the index's
// terms were (normalizer.h, kana_fold.h); its filters (collection:papers,
// year:2024) are read by the schema's filter names. English words become
// their index terms by the spelling table (titles' and abstracts' words
// with their stems), a word the index cannot find its closest spelling word
// (the server's autocorrect), and scaffolding (how, the, used) counts only
// inside a glossary form. A CJK run is split where the corpus's particles,
// auxiliaries and request verbs or the scaffolding nouns (方法, 講演, 先生)
// stand (splitSentence), then segmented by longest match against the
// index's vocabulary with the CJK bigrams for the rest (indexBigrams). Each
// typed word scores per field as a word term, its bigrams, or its reading
// bigrams (kana; a name in romaji) (BM25, Xapian's formula), a talk having
// every word scored times 1 + all_words_weight (the server's soft AND,
// relaxed as the server relaxes it). A typed word (or run of words) that is a glossary form, or kana
// reading as one, also scores the concept's terms.
// What it does not: MeCab's analysis (a verb is told from a noun only by
// the hiragana after it), corrections by the reading of kanji.
//
//   const search = TalksearchStatic.open('/search/', {fetch, gunzip});
//   const answer = await search('拡散モデル', {limit: 10, offset: 0, sort: 'newest'});
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.TalksearchStatic = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  // The chunk of a term: 32-bit FNV-1a of its UTF-8 bytes after the field
  // prefix (static_bundle.h TermChunkOf).
  function termChunk(term, chunks) {
    var bytes = new TextEncoder().encode(term.replace(/^[A-Z]+/, '')), hash = 2166136261;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    return hash % chunks;
  }

  function nfkc(text) { return text.normalize('NFKC').toLowerCase(); }

  // Normalize (normalizer.h): NFKC and lower case, then its own folds from
  // the bundle's tables (accents off Latin letters, hyphens and middle dots
  // unified, a hyphen or dash after a kana as ー: コ-ヒ- → コーヒー).
  var normalizeTables = null;
  function normalize(text) {
    text = nfkc(text);
    if (!normalizeTables) return text;
    var out = '', previous = '';
    Array.from(text).forEach(function (ch) {
      var folded = normalizeTables.afterKana.has(ch) && /[\u3041-\u3096\u30a1-\u30faー]/.test(previous)
          ? 'ー' : (normalizeTables.map[ch] || ch);
      out += folded;
      previous = folded;
    });
    return out;
  }

  function isHiragana(c) { return (c >= 0x3041 && c <= 0x3096) || c === 0x309d || c === 0x309e; }
  function isKatakana(c) {
    return (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fd || c === 0x30fe || (c >= 0x31f0 && c <= 0x31ff);
  }
  function isKana(c) { return isHiragana(c) || isKatakana(c); }
  function toKatakana(ch) {
    var c = ch.codePointAt(0);
    return isHiragana(c) ? String.fromCodePoint(c + 0x60) : ch;
  }
  function toHiragana(ch) {
    var c = ch.codePointAt(0);
    return (c >= 0x30a1 && c <= 0x30f6) || c === 0x30fd || c === 0x30fe ? String.fromCodePoint(c - 0x60) : ch;
  }
  function scriptOf(ch) {
    var c = ch.codePointAt(0);
    return isHiragana(c) ? 1 : isKatakana(c) ? 2 : 0;
  }
  // Unicode's voicing, as kana_fold.cc takes it (canonical decomposition).
  function unvoiced(ch) {
    var d = ch.normalize('NFD');
    return Array.from(d).length === 2 && /[\u3099\u309a]$/.test(d) ? Array.from(d)[0] : ch;
  }
  function voiced(ch) {
    var v = (unvoiced(ch) + '\u3099').normalize('NFC');
    return Array.from(v).length === 1 ? v : unvoiced(ch);
  }

  // FoldKana of normalized text (kana_fold.h), the script of each kana kept:
  // its tables (which kana folds to which, ヴァ → バ, the o-row kana) are the
  // bundle's, made by the indexer from kana_fold.cc; the order of the steps
  // and the rule for a final ー are kana_fold.cc's, restated here.
  function foldKana(text, fold) {
    var cps = Array.from(text), out = [], plainBefore = '', wordScript = 0, wordKana = 0;
    for (var i = 0; i < cps.length; i++) {
      var raw = cps[i], script = scriptOf(raw);
      if (raw === 'ー') {
        plainBefore = raw;
        var afterMark = out.length > 0 && out[out.length - 1] === 'ー';
        var next = i + 1;
        while (next < cps.length && cps[next] === 'ー') next++;
        var wordEnds = next === cps.length || scriptOf(cps[next]) !== wordScript;
        if (afterMark || (wordScript !== 0 && wordKana >= 3 && wordEnds)) continue;
        out.push(raw);
        if (wordScript !== 0) wordKana++;
        continue;
      }
      var c = toKatakana(raw);
      if (c === 'ヽ' || c === 'ヾ') {
        var before = toKatakana(plainBefore);
        if (before && isKatakana(before.codePointAt(0)) && before !== 'ヽ' && before !== 'ヾ') {
          c = c === 'ヽ' ? unvoiced(before) : voiced(before);
        }
      } else if ((c === '々' || c === '〻') && plainBefore &&
                 (isKatakana(toKatakana(plainBefore).codePointAt(0)) || /\p{Ideographic}/u.test(plainBefore))) {
        c = plainBefore;
      }
      plainBefore = c;
      var pair = i + 1 < cps.length ? fold.pairs[c + toKatakana(cps[i + 1])] : undefined;
      if (pair) { c = pair; plainBefore = cps[++i]; } else c = fold.single[c] || c;
      if (c === 'オ' && out.length && fold.oRow.has(toKatakana(out[out.length - 1]))) c = 'ウ';
      if (script === 1) c = toHiragana(c);
      if (script === 0) { wordScript = 0; wordKana = 0; } else if (script === wordScript) wordKana++;
      else { wordScript = script; wordKana = 1; }
      out.push(c);
    }
    return out.join('');
  }

  // KanaSearchTerm (kana_fold.h): a piece of folded text that is kana
  // alone is a katakana term; kana among other characters stays as it is.
  function kanaSearchTerm(key) {
    var chars = Array.from(key);
    var allKana = chars.length > 0 && chars.every(function (ch) { return ch === 'ー' || isKana(ch.codePointAt(0)); });
    return allKana ? chars.map(toKatakana).join('') : key;
  }

  // Analyzer::FoldReading: katakana, no ー, a lengthening ウ dropped after
  // the kana the bundle lists, ヴ-variants plain.
  function foldReading(kana, rf) {
    var out = [];
    Array.from(kana).forEach(function (ch) {
      var c = toKatakana(ch);
      if (c === 'ー') return;
      if (c === 'ウ' && out.length && rf.longU.has(out[out.length - 1])) return;
      if (out.length && out[out.length - 1] === 'ヴ' && rf.vu['ヴ' + c]) { out[out.length - 1] = rf.vu['ヴ' + c]; return; }
      if (out.length && out[out.length - 1] === 'ヴ') out[out.length - 1] = rf.vu['ヴ'];
      out.push(c);
    });
    if (out.length && out[out.length - 1] === 'ヴ') out[out.length - 1] = rf.vu['ヴ'];
    return out.join('');
  }

  // Damerau-Levenshtein distance (an adjacent swap is one edit, as in
  // Xapian's spelling suggestions), given up past `limit`.
  function editDistance(a, b, limit) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var best = Infinity;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        best = Math.min(best, d[i][j]);
      }
      if (best > limit) return limit + 1;
    }
    return d[a.length][b.length];
  }

  function isKanji(ch) { return /\p{Ideographic}/u.test(ch); }

  // A CJK code point as the analyzer has it (code_points.h IsCjkCodePoint):
  // Han, hiragana or katakana script, ー, 々.
  function isCjk(ch) {
    return /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|[ー々]/u.test(ch);
  }

  // The bigram terms the index makes of kana-folded text (analyzer.cc):
  // two adjacent CJK code points of one run, a run stopping where hiragana
  // meets kanji or katakana (ー and 々 go with what precedes them), each
  // pair as written (hiragana bigrams keep their script). The one place the
  // browser's bigram rule lives; static_search_eval.mjs checks it against
  // the bundle's title bigrams.
  function indexBigrams(folded) {
    var out = [], previous = null, previousHiragana = false;
    Array.from(folded).forEach(function (ch) {
      if (!isCjk(ch)) { previous = null; return; }
      var hiragana = (ch === 'ー' || ch === '々') && previous !== null ? previousHiragana
                                                                     : /\p{Script=Hiragana}/u.test(ch);
      if (previous !== null && hiragana !== previousHiragana) previous = null;
      previousHiragana = hiragana;
      if (previous !== null) out.push(previous + ch);
      previous = ch;
    });
    return out;
  }

  // kana_fold.h KanaTermInOtherScript: a bigram of kana alone in one script
  // spelled in the other (にせ ↔ ニセ), or null; a query's kana bigram asks
  // for both spellings.
  function kanaInOtherScript(term) {
    var hiragana = false, katakana = false, other = false, out = '';
    Array.from(term).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (ch === 'ー') out += ch;
      else if ((c >= 0x3041 && c <= 0x3096) || c === 0x309D || c === 0x309E) { hiragana = true; out += String.fromCodePoint(c + 0x60); }
      else if ((c >= 0x30A1 && c <= 0x30F6) || c === 0x30FD || c === 0x30FE) { katakana = true; out += String.fromCodePoint(c - 0x60); }
      else other = true;
    });
    return other || hiragana === katakana ? null : out;
  }

  async function browserGunzip(response) {
    var stream = response.body.pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  // The bundle format this reader reads (static_bundle.cc kFormatVersion).
  var kFormat = 2;

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
                             load('glossary.json.gz', true).catch(function () { return []; }),
                             load('query.json.gz', true)])
      .then(function (loaded) {
        var meta = loaded[0], q = loaded[3];
        if (meta.format !== kFormat) throw new Error('static bundle: format ' + meta.format + ', this reader reads ' + kFormat);
        normalizeTables = { map: q.normalize.map, afterKana: new Set(q.normalize.after_kana) };
        var vocab = new Set(loaded[1]), longest = 1;
        loaded[1].forEach(function (w) { longest = Math.max(longest, Array.from(w).length); });
        var fold = { single: q.kana_fold.single, pairs: q.kana_fold.pairs, oRow: new Set(q.kana_fold.o_row) };
        var readingFold = { longU: new Set(q.reading_fold.long_u), vu: q.reading_fold.vu };
        var byForm = new Map(), byReading = new Map(), byKey = new Map();
        loaded[2].forEach(function (concept) {
          (concept.keys || []).forEach(function (k) { if (k) byKey.set(k, concept); });
          concept.forms.forEach(function (f) {
            byForm.set(normalize(f), concept);
            byForm.set(foldKana(normalize(f), fold), concept);  // a piece of a folded sentence
          });
          concept.readings.forEach(function (r) {
            if (Array.from(r).length >= q.min_distinctive_reading) byReading.set(foldReading(r, readingFold), concept);
          });
        });
        var spelling = new Map();
        q.spelling.forEach(function (s) { spelling.set(s[0], { term: s[1] || s[0], freq: s[2] }); });
        var dropped = new Set(q.japanese_dropped.concat(q.japanese_scaffolding)), dropLongest = 1;
        dropped.forEach(function (w) { dropLongest = Math.max(dropLongest, Array.from(w).length); });
        return { meta: meta, vocab: vocab, longest: Math.min(longest, 12), byForm: byForm, byReading: byReading, byKey: byKey,
                 fold: fold, readingFold: readingFold, spelling: spelling, spellingShortWord: q.spelling_short_word,
                 englishScaffolding: new Set(q.english_scaffolding), latinTerms: new Set(q.latin_terms), dropped: dropped, dropLongest: dropLongest,
                 filterNames: filterNames(meta), romaji: q.romaji,
                 romajiLongest: Math.max.apply(null, Object.keys(q.romaji).map(function (k) { return k.length; }).concat([1])) };
      });

    // The filters a query may name (year:2024, collection:papers, lang:ja),
    // by the schema's filter and facet names, each to its facet.
    function filterNames(meta) {
      var names = new Map();
      meta.schema.filters.forEach(function (f) { names.set(f.name, f.facet); names.set(f.facet, f.facet); });
      return names;
    }

    // The glossary concept a typed word (or run of words) names, by a form
    // or, typed in kana, by a form's reading.
    function conceptOf(text, index) {
      var concept = index.byForm.get(text) || index.byForm.get(text.replace(/ /g, ''));
      if (!concept && /^[\u3041-\u30ff]+$/.test(text)) concept = index.byReading.get(foldReading(text, index.readingFold));
      return concept || null;
    }

    function attachConcepts(words, index) {
      // Longest runs of consecutive typed words first ("diffusion model"); a
      // form starts and ends with a word that is no scaffolding.
      for (var i = 0; i < words.length; i++) {
        if (words[i].scaffolding) continue;
        for (var n = Math.min(4, words.length - i); n >= 1; n--) {
          if (words[i + n - 1].scaffolding) continue;
          var run = words.slice(i, i + n);
          var text = run.map(function (w) { return w.text; }).join(' ');
          var concept = conceptOf(text, index);
          // English words by their terms, as the glossary's keys are made
          // (Glossary::Key: word terms joined by U+001F).
          if (!concept && run.every(function (w) { return w.latin; })) {
            concept = index.byKey.get(run.map(function (w) { return w.words.join('\x1f'); }).join('\x1f')) || null;
          }
          if (!concept) continue;
          var merged = n === 1 ? words[i]
              : { text: text, words: [], bigrams: [], readings: [],
                  merged: words.slice(i, i + n).filter(function (w) { return !w.scaffolding; }) };
          merged.concept = concept;
          words.splice(i, n, merged);
          break;
        }
      }
      // Scaffolding outside a form counts for nothing, unless the query is
      // nothing else (searched as typed, as the server does).
      var kept = words.filter(function (w) { return !w.scaffolding; });
      return kept.length ? kept : words;
    }

    var kSentenceChars = 8;

    // The pieces of one CJK run (kana-folded) that are words to search for:
    // split where the bundle's dropped words stand — the corpus's particles,
    // auxiliaries and request verbs, the scaffolding nouns — found by longest
    // match against them and the vocabulary (the longer wins: 時間 is a word,
    // 時 alone scaffolding). A run of eight characters or more is a typed
    // sentence: its hiragana stretches (endings) split it further and a
    // single character left between them is dropped. Shorter runs keep
    // their hiragana (くりこみ群); eight was best on the judged files. Kana
    // alone is a word or a reading as typed (はしもとこうじ).
    function splitSentence(run, index) {
      var chars = Array.from(run);
      if (chars.every(function (ch) { return isKana(ch.codePointAt(0)) || ch === 'ー'; })) return [{ text: run }];
      if (index.vocab.has(kanaSearchTerm(run))) return [{ text: run }];
      var pieces = [], current = '';
      for (var p = 0; p < chars.length;) {
        var matched = 0, drop = false;
        for (var n = Math.min(Math.max(index.longest, index.dropLongest), chars.length - p); n >= 1; n--) {
          var piece = chars.slice(p, p + n).join('');
          // A dropped word ending in a kanji another kanji follows is the
          // start of a compound (時 of 時代), not scaffolding.
          if (index.dropped.has(piece) && !(isKanji(chars[p + n - 1]) && isKanji(chars[p + n] || ''))) {
            matched = n; drop = true; break;
          }
          if (n > 1 && index.vocab.has(kanaSearchTerm(piece))) { matched = n; break; }
        }
        if (!matched) matched = 1;
        if (drop) { if (current) pieces.push(current); current = ''; } else current += chars.slice(p, p + matched).join('');
        p += matched;
      }
      if (current) pieces.push(current);
      if (chars.length < kSentenceChars) return pieces.map(function (p) { return { text: p }; });
      var words = [];
      pieces.forEach(function (piece) {
        var parts = piece.split(/([\u3041-\u309f]+)/);
        for (var i = 0; i < parts.length; i += 2) {
          // Hiragana left inside a piece (no particle) is an ending: the word
          // before it is a verb or adjective (見分けるには), optional as the
          // server makes them.
          if (Array.from(parts[i]).length > 1) words.push({ text: parts[i], optional: i + 1 < parts.length });
        }
      });
      return words.length ? words : pieces.map(function (p) { return { text: p }; });
    }

    // The typed words of a query, each with its word terms, bigrams and
    // reading bigrams, and the filters it names.
    function analyse(query, index) {
      var words = [], filters = {};
      var text = normalize(query).replace(/(^|\s)([a-z_]+):(\S+)/g, function (all, space, name, value) {
        if (!index.filterNames.has(name)) return all;
        filters[index.filterNames.get(name)] = value;
        return space;
      });
      text.split(/[\s\u3000、。,.!?！？「」()（）"“”『』]+/).forEach(function (part) {
        if (!part) return;
        var chars = Array.from(part), i = 0;
        while (i < chars.length) {
          if (!isCjk(chars[i])) {
            var j = i;
            while (j < chars.length && !isCjk(chars[j])) j++;
            chars.slice(i, j).join('').split(/[^0-9a-z\u00c0-\u024f_+#-]+/).forEach(function (w) {
              w = w.replace(/^-+|-+$/g, '');
              if (w) words.push(latinWord(w, index));
            });
            i = j;
            continue;
          }
          var k = i;
          while (k < chars.length && isCjk(chars[k])) k++;
          var typed = chars.slice(i, k).join('');
          var readings = [];
          // Kana (not katakana alone, which is its own bigrams) reads as a
          // word typed in kana: its reading bigrams (かくさん → 拡散).
          if (/^[\u3041-\u30ffー]+$/.test(typed) && /[\u3041-\u309f]/.test(typed)) readings = bigramsOf(foldReading(typed, index.readingFold));
          var pieces = splitSentence(foldKana(typed, index.fold), index);
          if (pieces.length === 1 && pieces[0].text === foldKana(typed, index.fold)) {
            words.push(cjkWord(pieces[0].text, typed, readings, index));
          } else {
            pieces.forEach(function (piece) {
              var word = cjkWord(piece.text, piece.text, [], index);
              word.optional = !!piece.optional;
              words.push(word);
            });
          }
          i = k;
        }
      });
      return { words: words, filters: filters };
    }

    // An English word: its index term by the spelling table (a stem), or as
    // typed; scaffolding marked.
    function latinWord(w, index) {
      var known = index.spelling.get(w), kana = romajiAsKana(w, index);
      // A hyphenated word the spelling table lacks is its words, together
      // (vision-language: vision, language).
      var terms = known ? [known.term] : w.split('-').filter(Boolean).map(function (part) {
        return index.spelling.has(part) ? index.spelling.get(part).term : stemOf(part, index);
      });
      return { text: w, words: terms, bigrams: [], readings: [], latin: true,
               nameReadings: kana ? bigramsOf(foldReading(kana, index.readingFold)) : [],
               known: !!known, scaffolding: index.englishScaffolding.has(w) };
    }

    // The term of a word the spelling table lacks: itself if some field has
    // it, else the longest Latin word term of the index it starts with, at
    // most three letters shorter (an inflection: homology → homolog).
    function stemOf(w, index) {
      if (index.latinTerms.has(w)) return w;
      for (var n = w.length - 1; n >= Math.max(3, w.length - 3); n--) {
        if (index.latinTerms.has(w.slice(0, n))) return w.slice(0, n);
      }
      return w;
    }

    // Whether the index can find a typed word: in some field, all its word
    // terms, all its bigrams or all its reading bigrams (corrector.cc's
    // Findable and IsRomajiName).
    function findable(w, postings, meta) {
      if (w.concept) return true;
      return meta.schema.text_fields.some(function (field) {
        function every(list, prefix) {
          return list.length > 0 && list.every(function (t) { return postings[prefix + t]; });
        }
        // Japanese by its bigrams, which join its words (変|微分方程式 is
        // no word though each part is), unless it is one word whole.
        var byWords = w.bigrams.length && !w.whole ? false : every(w.words, field.word);
        return byWords || every(w.bigrams, field.bigram) ||
               (field.reading && every(readingsIn(w, field), field.reading));
      });
    }

    // A word typed in romaji as katakana (Hashimoto → ハシモト), by longest
    // match against the bundle's romaji table (ICU's Latin-Katakana, as the
    // server reads names); null when some letters are no romaji.
    function romajiAsKana(w, index) {
      var out = '';
      for (var p = 0; p < w.length;) {
        var n = Math.min(index.romajiLongest, w.length - p);
        while (n > 0 && !index.romaji[w.substr(p, n)]) n--;
        if (!n) return null;
        out += index.romaji[w.substr(p, n)];
        p += n;
      }
      return out;
    }

    // The reading bigrams a word is searched by in `field`: a Latin word's
    // romaji reading in a person's name, kana's reading elsewhere.
    function readingsIn(word, field) {
      if (!field.reading) return [];
      return field.person_name && word.nameReadings && word.nameReadings.length ? word.nameReadings : word.readings;
    }

    function bigramsOf(text) {
      var chars = Array.from(text), out = [];
      for (var b = 0; b + 1 < chars.length; b++) out.push(chars[b] + chars[b + 1]);
      return out;
    }

    // One Japanese word (a piece of a run, kana-folded): the vocabulary's
    // words in it by longest match and its bigrams (the server's word phrase
    // OR bigram phrase); a piece the vocabulary has whole is one word.
    function cjkWord(piece, typed, readings, index) {
      var run = Array.from(piece), found = [];
      for (var p = 0; p < run.length;) {
        var matched = 0;
        for (var n = Math.min(index.longest, run.length - p); n >= 2; n--) {
          if (index.vocab.has(kanaSearchTerm(run.slice(p, p + n).join('')))) { matched = n; break; }
        }
        if (matched) { found.push(kanaSearchTerm(run.slice(p, p + matched).join(''))); p += matched; } else p++;
      }
      var whole = kanaSearchTerm(piece), isWord = index.vocab.has(whole);
      return { text: typed, words: isWord ? [whole] : found, bigrams: indexBigrams(piece),
               readings: readings, phrase: !isWord && found.length > 1, whole: isWord };
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
        word.bigrams.forEach(function (g) {
          list.push(field.bigram + g);
          var other = kanaInOtherScript(g);
          if (other) list.push(field.bigram + other);
        });
        readingsIn(word, field).forEach(function (g) { list.push(field.reading + g); });
      });
      return list;
    }

    // The one glossary form with as many characters as `text` that differs
    // from it in one kanji, or null (none, or two: no confident correction;
    // corrector.cc's FormOneKanjiAway).
    function formOneKanjiAway(text, index) {
      var typed = Array.from(text), found = null, ambiguous = false;
      if (typed.length < 3) return null;
      index.byForm.forEach(function (concept, form) {
        var f = Array.from(form);
        if (f.length !== typed.length || ambiguous) return;
        var differ = 0, at = 0;
        for (var i = 0; i < f.length && differ < 2; i++) if (f[i] !== typed[i]) { differ++; at = i; }
        if (differ !== 1 || !isKanji(f[at]) || !isKanji(typed[at])) return;
        if (found && found !== form) ambiguous = true; else found = form;
      });
      return ambiguous ? null : found;
    }

    // The spelling word closest to an English word the index cannot find
    // (the server's did-you-mean: at most one edit for a short word, two
    // for a longer one; the most frequent of the closest), or null.
    function correctionOf(word, index) {
      var limit = Array.from(word).length <= index.spellingShortWord ? 1 : 2, best = null, bestDistance = limit + 1;
      var sameScript = /^[a-z]/.test(word) ? /^[a-z]/ : /^[\u30a1-\u30fa]/;
      index.spelling.forEach(function (s, w) {
        if (!sameScript.test(w) || w === word || !s.freq) return;
        var d = editDistance(word, w, limit);
        if (d < bestDistance || (d === bestDistance && best && s.freq > best.freq)) {
          bestDistance = d; best = { word: w, term: s.term, freq: s.freq };
        }
      });
      return bestDistance <= limit ? best : null;
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
      function either(terms) {  // docs having any of the terms: summed scores
        var maps = terms.map(bm25).filter(function (m) { return m; });
        if (!maps.length) return null;
        var out = new Map();
        maps.forEach(function (m) { m.forEach(function (s, d) { out.set(d, (out.get(d) || 0) + s); }); });
        return out;
      }
      // Docs having every term (an array: any of its spellings): their summed scores.
      function all(terms) {
        if (!terms.length) return null;
        var maps = terms.map(function (t) { return Array.isArray(t) ? either(t) : bm25(t); });
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
        var byBigram = all(word.bigrams.map(function (g) {
          var other = kanaInOtherScript(g);
          return other ? [field.bigram + g, field.bigram + other] : field.bigram + g;
        }));
        // A single word the field has as a word needs no bigram form, but
        // one typed in hiragana keeps it and one in katakana keeps that of
        // its hiragana spelling (query_builder.cc FieldQuery).
        if (byWord && word.whole && !/\p{Script=Hiragana}/u.test(word.text)) {
          var others = word.bigrams.map(kanaInOtherScript);
          byBigram = others.length && others.every(function (o) { return o; })
            ? all(others.map(function (o) { return field.bigram + o; })) : null;
        }
        var byReading = all(readingsIn(word, field).map(function (g) { return field.reading + g; }));
        [[byWord, 1], [byBigram, r.bigram_weight], [byReading, r.reading_weight]].forEach(function (part) {
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

    search.indexBigrams = async function (text) {
      var index = await ready;
      return indexBigrams(foldKana(normalize(text), index.fold));
    };
    return search;

    async function search(query, options) {
      options = options || {};
      var started = Date.now();
      var index = await ready, meta = index.meta;
      var analysed = analyse(query, index);
      var words = attachConcepts(analysed.words, index);
      var terms = [];
      words.forEach(function (w) { terms = terms.concat(termsOf(w, meta)); });
      var postings = await postingsOf(terms, meta);
      // An English word the index cannot find is searched as its closest
      // spelling word (the server's autocorrect), the query read again so
      // that a corrected word may make a glossary form.
      var corrections = [];
      words.forEach(function (w) {
        if (w.scaffolding || findable(w, postings, meta)) return;
        if (w.latin) {
          var better = correctionOf(w.text, index);
          if (better) corrections.push({ from: w.text, to: better.word, kind: 'spelling' });
          return;
        }
        // Japanese: the one glossary form a kanji away (an input method's
        // wrong kanji: 保存量 for 保存則), else a katakana word inside it the
        // index lacks, by spelling (シュヴィンガー模型).
        var form = formOneKanjiAway(w.text, index);
        if (form) {
          corrections.push({ from: w.text, to: form, kind: 'reading', inside: true });
          return;
        }
        (w.text.match(/[\u30a1-\u30faー]{2,}/g) || []).forEach(function (run) {
          if (index.vocab.has(kanaSearchTerm(foldKana(run, index.fold)))) return;
          var fix = correctionOf(run, index);
          if (fix) corrections.push({ from: run, to: fix.word, kind: 'spelling', inside: true });
        });
      });
      var corrected = null;
      if (corrections.length) {
        corrected = normalize(query).split(/(\s+)/).map(function (part) {
          corrections.forEach(function (c) {
            if (c.inside || part.replace(/[^0-9a-z\u00c0-\u024f_+#-]+/g, '') === c.from) part = part.replace(c.from, c.to);
          });
          return part;
        }).join('');
        corrections.forEach(function (c) { delete c.inside; });
        analysed = analyse(corrected, index);
        words = attachConcepts(analysed.words, index);
        terms = [];
        words.forEach(function (w) { terms = terms.concat(termsOf(w, meta)); });
        postings = await postingsOf(terms, meta);
      }
      var candidates = new Set();
      Object.keys(postings).forEach(function (t) { postings[t].forEach(function (p) { candidates.add(p[0]); }); });
      var docs = await docsOf(Array.from(candidates), meta);
      var lengths = new Map();
      candidates.forEach(function (d) { if (docs[d]) lengths.set(d, docs[d].len); });
      // The collection a search looks in when the query names none, as the
      // server's (schema.h kDefaultCollection); 'all' lifts it.
      var filters = Object.assign({ collection: meta.default_collection }, analysed.filters, options.filters || {});
      if (filters.collection === 'all') delete filters.collection;
      function selected(doc) {
        for (var name in filters) {
          if (filters[name] && (doc.facets[name] || []).indexOf(String(filters[name])) < 0) return false;
        }
        return true;
      }
      // Optional words (a sentence's verbs) add to a score but are not
      // among every word; all optional, each is what the query asks for.
      var allOptional = words.every(function (w) { return w.optional; });
      var total = new Map(), hasWord = new Map();
      words.forEach(function (w, i) {
        var weight = w.optional && !allOptional ? meta.ranking.optional_word_weight : 1;
        scoreWord(w, postings, lengths, meta).forEach(function (s, d) {
          if (!docs[d] || !selected(docs[d])) return;
          total.set(d, (total.get(d) || 0) + weight * s);
          if (!hasWord.has(d)) hasWord.set(d, new Set());
          hasWord.get(d).add(i);
        });
      });
      // A talk with every word scores times 1 + all_words_weight (the
      // server's EveryWordFirst: a boost, not a partition); when no talk has
      // them all, a word no talk has is dropped, and when no talk has the
      // rest together either, none is boosted (RelaxedEveryWord).
      var required = [];
      words.forEach(function (w, i) { if (allOptional || !w.optional) required.push(i); });
      function hasAll(d) { return required.every(function (i) { return hasWord.get(d).has(i); }); }
      var relaxed = [];
      if (!Array.from(hasWord.keys()).some(hasAll)) {
        var found = new Set();
        hasWord.forEach(function (set) { set.forEach(function (i) { found.add(i); }); });
        relaxed = required.filter(function (i) { return !found.has(i); });
        required = required.filter(function (i) { return found.has(i); });
        if (!required.length || !Array.from(hasWord.keys()).some(hasAll)) {
          relaxed = required.concat(relaxed);
          required = null;
        }
      }
      var ranked = [];
      total.forEach(function (s, d) {
        var every = required !== null && hasAll(d);
        ranked.push({ doc: docs[d], every: every, score: every ? s * (1 + meta.ranking.all_words_weight) : s });
      });
      // Relevance: ties to the newest talk. Newest or oldest: by date (talks
      // without one last), ties by relevance (soft_and_ranking.h SetUpSort).
      function byRelevance(a, b) {
        return (b.score - a.score) || byDate(a, b, -1) || (a.doc.doc - b.doc.doc);
      }
      function byDate(a, b, direction) {
        var x = a.doc.date || '', y = b.doc.date || '';
        if (x === y) return 0;
        if (!x || !y) return x ? -1 : 1;
        return direction * (x < y ? -1 : 1);
      }
      var sort = options.sort || 'relevance';
      ranked.sort(sort === 'newest' ? function (a, b) { return byDate(a, b, -1) || byRelevance(a, b); }
                : sort === 'oldest' ? function (a, b) { return byDate(a, b, 1) || byRelevance(a, b); }
                : byRelevance);
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
        did_you_mean: null, corrections: corrections,
        corrected_query: corrected,
        relaxed_words: relaxed.map(function (i) { return words[i].text; }),
        hits: hits, facets: facetJson, static: true
      };
    }
  }

  return { open: open, termChunk: termChunk };
});
