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

from speed_baselines import GROONGA_SCHEMA, quote, records, select
from speed_baselines import queries as read_queries


def groonga(db, commands):
    out = subprocess.run(["groonga", db], input="\n".join(commands) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", action="append", required=True)
    args = ap.parse_args()

    talks = list(records(args.talks, collection="talks"))
    os.makedirs(os.path.dirname(os.path.abspath(args.db)), exist_ok=True)
    subprocess.run(["groonga", "-n", args.db, "status"], capture_output=True, check=True)
    setup = GROONGA_SCHEMA + [
        "load --table Talks --values " + quote(json.dumps(talks, ensure_ascii=False))]
    for result in groonga(args.db, setup):
        if result[0][0] != 0:
            sys.exit("groonga setup failed: %s" % result)

    queries = read_queries(args.queries)
    commands = [select(q) for q in queries]
    for query, result in zip(queries, groonga(args.db, commands)):
        ids = []
        if result[0][0] == 0:
            ids = [row[0] for row in result[1][0][2:]]
        print("\t".join([query] + ids))


if __name__ == "__main__":
    main()
