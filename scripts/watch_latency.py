#!/usr/bin/env python3
"""Save-to-written latency of `rapport watch` on a vault.

Starts `rapport watch`, saves one client note N times, and measures the time from the
save to the new CRM/Dashboard.md on disk. Each save opens the note, appends and closes
it, as an editor does, so watch reads it without waiting for the debounce (only a file
still open for writing waits). Each save adds a dated log line (the dashboard changes,
the reminders need not), or with --save task an overdue next step (both notes change).
Prints median and 95th percentile, the watcher's own per-cycle times, and the wall time
of a full `rapport report` on the same vault.

usage: scripts/watch_latency.py VAULT [--saves 50] [--save log|task] [--debounce 50] [--bin target/release/rapport]
The vault is modified (lines are appended to one client note): use a copy.
"""
import argparse, os, re, statistics, subprocess, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vault")
    ap.add_argument("--saves", type=int, default=50)
    ap.add_argument("--save", choices=["log", "task"], default="log")
    ap.add_argument("--debounce", type=int, default=50)
    ap.add_argument("--bin", default="target/release/rapport")
    ap.add_argument("--today", default="2026-11-23")
    a = ap.parse_args()
    dash = os.path.join(a.vault, "CRM", "Dashboard.md")

    def full_report():
        t = time.perf_counter()
        subprocess.run([a.bin, "--vault", a.vault, "report", "--today", a.today, "--force"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return time.perf_counter() - t

    reports = sorted(full_report() for _ in range(3))
    log_path = os.path.join(a.vault, "..", "watch-latency.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([a.bin, "--vault", a.vault, "watch", "--debounce", str(a.debounce), "--today", a.today],
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.time() + 120
        while "watching" not in open(log_path).read():
            if time.time() > deadline or proc.poll() is not None:
                sys.exit("watch did not start")
            time.sleep(0.05)
        clients = sorted(f for f in os.listdir(os.path.join(a.vault, "Clients")) if f.endswith(".md"))
        note = os.path.join(a.vault, "Clients", clients[0])
        latencies = []
        for i in range(a.saves):
            before = os.stat(dash).st_mtime_ns
            with open(note, "a") as f:
                t0 = time.perf_counter()
                if a.save == "log":
                    f.write(f"\n- 2026-11-{1 + i % 22:02d} call — latency probe {i}\n")
                else:
                    f.write(f"\n- [ ] latency probe {i} 📅 2026-11-{1 + i % 22:02d}\n")
            while os.stat(dash).st_mtime_ns == before:
                if time.perf_counter() - t0 > 30:
                    sys.exit(f"save {i}: dashboard never changed")
                time.sleep(0.0005)
            latencies.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.15)
    finally:
        proc.terminate()
        proc.wait()
    cycles = [float(m) for m in re.findall(r"1 changed \(.*\) · wrote .* · ([0-9.]+) ms", open(log_path).read())]
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    print(f"saves: {len(latencies)} ({a.save}), debounce {a.debounce} ms")
    print(f"save-to-written latency: median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")
    if cycles:
        cycles.sort()
        print(f"watch cycle (re-read, rebuild, render, write): median {statistics.median(cycles):.1f} ms, "
              f"p95 {cycles[max(0, int(round(0.95 * len(cycles))) - 1)]:.1f} ms")
    print(f"full report on the same vault: median {statistics.median(reports) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{r * 1000:.0f}' for r in reports)})")

if __name__ == "__main__":
    main()
