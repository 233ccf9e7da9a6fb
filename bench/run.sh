#!/bin/sh
# Run the benchmark at the sizes the README reports, writing bench/results/<size>.{txt,json}.
# Usage: bench/run.sh [SIZE...]   (default: 100k 1M; 10M runs only kg build and pyoxigraph)
set -eu
cd "$(dirname "$0")/.."
KG=${KG:-.venv/bin/kg}
mkdir -p bench/results
[ $# -gt 0 ] || set -- 100k 1M
for size in "$@"; do
  case "$size" in
    10M) stages="--stage kg-build --stage kg-build-no-shacl --stage pyoxigraph" ;;
    *) stages="" ;;
  esac
  # shellcheck disable=SC2086
  "$KG" bench --size "$size" $stages --json "bench/results/$size.json" | tee "bench/results/$size.txt"
done
