#!/usr/bin/env python3
"""Groonga and SQLite FTS5 sides of bench/compare_speed.sh.

  speed_baselines.py groonga-load   --talks T.jsonl --db DIR/db [--facets]
  speed_baselines.py groonga-latency --db DIR/db --queries F... --rounds R [--no-cache] [--facets]
  speed_baselines.py groonga-paths  --queries F... [--facets]   (URL paths for wrk)
  speed_baselines.py talksearch-paths --queries F...        (talks-server's, likewise)
  speed_baselines.py sqlite-load    --talks T.jsonl --db FILE
  speed_baselines.py sqlite-latency --db FILE --queries F... --rounds R
  speed_baselines.py targets        --results bench/RESULTS.md   (the speed targets, as ratios)

Groonga 13: TokenMecab, NormalizerNFKC150, match columns title*10||speaker*5||abstract
(its default AND), top 10 by score. Latency is Groonga's own elapsed time per select
(its response header), all selects through one groonga process; --no-cache sets
cache_limit 0 (Groonga caches select results by default). --facets does what
talks-server's search API does besides ranking, so that the two can be compared like
for like: the facet columns are loaded (year, language, series, speakers, collection),
and each select also counts them (drilldowns, the speakers' 10 most frequent) and
returns the title and speaker highlighted and an abstract snippet.
SQLite FTS5 with the trigram tokenizer, bm25(10, 5, 1), top 10; latency is wall time of
each query in this process. Latency lines read "latency: N searches  p50 X ms  p99 Y ms
mean Z ms", as talks-eval --latency prints them.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse

MATCH_COLUMNS = "title*10||speaker*5||abstract"


# Groonga's schema for the talks: TokenMecab, NormalizerNFKC150, positions.
# Shared with groonga_rankings.py (compare_relevance.sh).
GROONGA_SCHEMA = [
    "table_create Talks TABLE_HASH_KEY ShortText",
    "column_create Talks title COLUMN_SCALAR ShortText",
    "column_create Talks speaker COLUMN_SCALAR ShortText",
    "column_create Talks abstract COLUMN_SCALAR Text",
    "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenMecab "
    "--normalizer NormalizerNFKC150",
    "column_create Terms title_index COLUMN_INDEX|WITH_POSITION Talks title",
    "column_create Terms speaker_index COLUMN_INDEX|WITH_POSITION Talks speaker",
    "column_create Terms abstract_index COLUMN_INDEX|WITH_POSITION Talks abstract",
]
# The columns of talks-server's facets, for --facets.
GROONGA_FACET_COLUMNS = [
    "column_create Talks year COLUMN_SCALAR ShortText",
    "column_create Talks language COLUMN_SCALAR ShortText",
    "column_create Talks series COLUMN_VECTOR ShortText",
    "column_create Talks speakers COLUMN_VECTOR ShortText",
    "column_create Talks collection COLUMN_SCALAR ShortText",
]


def records(path, collection=None, facets=False):
    """Groonga records of the talks in a JSON Lines file (only `collection`'s, if given),
    with the facet columns if `facets`."""
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        t = json.loads(line)
        if collection and t.get("collection", "talks") != collection:
            continue
        names = [s.get("name", "") for s in t.get("speakers", [])]
        record = {"_key": t["id"], "title": t.get("title", ""), "speaker": " ".join(names),
                  "abstract": t.get("abstract", "")}
        if facets:
            record.update({"year": t.get("date", "")[:4], "language": t.get("language", ""),
                           "series": t.get("series", []), "speakers": names,
                           "collection": t.get("collection", "talks")})
        yield record


def queries(paths):
    out = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t", 1)[0])
    return out


def report(ms):
    ms.sort()
    at = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    print("latency: %d searches  p50 %.3f ms  p99 %.3f ms  mean %.3f ms"
          % (len(ms), at(0.50), at(0.99), sum(ms) / len(ms)))


def quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def groonga_load(args):
    os.makedirs(os.path.dirname(os.path.abspath(args.db)), exist_ok=True)
    proc = subprocess.Popen(["groonga", "-n", args.db], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    for command in GROONGA_SCHEMA + (GROONGA_FACET_COLUMNS if args.facets else []):
        proc.stdin.write(command + "\n")
    batch = []
    for r in records(args.talks, facets=args.facets):
        batch.append(r)
        if len(batch) == 1000:
            proc.stdin.write("load --table Talks --values %s\n" % quote(json.dumps(batch, ensure_ascii=False)))
            batch = []
    if batch:
        proc.stdin.write("load --table Talks --values %s\n" % quote(json.dumps(batch, ensure_ascii=False)))
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("groonga load failed")


def select_arguments(q, facets=False):
    """The select's arguments, in order, as (name, value) pairs."""
    args = [("table", "Talks"), ("match_columns", MATCH_COLUMNS), ("query", q)]
    if not facets:
        return args + [("output_columns", "_key,title,_score"), ("sort_keys", "-_score"),
                       ("limit", "10")]
    args += [("output_columns", "_key,_score,highlight_html(title),highlight_html(speaker),"
                                "snippet_html(abstract)"),
             ("sort_keys", "-_score"), ("limit", "10")]
    for column, limit in [("year", 100), ("language", 10), ("series", 20), ("collection", 10)]:
        args += [("drilldowns[%s].keys" % column, column), ("drilldowns[%s].limit" % column, str(limit))]
    return args + [("drilldowns[speakers].keys", "speakers"),
                   ("drilldowns[speakers].sort_keys", "-_nsubrecs"),
                   ("drilldowns[speakers].limit", "10")]


def select(q, facets=False):
    return "select " + " ".join("--%s %s" % (name, quote(value))
                                for name, value in select_arguments(q, facets))


def groonga_latency(args):
    qs = queries(args.queries)
    commands = ((["cache_limit 0"] if args.no_cache else [])
                + [select(q, args.facets) for q in qs] * (args.rounds + 1))
    out = subprocess.run(["groonga", args.db], input="\n".join(commands) + "\n",
                         capture_output=True, text=True, check=True).stdout
    results = [json.loads(l) for l in out.splitlines() if l.strip()]
    if args.no_cache:
        results = results[1:]
    failed = [r for r in results if r[0][0] != 0]
    if failed:
        sys.exit("groonga select failed: %s" % json.dumps(failed[0][0], ensure_ascii=False))
    elapsed = [r[0][2] * 1000 for r in results]
    report(elapsed[len(qs):])  # the first round warms up


def groonga_paths(args):
    for q in queries(args.queries):
        print("/d/select?" + urllib.parse.urlencode(select_arguments(q, args.facets),
                                                   quote_via=urllib.parse.quote))


def talksearch_paths(args):
    for q in queries(args.queries):
        print("/api/search?q=" + urllib.parse.quote(q))


def sqlite_load(args):
    if os.path.exists(args.db):
        os.remove(args.db)
    db = sqlite3.connect(args.db)
    db.execute("CREATE VIRTUAL TABLE talks USING fts5(id UNINDEXED, title, speaker, abstract, "
               "tokenize='trigram')")
    db.executemany("INSERT INTO talks VALUES (?, ?, ?, ?)",
                   ((r["_key"], r["title"], r["speaker"], r["abstract"]) for r in records(args.talks)))
    db.commit()
    db.close()


def fts5_query(q):
    # Each whitespace-separated word a quoted string, all required (like Groonga's AND).
    return " AND ".join('"%s"' % w.replace('"', '""') for w in q.split())


def sqlite_latency(args):
    db = sqlite3.connect(args.db)
    qs = queries(args.queries)
    ms = []
    for round_ in range(args.rounds + 1):
        for q in qs:
            start = time.perf_counter()
            db.execute("SELECT id, title FROM talks WHERE talks MATCH ? "
                       "ORDER BY bm25(talks, 0, 10.0, 5.0, 1.0) LIMIT 10", (fts5_query(q),)).fetchall()
            if round_ > 0:
                ms.append((time.perf_counter() - start) * 1000)
    report(ms)


def targets(args):
    """Reads the tables compare_speed.sh wrote and prints the speed targets for
    the largest corpus in them, each as a ratio to Groonga in the same run."""
    rows, http = {}, {}
    for line in open(args.results, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0].isdigit():
            rows[(int(cells[0]), cells[1])] = [float(c) for c in cells[2:]]
        elif len(cells) == 3 and cells[1].replace(".", "").isdigit():
            http[cells[0]] = float(cells[1])
    size = max(n for n, _ in rows)
    ts, gr = rows[(size, "talksearch")], rows[(size, "Groonga TokenMecab")]
    docs_s, disk, p50, p99, gmean = ts[0], ts[2], ts[4], ts[5], gr[6]
    def http_rate(server, cached, facets=False):
        return next(v for k, v in http.items()
                    if k.startswith(server) and (("no " not in k) == cached)
                    and (("with facets" in k) == facets))
    ts_cached, ts_uncached = http_rate("talks-server", True), http_rate("talks-server", False)
    gr_cached, gr_uncached = http_rate("groonga", True), http_rate("groonga", False)
    yes = lambda ok: "yes" if ok else "no"
    like = rows[(size, "Groonga, with facets and snippets")]
    grf_cached = http_rate("groonga", True, facets=True)
    grf_uncached = http_rate("groonga", False, facets=True)
    print(f"## Against the speed targets ({size:,} talks, ratios to Groonga in this run)")
    print()
    print("Queries against Groonga doing the same work (the same facets counted, highlighted")
    print("titles and speakers, an abstract snippet); indexing against plain Groonga.")
    print()
    print("| target | measured | met |")
    print("|---|---|---|")
    for name, i, limit in [("p50", 4, 0.5), ("p99", 5, 0.8), ("mean", 6, 0.6)]:
        print(f"| query {name} ≤ {limit}× | {ts[i]:.2f} / {like[i]:.2f} ms = {ts[i] / like[i]:.2f}× | "
              f"{yes(ts[i] <= limit * like[i])} |")
    print(f"| indexing ≥ 1.2× Groonga's docs/s | {docs_s:,.0f} / {gr[0]:,.0f} = {docs_s / gr[0]:.2f}× | "
          f"{yes(docs_s >= 1.2 * gr[0])} |")
    print(f"| disk ≤ 1.5× | {disk:,.0f} / {gr[2]:,.0f} MB = {disk / gr[2]:.2f}× | {yes(disk <= 1.5 * gr[2])} |")
    print(f"| HTTP ≥ 3× searches/s, no cache | {ts_uncached:,.0f} / {grf_uncached:,.0f} = "
          f"{ts_uncached / grf_uncached:.2f}× | {yes(ts_uncached >= 3 * grf_uncached)} |")
    slim = rows.get((size, "talksearch, no termlists"))
    print()
    print("Beside the targets:")
    print()
    print("| measure | talksearch | Groonga | ratio |")
    print("|---|---|---|---|")
    if slim:
        print(f"| disk, read-only index (`--no-termlists`) | {slim[2]:,.0f} MB | {gr[2]:,.0f} MB | {slim[2] / gr[2]:.2f}× |")
    print(f"| HTTP searches/s, cached (like for like) | {ts_cached:,.0f} | {grf_cached:,.0f} | {ts_cached / grf_cached:.2f}× |")
    print(f"| HTTP searches/s, plain select, no cache | {ts_uncached:,.0f} | {gr_uncached:,.0f} | {ts_uncached / gr_uncached:.2f}× |")
    print(f"| query p50 / p99 / mean against plain select (ms) | {p50:.2f} / {p99:.1f} / {ts[6]:.2f} | "
          f"{gr[4]:.2f} / {gr[5]:.1f} / {gmean:.2f} | — |")
    print()
    print("The disk rows flatter talksearch: its stored talks are compressed with a dictionary")
    print("trained on the index's own talks, and generated talks reuse the real talks' sentences,")
    print("which a dictionary finds. Real talks compress less (bench/README.md, \"Disk\").")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["groonga-load", "groonga-latency", "groonga-paths",
                                        "talksearch-paths",
                                        "sqlite-load", "sqlite-latency", "targets"])
    ap.add_argument("--talks")
    ap.add_argument("--db")
    ap.add_argument("--queries", action="append", default=[])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--facets", action="store_true")
    ap.add_argument("--results")
    args = ap.parse_args()
    {"groonga-load": groonga_load, "groonga-latency": groonga_latency,
     "groonga-paths": groonga_paths, "talksearch-paths": talksearch_paths,
     "sqlite-load": sqlite_load,
     "sqlite-latency": sqlite_latency, "targets": targets}[args.command](args)


if __name__ == "__main__":
    main()
