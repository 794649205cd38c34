#!/usr/bin/env python3
"""Groonga baseline for bench/compare_relevance.sh.

Loads the talks (talks-index --dump output, collection "talks") into a Groonga
13 database with TokenMecab and NormalizerNFKC150, searches every judged
query with match columns title*10||speaker*5||abstract (Groonga's default
operator, AND), and prints "query<TAB>id<TAB>id..." (top 10) per query.

  groonga_rankings.py --talks talks.jsonl --db DIR/db --queries FILE...
"""
import argparse
import json
import os
import subprocess
import sys


def groonga(db, commands):
    out = subprocess.run(["groonga", db], input="\n".join(commands) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", action="append", required=True)
    args = ap.parse_args()

    talks = [json.loads(l) for l in open(args.talks, encoding="utf-8")]
    records = [{"_key": t["id"], "title": t.get("title", ""),
                "speaker": " ".join(s.get("name", "") for s in t.get("speakers", [])),
                "abstract": t.get("abstract", "")}
               for t in talks if t.get("collection", "talks") == "talks"]
    os.makedirs(os.path.dirname(os.path.abspath(args.db)), exist_ok=True)
    subprocess.run(["groonga", "-n", args.db, "status"], capture_output=True, check=True)
    setup = [
        "table_create Talks TABLE_HASH_KEY ShortText",
        "column_create Talks title COLUMN_SCALAR ShortText",
        "column_create Talks speaker COLUMN_SCALAR ShortText",
        "column_create Talks abstract COLUMN_SCALAR Text",
        "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenMecab "
        "--normalizer NormalizerNFKC150",
        "column_create Terms title_index COLUMN_INDEX|WITH_POSITION Talks title",
        "column_create Terms speaker_index COLUMN_INDEX|WITH_POSITION Talks speaker",
        "column_create Terms abstract_index COLUMN_INDEX|WITH_POSITION Talks abstract",
        "load --table Talks --values " + quote(json.dumps(records, ensure_ascii=False)),
    ]
    for result in groonga(args.db, setup):
        if result[0][0] != 0:
            sys.exit("groonga setup failed: %s" % result)

    queries = []
    for path in args.queries:
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                queries.append(line.split("\t", 1)[0])
    commands = ["select Talks --match_columns 'title*10||speaker*5||abstract' --query %s "
                "--output_columns _key --sort_keys -_score --limit 10" % quote(q) for q in queries]
    for query, result in zip(queries, groonga(args.db, commands)):
        ids = []
        if result[0][0] == 0:
            ids = [row[0] for row in result[1][0][2:]]
        print("\t".join([query] + ids))


if __name__ == "__main__":
    main()
