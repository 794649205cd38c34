// Kana spelling variants in the static search: for each row of
// tests/judged/kana_variants.tsv (option, variant, normal form), a talk
// whose abstract says one spelling inside a sentence is found by the
// static search (server/static/talksearch-static.js) typing the other, as
// tests/kana_variants_test.cc asks of the server. The corpus is made here:
// two talks a row, one per spelling, in one bundle (talks-index
// --static-out), so a fold the browser gets wrong misses its row.
//
//   node static_kana_variants.mjs --talks-index BIN --variants FILE
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

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '').replace(/-/g, '_')] = process.argv[i + 1];

const rows = fs.readFileSync(args.variants, 'utf8').split('\n')
  .filter((line) => line && !line.startsWith('#')).map((line) => line.split('\t'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'static-kana-'));
fs.mkdirSync(path.join(work, 'corpus'));
fs.writeFileSync(path.join(work, 'corpus', 'variants.jsonl'), rows.flatMap(([, variant, normal], i) =>
  [['v', variant], ['n', normal]].map(([side, written]) => JSON.stringify({
    id: `kana-${i}-${side}`, title: `variant ${i}${side}`, language: 'ja',
    abstract: `本講演では${written}について議論する。`,
  }))).join('\n') + '\n');
// The corpus has no seminar page: talks-index reports it and indexes the rest.
execFileSync(args.talks_index, ['--corpus', path.join(work, 'corpus'), '--db', path.join(work, 'db'),
  '--static-out', path.join(work, 'bundle')], { stdio: ['ignore', 'ignore', 'ignore'] });

const search = TalksearchStatic.open(path.join(work, 'bundle') + '/', {
  fetch: async (file) => {
    const body = fs.readFileSync(file);
    return { ok: true, status: 200, body, text: async () => body.toString('utf8') };
  },
  gunzip: async (response) => zlib.gunzipSync(response.body).toString('utf8'),
});

let missed = 0, found = 0;
for (let i = 0; i < rows.length; i++) {
  const [option, variant, normal] = rows[i];
  for (const [typed, written, want] of [[normal, variant, `kana-${i}-v`], [variant, normal, `kana-${i}-n`]]) {
    const answer = await search(typed, { limit: 1000 });
    if (answer.hits.some((hit) => hit.id === want)) {
      found++;
    } else {
      missed++;
      console.log(`${option}: "${typed}" does not find "${written}" in a sentence`);
    }
  }
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`${found} passed, ${missed} failed`);
process.exit(missed || found !== rows.length * 2 ? 1 : 0);
