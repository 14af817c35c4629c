#!/usr/bin/env python3
"""Calibration of the evaluation's effect estimates (effects.csv) over many
simulated national worlds.

Usage: python3 benches/effects_calibration.py [--seeds N] [--people P] [--weeks W]
           [--vigil target/release/vigil]

For each seed: `vigil simulate --forces national --no-scenarios` (planted
scenarios fall in pilot forces only, which would be a pilot effect of their
own), `vigil run`, then reads every all_pilot_forces row of effects.csv. The
simulator plants no pilot effect on these measures, so it prints, per measure,
the share of seeds whose p-value is under 0.05 (about 5 % if the test holds its
size) and the share whose 95 % interval holds 0 (about 95 %; an interval end
left blank counts as unbounded).
"""

import argparse
import csv
import os
import pathlib
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--weeks", type=int, default=40)
    parser.add_argument("--vigil", default=os.environ.get("CARGO_TARGET_DIR", "target") + "/release/vigil")
    args = parser.parse_args()
    tally = {}
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        env = dict(os.environ, VIGIL_PSEUDONYM_KEY="0" * 64)
        for seed in range(1, args.seeds + 1):
            data, out = work / f"data{seed}", work / f"out{seed}"
            run = lambda *command: subprocess.run([args.vigil, *command], env=env, check=True, capture_output=True)
            run("simulate", "--out", str(data), "--seed", str(seed), "--people", str(args.people),
                "--weeks", str(args.weeks), "--forces", "national", "--no-scenarios")
            run("run", "--config", str(data / "vigil.toml"), "--out", str(out), "--quiet")
            with open(out / "evaluation/effects.csv", newline="") as f:
                for row in csv.DictReader(f):
                    # Blank: not estimable; [c]: suppressed (a pilot force with 1 to 4 cases).
                    if row["scope"] != "all_pilot_forces" or row["p_value"] in ("", "[c]"):
                        continue
                    low = float(row["ci_low"]) if row["ci_low"] else float("-inf")
                    high = float(row["ci_high"]) if row["ci_high"] else float("inf")
                    seen = tally.setdefault(row["measure"], [0, 0, 0])
                    seen[0] += 1
                    seen[1] += float(row["p_value"]) < 0.05
                    seen[2] += low <= 0.0 <= high
            print(f"seed {seed} done", file=sys.stderr)
    print(f"{'measure':24} {'seeds':>5} {'p<0.05':>7} {'CI holds 0':>11}")
    for measure, (n, rejected, covered) in sorted(tally.items()):
        print(f"{measure:24} {n:5} {rejected / n:7.1%} {covered / n:11.1%}")
    n = sum(t[0] for t in tally.values())
    print(f"{'all':24} {n:5} {sum(t[1] for t in tally.values()) / n:7.1%} {sum(t[2] for t in tally.values()) / n:11.1%}")


if __name__ == "__main__":
    main()
