// Scores the static bundle's search (server/static/talksearch-static.js)
// on the judged query files with talks-eval's scorer, next to the server's
// score on the same index, and fails when the static nDCG@10 is more than
// 0.05 below the server's on a file the static search must keep up on.
//
//   node static_search_eval.mjs --talks-index BIN --talks-eval BIN
//        --corpus DIR --judged FILE [--judged FILE...] [--required FILE...]
import { createRequire } from 'module';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const TalksearchStatic = require(path.join(here, '../../server/static/talksearch-static.js'));

const args = { judged: [], required: [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '').replace(/-/g, '_');
  const value = process.argv[i + 1];
  if (Array.isArray(args[name])) args[name].push(value); else args[name] = value;
}
const kTolerance = 0.05;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'static-eval-'));
const db = path.join(work, 'db'), bundle = path.join(work, 'bundle');
execFileSync(args.talks_index, ['--corpus', args.corpus, '--db', db, '--static-out', bundle],
             { stdio: ['ignore', 'ignore', 'inherit'] });

const io = {
  fetch: async (file) => {
    const body = fs.readFileSync(file);
    return { ok: true, status: 200, body, text: async () => body.toString('utf8') };
  },
  gunzip: async (response) => zlib.gunzipSync(response.body).toString('utf8'),
};
const search = TalksearchStatic.open(bundle + '/', io);

function ndcgOf(output) {
  const m = /nDCG@10 ([0-9.]+)/.exec(output);
  if (!m) throw new Error('talks-eval printed no nDCG@10: ' + output);
  return Number(m[1]);
}

let failed = 0;
for (const judged of args.judged) {
  const queries = fs.readFileSync(judged, 'utf8').split('\n')
    .filter((line) => line && !line.startsWith('#')).map((line) => line.split('\t')[0]);
  const lines = [];
  for (const query of queries) {
    const answer = await search(query, { limit: 10 });
    lines.push([query, ...answer.hits.map((h) => h.id)].join('\t'));
  }
  const rankings = path.join(work, path.basename(judged) + '.rankings');
  fs.writeFileSync(rankings, lines.join('\n') + '\n');
  const eval_ = (extra) => execFileSync(args.talks_eval, ['--db', db, '--queries', judged, ...extra],
                                        { encoding: 'utf8' });
  const server = ndcgOf(eval_([]));
  const statik = ndcgOf(eval_(['--rankings', rankings]));
  const required = args.required.includes(judged);
  const ok = statik >= server - kTolerance;
  if (required && !ok) failed++;
  console.log(`${path.basename(judged)}: static nDCG@10 ${statik.toFixed(4)}  server ${server.toFixed(4)}` +
              `  ${ok ? 'within' : 'NOT within'} ${kTolerance}${required ? '' : ' (reported only)'}`);
}
// The browser's bigram rule is the index's: the bigrams it makes of each
// talk's title are the bundle's title bigram terms of that talk.
{
  const meta = JSON.parse(fs.readFileSync(path.join(bundle, 'meta.json'), 'utf8'));
  const prefix = meta.schema.text_fields.find((f) => f.name === 'title').bigram;
  const indexed = new Map();
  for (let chunk = 0; chunk < meta.term_chunks; chunk++) {
    const terms = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(bundle, 'terms', `${chunk}.json.gz`))));
    for (const [term, postings] of Object.entries(terms)) {
      if (!term.startsWith(prefix) || /^[A-Z]/.test(term.slice(prefix.length))) continue;
      for (const [doc] of postings) {
        if (!indexed.has(doc)) indexed.set(doc, new Set());
        indexed.get(doc).add(term.slice(prefix.length));
      }
    }
  }
  let differ = 0, titles = 0;
  for (let chunk = 0; chunk < meta.doc_chunks; chunk++) {
    for (const doc of JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(bundle, 'docs', `${chunk}.json.gz`))))) {
      const ours = [...new Set(await search.indexBigrams(doc.title))].sort().join(' ');
      const theirs = [...(indexed.get(doc.doc) || [])].sort().join(' ');
      if (ours) titles++;
      if (ours !== theirs) {
        differ++;
        console.log(`title bigrams of ${doc.id} differ: static [${ours}] index [${theirs}]`);
      }
    }
  }
  if (differ || !titles) failed++;
  console.log(`title bigrams: ${titles - differ} of ${titles} titles as the index has them`);
}

// Sorted by date: the same talks as by relevance, newest (or oldest) first,
// talks without a date last.
for (const query of ['深層学習', 'neural network']) {
  const byRelevance = await search(query, { limit: 1000 });
  for (const sort of ['newest', 'oldest']) {
    const answer = await search(query, { limit: 1000, sort });
    const ids = (a) => a.hits.map((h) => h.id).sort().join(' ');
    const dates = answer.hits.map((h) => h.date || '');
    const dated = dates.filter(Boolean);
    const inOrder = dated.every((d, i) => i === 0 || (sort === 'newest' ? dated[i - 1] >= d : dated[i - 1] <= d)) &&
                    dates.slice(dated.length).every((d) => !d);
    const ok = answer.hits.length > 1 && ids(answer) === ids(byRelevance) && inOrder;
    if (!ok) failed++;
    console.log(`sort=${sort} "${query}": ${answer.hits.length} talks ${ok ? 'in date order' : 'NOT in date order or not the same talks'}`);
  }
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
