#!/usr/bin/env python3
"""Fault-injection runs for two of rapport's promises, a bounded number of trials each.

race      A person saves CRM/Dashboard.md while rapport is writing it (after it classified
          the note, before the rename). The run is slowed there with the `before-rename`
          (or `before-swap`) sleep hook, and the edit lands at a random moment around the
          pause, written in place or renamed over. Each trial runs `watch` (a client save
          triggers its write) or `report`. A loss is an edit that is not in the note
          once the run is done.
overflow  The kernel's inotify queue overflows: watch is stopped (SIGSTOP, so neither it
          nor notify's reader thread drains the queue) while more files change than the
          queue holds, a new client note last, then resumed. A loss is that client
          missing from the dashboard after the run settles (bounded wait).

Needs a binary with fault hooks: a debug build, or
`cargo build --release --features fault-hooks` (the default, built if missing).

    scripts/faults.py [--trials 40] [--overflow-trials 5] [--bin PATH] [--only KIND]

Prints one line per kind: trials, losses (must be 0) and how the edits were kept.
Linux only (inotify, /proc).
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"


def build(binary):
    if binary:
        return Path(binary)
    subprocess.run(["cargo", "build", "--release", "--features", "fault-hooks", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "rapport"


def fresh_vault(tmp):
    v = Path(tmp) / "vault"
    shutil.copytree(ROOT / "fixtures" / "clients-small", v)
    return v


class Watch:
    def __init__(self, binary, vault, log, env=None):
        self.log = log
        e = dict(os.environ, NO_COLOR="1")
        e.pop("RAPPORT_FAULT", None)
        e.update(env or {})
        self.proc = subprocess.Popen(
            [str(binary), "--vault", str(vault), "watch", "--debounce", "20", "--today", TODAY],
            stdout=subprocess.DEVNULL, stderr=open(log, "w"), env=e)
        wait(lambda: "watching" in self.text(), 60, "watch to start")

    def text(self):
        try:
            return Path(self.log).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def settle(self, quiet=1.0, limit=120):
        last, since, start = self.text(), time.time(), time.time()
        while time.time() - since < quiet:
            if time.time() - start > limit:
                raise SystemExit("watch never settled")
            time.sleep(0.05)
            now = self.text()
            if now != last:
                last, since = now, time.time()

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait(cond, limit, what):
    start = time.time()
    while not cond():
        if time.time() - start > limit:
            return False
        time.sleep(0.005)
    return True


def edit(path, marker, rename_over):
    text = path.read_text() + f"\n{marker}\n"
    if rename_over:
        tmp = path.with_name("." + path.name + ".swp")
        tmp.write_text(text)
        os.rename(tmp, path)
    else:
        path.write_text(text)


def temporaries(crm):
    return [p for p in crm.glob(".rapport-*.tmp")]


def race_watch(binary, trials, rng, counts):
    """Watch writes the dashboard after a client save; the person saves the dashboard too."""
    with tempfile.TemporaryDirectory() as tmp:
        v = fresh_vault(tmp)
        pause = rng.choice([50, 200, 500])
        point = rng.choice(["before-rename", "before-swap"])
        w = Watch(binary, v, Path(tmp) / "watch.log", {"RAPPORT_FAULT": f"{point}:sleep={pause}"})
        dash = v / "CRM" / "Dashboard.md"
        client = v / "Clients" / "Żagiel 0.md"
        for i in range(trials):
            # A generated dashboard to start from: watch writes it again when removed.
            if dash.exists():
                dash.unlink()
            if not wait(lambda: dash.exists() and "rapport: generated" in dash.read_text(errors="replace"), 60,
                        "the dashboard"):
                raise SystemExit("watch did not write the dashboard again")
            w.settle(0.3)
            marker = f"my line {i} {rng.random()}"
            client.write_text(client.read_text() + f"\n- 2026-{1 + i % 11:02d}-{1 + i % 28:02d} call — trial {i}\n")
            # Before, during or just after watch's pause before the rename.
            time.sleep(rng.uniform(0, (pause + 60) / 1000))
            edit(dash, marker, rng.random() < 0.5)
            w.settle()
            counts["trials"] += 1
            if marker not in dash.read_text(errors="replace"):
                counts["losses"] += 1
        log = w.text()
        counts["refused"] += log.count("generated-edited")
        w.stop()
        counts["temporaries left"] += len(temporaries(v / "CRM"))


def race_report(binary, trials, rng, counts):
    """A report is paused before its rename while the person saves the dashboard."""
    for i in range(trials):
        with tempfile.TemporaryDirectory() as tmp:
            v = fresh_vault(tmp)
            subprocess.run([str(binary), "--vault", str(v), "report", "--today", "2026-11-20"],
                           capture_output=True, check=True)
            pause = rng.choice([50, 200, 500])
            point = rng.choice(["before-rename", "before-swap"])
            env = dict(os.environ, RAPPORT_FAULT=f"{point}:sleep={pause}", NO_COLOR="1")
            run = subprocess.Popen([str(binary), "--vault", str(v), "report", "--today", TODAY],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            crm = v / "CRM"
            wait(lambda: temporaries(crm) or run.poll() is not None, 30, "the write")
            time.sleep(rng.uniform(0, (pause + 20) / 1000))
            marker = f"my line {i} {rng.random()}"
            edit(crm / "Dashboard.md", marker, rng.random() < 0.5)
            out, _ = run.communicate()
            counts["trials"] += 1
            if marker not in (crm / "Dashboard.md").read_text(errors="replace"):
                counts["losses"] += 1
            counts["refused"] += out.decode().count("refused CRM/Dashboard.md")
            counts["temporaries left"] += len(temporaries(crm))


def overflow(binary, trials, counts):
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    files = limit // 2 + 100  # each new file queues create, open, modify and close
    for i in range(trials):
        with tempfile.TemporaryDirectory() as tmp:
            v = fresh_vault(tmp)
            (v / "Bulk").mkdir()
            w = Watch(binary, v, Path(tmp) / "watch.log")
            w.proc.send_signal(signal.SIGSTOP)
            for n in range(files):
                (v / "Bulk" / f"n{n}.md").write_text("x\n")
            (v / "Bulk" / f"Overflow Client {i}.md").write_text("---\ntype: client\n---\n- 2026-11-20 call\n")
            w.proc.send_signal(signal.SIGCONT)
            dash = v / "CRM" / "Dashboard.md"
            seen = wait(lambda: f"Overflow Client {i}]]" in dash.read_text(errors="replace"), 120, "the client")
            w.settle()
            counts["trials"] += 1
            counts["losses"] += 0 if seen else 1
            counts["overflows reported"] += w.text().count("event queue overflowed")
            if os.environ.get("FAULTS_VERBOSE"):
                print(w.text(), file=sys.stderr)
            w.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=40, help="race trials (half watch, half report)")
    ap.add_argument("--overflow-trials", type=int, default=5)
    ap.add_argument("--bin", help="a rapport binary with fault hooks")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--only", choices=["race-watch", "race-report", "overflow"], action="append",
                    help="run only these kinds (repeatable)")
    args = ap.parse_args()
    binary = build(args.bin)
    rng = random.Random(args.seed)
    print(f"binary {binary}, seed {args.seed}, inotify queue "
          f"{Path('/proc/sys/fs/inotify/max_queued_events').read_text().strip()} events")
    results = {}
    for name, run in [
        ("race (watch)", lambda c: race_watch(binary, args.trials // 2, rng, c)),
        ("race (report)", lambda c: race_report(binary, args.trials - args.trials // 2, rng, c)),
        ("overflow", lambda c: overflow(binary, args.overflow_trials, c)),
    ]:
        if args.only and name.replace(" (", "-").rstrip(")") not in args.only:
            continue
        counts = {"trials": 0, "losses": 0}
        counts.setdefault("refused" if name.startswith("race") else "overflows reported", 0)
        if name.startswith("race"):
            counts["temporaries left"] = 0
        start = time.time()
        run(counts)
        counts["seconds"] = round(time.time() - start, 1)
        results[name] = counts
        print(f"{name:14} " + "  ".join(f"{k}: {v}" for k, v in counts.items()), flush=True)
    losses = sum(c["losses"] for c in results.values())
    print(f"total trials: {sum(c['trials'] for c in results.values())}, losses: {losses}")
    sys.exit(1 if losses else 0)


if __name__ == "__main__":
    main()
