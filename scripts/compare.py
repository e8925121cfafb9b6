#!/usr/bin/env python3
"""Compares two builds of rapport on one vault, run after run, in the same session.

Shared machines drift by a quarter within an hour, so two benchmarks taken minutes
apart do not compare. This runs the two builds in turns (A B, then B A, ...) and
reports each one's median wall and CPU time and the median of the per-round ratios
B / A, which the drift mostly cancels out of.

usage: scripts/compare.py OLD_BIN NEW_BIN [--rounds 20] [-- rapport arguments]
default arguments: --vault VAULT report --today 2026-11-23 --dry-run, with VAULT from
--vault (required then). Example, against the build of an earlier commit:

    git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
    scripts/compare.py /tmp/old/target/release/rapport target/release/rapport --vault V
"""
import argparse, resource, statistics, subprocess, sys, time


def main():
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description="Compare two rapport builds, interleaved.")
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--vault")
    a = ap.parse_args(argv)
    if not rest:
        if not a.vault:
            ap.error("give --vault, or the rapport arguments after --")
        rest = ["--vault", a.vault, "report", "--today", "2026-11-23", "--dry-run"]
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    bins = {"old": a.old, "new": a.new}
    wall = {k: [] for k in bins}
    cpu = {k: [] for k in bins}
    for r in range(a.rounds):
        for k in (["old", "new"] if r % 2 == 0 else ["new", "old"]):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = subprocess.run([bins[k], *rest], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall[k].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[k].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 1):
                sys.exit(f"{bins[k]} exited with {done.returncode}")
    for k in bins:
        print(f"{k}: {bins[k]}: wall median {statistics.median(wall[k]) * 1000:.0f} ms "
              f"(min {min(wall[k]) * 1000:.0f}), CPU median {statistics.median(cpu[k]) * 1000:.0f} ms")
    ratio = statistics.median(n / o for n, o in zip(wall["new"], wall["old"]))
    cpu_ratio = statistics.median(n / o for n, o in zip(cpu["new"], cpu["old"]))
    print(f"new / old, median of {a.rounds} rounds: wall {ratio:.3f}, CPU {cpu_ratio:.3f}")


if __name__ == "__main__":
    main()
