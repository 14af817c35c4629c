#!/usr/bin/env bash
# Times what a new user waits for: the README's two commands on a fresh
# clone with an empty target folder. Usage: benches/clean_build.sh [REV]
# (default HEAD). Prints the wall time of each command's build, the number
# of units compiled by each, and writes cargo's timing report beside the
# clone. Takes a quarter of an hour or more on two cores: run it alone.
set -euo pipefail
rev="${1:-HEAD}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /var/tmp/vigil-clean-build.XXXXXX)"
git clone --quiet "$repo" "$work/clone"
git -C "$work/clone" checkout --quiet "$rev"
export CARGO_TARGET_DIR="$work/target"
cd "$work/clone"
echo "clean build of $(git rev-parse --short HEAD) in $work (empty target folder)"

timed() {
    local label="$1"
    shift
    local started ended
    started=$(date +%s)
    "$@" >"$work/$label.log" 2>&1
    ended=$(date +%s)
    printf '%-28s %4d s (%d min %02d s), %d units compiled\n' "$label" $((ended - started)) \
        $(((ended - started) / 60)) $(((ended - started) % 60)) "$(grep -c '^ *Compiling ' "$work/$label.log")"
}

# The main command's build (`cargo run --release` builds exactly this), then
# the test command after it (compile and run).
timed "main command (build)" cargo build --release --timings
timed "test command (after it)" cargo test --release
grep -E '^test result' "$work/test command (after it).log" || true
echo "logs and cargo-timing.html: $work"
