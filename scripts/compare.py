#!/usr/bin/env python3
"""Compares two builds of rapport on one vault, run after run, in the same session.

Shared machines drift by a quarter within an hour, so two benchmarks taken minutes
apart do not compare. This runs the two builds in turns (A B, then B A, ...) and
reports each one's median wall time, CPU time (user + system) and peak memory (RSS),
and the medians of the per-round ratios B / A, which the drift mostly cancels out of.

usage: scripts/compare.py OLD_BIN NEW_BIN [--rounds 20] [--own-cache] [--floor DIR]
                          [--stage NAME] [-- rapport arguments]
default arguments: --vault VAULT report --today 2026-11-23 --dry-run, with VAULT from
--vault (required then).
  --own-cache  each build gets its own parse cache folder (XDG_CACHE_HOME), warmed by
               two runs first: needed when the two builds' cache formats differ, or
               each would throw the other's cache away and both would run cold.
  --floor DIR  also times `rg -c '\\[\\['` over DIR in every round, and gives each
               build's ratio to it (the floor of reading every byte; see bench.sh).
  --stage NAME also reads the stage NAME from each run's RAPPORT_TIMINGS lines (for
               example scan+parse, which includes the walk) and gives its medians, its
               ratio to the floor's wall time and new / old. The parse stage against the
               floor: --floor V --stage scan+parse -- --vault V --no-cache report --dry-run
Example, against the build of an earlier commit:

    git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build --release)
    scripts/compare.py /tmp/old/target/release/rapport target/release/rapport --vault V
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time


def run(cmd, env=None, stage=None):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run, its exit code, and the
    seconds of its timing line `stage` (None when not asked or not printed)."""
    # stderr to a file, not a pipe: a vault's warnings could fill a pipe nobody reads yet.
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err if stage else subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        took = None
        if stage:
            err.seek(0)
            text = err.read().decode(errors="replace")
            m = re.search(rf"^timing: {re.escape(stage)}\s+([\d.]+) ms", text, re.M)
            took = float(m.group(1)) / 1000 if m else None
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode, took


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
    ap.add_argument("--own-cache", action="store_true")
    ap.add_argument("--floor")
    ap.add_argument("--stage")
    a = ap.parse_args(argv)
    if not rest:
        if not a.vault:
            ap.error("give --vault, or the rapport arguments after --")
        rest = ["--vault", a.vault, "report", "--today", "2026-11-23", "--dry-run"]
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    if a.floor and not shutil.which("rg"):
        ap.error("--floor needs ripgrep (rg)")
    bins = {"old": a.old, "new": a.new}
    tmp = tempfile.mkdtemp(prefix="rapport-compare.")
    extra = {"RAPPORT_TIMINGS": "1"} if a.stage else {}
    envs = {k: dict(os.environ, **extra) if extra else None for k in bins}
    if a.own_cache:
        for k in bins:
            envs[k] = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, k), **extra)
            for _ in range(2):
                run([bins[k], *rest], envs[k])
    runs = {k: [] for k in [*bins, "floor"]}
    try:
        for r in range(a.rounds):
            if a.floor:
                runs["floor"].append(run(["rg", "-c", r"\[\[", a.floor]))
            for k in (["old", "new"] if r % 2 == 0 else ["new", "old"]):
                done = run([bins[k], *rest], envs[k], a.stage)
                if done[3] not in (0, 1):
                    sys.exit(f"{bins[k]} exited with {done[3]}")
                if a.stage and done[4] is None:
                    sys.exit(f"{bins[k]} printed no `timing: {a.stage}` line")
                runs[k].append(done)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = lambda k, i: statistics.median(x[i] for x in runs[k])
    if a.floor:
        print(f"floor: rg over {a.floor}: wall median {med('floor', 0) * 1000:.0f} ms, "
              f"CPU median {med('floor', 1) * 1000:.0f} ms")
    for k in bins:
        line = (f"{k}: {bins[k]}: wall median {med(k, 0) * 1000:.0f} ms (min {min(x[0] for x in runs[k]) * 1000:.0f}), "
                f"CPU median {med(k, 1) * 1000:.0f} ms, peak RSS median {med(k, 2):.1f} MiB")
        if a.floor:
            ratio = lambda i: statistics.median(x[i] / f[i] for x, f in zip(runs[k], runs["floor"]))
            line += f"; to the floor: wall {ratio(0):.2f}x, CPU {ratio(1):.2f}x"
        print(line)
    if a.stage:
        for k in bins:
            line = f"{k}: stage {a.stage}: median {med(k, 4) * 1000:.0f} ms"
            if a.floor:
                to_floor = statistics.median(x[4] / f[0] for x, f in zip(runs[k], runs["floor"]))
                line += f"; to the floor's wall: {to_floor:.2f}x"
            print(line)
    ratio = lambda i: statistics.median(n[i] / o[i] for n, o in zip(runs["new"], runs["old"]))
    line = f"new / old, median of {a.rounds} rounds: wall {ratio(0):.3f}, CPU {ratio(1):.3f}, peak RSS {ratio(2):.3f}"
    if a.stage:
        line += f", stage {a.stage} {ratio(4):.3f}"
    print(line)


if __name__ == "__main__":
    main()
