#!/bin/bash
# vigil and Splink 5.0.0 on the link bench's two 1 M files, in the same
# minutes: vigil, Splink, vigil on each (run `cargo bench --bench link`
# first, which writes the files and builds the release binary; the peer's
# venv as in ../shared/peer/README.md). Prints wall time, peak memory and
# pairwise scores of each run.
set -euo pipefail
target=${CARGO_TARGET_DIR:-target}
vigil=$target/release/vigil
python=${PEER_HOME:-$HOME/.cache/vigil-peer}/venv/bin/python
peer=$(cd "$(dirname "$0")" && pwd)/splink_peer.py
bench=$target/tmp/link-bench
for file_and_id in register:person_id people:id; do
  file=${file_and_id%%:*}
  id=${file_and_id##*:}
  for who in vigil splink vigil; do
    echo "== $file.csv, $who"
    if [ "$who" = vigil ]; then
      /usr/bin/time -f "wall=%e peak_kb=%M" "$vigil" link --input "$bench/$file.csv" --id-column "$id" \
        --truth-column cluster --out "$bench/side-out" 2>&1 | grep -E "wall=|^precision|candidate pairs"
    else
      /usr/bin/time -f "wall=%e peak_kb=%M" "$python" "$peer" "$bench/$file.csv" "$bench/splink-$file.csv" 2>&1 |
        grep -E "wall=|RESULT|seconds:"
    fi
  done
done
