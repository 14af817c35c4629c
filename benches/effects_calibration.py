#!/usr/bin/env python3
"""Calibration of the evaluation's effect estimates (effects.csv) over many
simulated national worlds.

Usage: python3 benches/effects_calibration.py [--seeds N] [--people P] [--weeks W]
           [--pilot-effect KPI=CHANGE,...] [--vigil target/release/vigil]

For each seed: `vigil simulate --forces national --no-scenarios` (planted
scenarios fall in pilot forces only, which would be a pilot effect of their
own), `vigil run`, then reads every all_pilot_forces row of effects.csv. It
prints, per measure, the planted effect (truth/pilot_effects.csv; 0 unless
given with --pilot-effect), the mean estimate, the share of seeds whose
p-value is under 0.05 (about 5 % where nothing is planted, if the test holds
its size; the power where something is) and the share whose 95 % interval
holds the planted effect (about 95 %; a blank interval end counts as
unbounded).
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
    parser.add_argument("--pilot-effect", default="")
    parser.add_argument("--vigil", default=os.environ.get("CARGO_TARGET_DIR", "target") + "/release/vigil")
    args = parser.parse_args()
    tally = {}
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        env = dict(os.environ, VIGIL_PSEUDONYM_KEY="0" * 64)
        for seed in range(1, args.seeds + 1):
            data, out = work / f"data{seed}", work / f"out{seed}"
            run = lambda *command: subprocess.run([args.vigil, *command], env=env, check=True, capture_output=True)
            planting = ["--pilot-effect", args.pilot_effect] if args.pilot_effect else []
            run("simulate", "--out", str(data), "--seed", str(seed), "--people", str(args.people),
                "--weeks", str(args.weeks), "--forces", "national", "--no-scenarios", *planting)
            with open(data / "truth/pilot_effects.csv", newline="") as f:
                planted = {r["measure"]: 100.0 * float(r["change"]) for r in csv.DictReader(f)}
            run("run", "--config", str(data / "vigil.toml"), "--out", str(out), "--quiet")
            with open(out / "evaluation/effects.csv", newline="") as f:
                for row in csv.DictReader(f):
                    # Blank: not estimable; [c]: suppressed (a pilot force with 1 to 4 cases).
                    if row["scope"] != "all_pilot_forces" or row["p_value"] in ("", "[c]"):
                        continue
                    low = float(row["ci_low"]) if row["ci_low"] else float("-inf")
                    high = float(row["ci_high"]) if row["ci_high"] else float("inf")
                    truth = planted.get(row["measure"], 0.0)
                    seen = tally.setdefault(row["measure"], [0, 0, 0, truth, 0.0])
                    seen[0] += 1
                    seen[1] += float(row["p_value"]) < 0.05
                    seen[2] += low <= truth <= high
                    seen[4] += float(row["estimate"])
            print(f"seed {seed} done", file=sys.stderr)
    print(f"{'measure':24} {'seeds':>5} {'planted':>8} {'mean est.':>9} {'p<0.05':>7} {'CI holds it':>12}")
    for measure, (n, rejected, covered, truth, total) in sorted(tally.items()):
        print(f"{measure:24} {n:5} {truth:8.1f} {total / n:9.1f} {rejected / n:7.1%} {covered / n:12.1%}")
    n = sum(t[0] for t in tally.values())
    rejected, covered = sum(t[1] for t in tally.values()), sum(t[2] for t in tally.values())
    print(f"{'all':24} {n:5} {'':8} {'':9} {rejected / n:7.1%} {covered / n:12.1%}")


if __name__ == "__main__":
    main()
