#!/usr/bin/env bash
# Benchmark rapport on a generated vault against the cost of just reading it.
#
#   scripts/bench.sh [--clients N] [--interactions N] [--runs N] [--shape S]
#                    # defaults 5000 50000 5 both
#   scripts/bench.sh --scale [--runs N]                            # 10k, 50k, 100k notes
#
# The vault comes from `examples/gen_vault.rs` (deterministic, seed 42) in a temporary
# folder that is removed on exit, in two shapes (--shape short, long or both): short
# notes (0.7 KB on average) and long ones (1.7 KB: longer logs, prose, more links).
# The floor is `rg -c '\[\['` over the vault (every byte read, in parallel) and `cat`
# of every note; rapport's `check` and `report` are compared with it. Wall times come
# from hyperfine (mean and standard deviation over --runs runs after one warm-up); CPU
# time and peak RSS from one more run under GNU time. `check` and `report` run with the
# parse cache warm, as a user's second run does; `report, cold cache` deletes the cache
# first (it parses every note and writes the cache); `report --no-cache` parses every
# note and leaves the cache alone. The cache goes to a temporary XDG_CACHE_HOME. The
# last line is the bound of any parse cache: `examples/parse_free.rs` times a report
# whose notes are handed over already parsed.
# A command that is missing or exits with an unexpected code is shown as n/a.
# Missing tools (hyperfine, ripgrep, GNU time) are installed with apt-get.
# RAPPORT_BIN=path benchmarks that binary instead of target/release/rapport.
set -euo pipefail

CLIENTS=5000
INTERACTIONS=50000
RUNS=5
SCALE=0
SHAPES=(short long)
TODAY=2026-11-23

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
}

need_value() {
    [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "bench.sh: $1 needs a number" >&2; exit 2; }
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --clients) need_value "$@"; CLIENTS=$2; shift 2 ;;
        --interactions) need_value "$@"; INTERACTIONS=$2; shift 2 ;;
        --runs) need_value "$@"; RUNS=$2; shift 2 ;;
        --scale) SCALE=1; shift ;;
        --shape)
            case ${2:-} in
                short|long) SHAPES=("$2") ;;
                both) SHAPES=(short long) ;;
                *) echo "bench.sh: --shape needs short, long or both" >&2; exit 2 ;;
            esac
            shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $RUNS -lt 1 || $CLIENTS -lt 1 ]]; then
    echo "bench.sh: --runs and --clients must be at least 1" >&2
    exit 2
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { echo "bench.sh: need root or sudo to install ${missing[*]}" >&2; exit 2; }
        SUDO=(sudo)
    fi
    "${SUDO[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- build -------------------------------------------------------------------------------
# RAPPORT_BIN=path benchmarks another build of rapport (used even if cargo build fails).
BIN=${RAPPORT_BIN:-$ROOT/target/release/rapport}
GEN=$ROOT/target/release/examples/gen_vault
RAPPORT_OK=1
log "cargo build --release"
BOUND_BIN=$ROOT/target/release/examples/parse_free
if ! cargo build --release --bins --example gen_vault --example parse_free; then
    BOUND_BIN=
    # The generator uses only std, so it still builds on its own when the library does not.
    echo "bench.sh: WARNING: cargo build failed; rapport rows will be n/a" >&2
    [[ -n ${RAPPORT_BIN:-} ]] || RAPPORT_OK=0
    mkdir -p "$ROOT/target/release"
    GEN=$ROOT/target/release/gen_vault-standalone
    rustc --edition 2024 -O -o "$GEN" examples/gen_vault.rs
fi
[[ $RAPPORT_OK -eq 1 && -x $BIN ]] || RAPPORT_OK=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# rapport's parse cache lives here during the benchmark, never in the user's cache folder.
CACHE_HOME=$TMP/cache
export XDG_CACHE_HOME=$CACHE_HOME

# --- helpers -----------------------------------------------------------------------------
# Commands of one benchmark: parallel arrays of name, shell command, accepted exit codes.
NAMES=() CMDS=() OKS=()
add_cmd() { NAMES+=("$1"); CMDS+=("$2"); OKS+=("$3"); }

set_commands() { # vault, with_cat
    local v=$1 with_cat=$2 q
    q=$(printf '%q' "$v")
    NAMES=() CMDS=() OKS=()
    add_cmd "rg floor" "rg -c '\\[\\[' $q" "0"
    [[ $with_cat -eq 1 ]] && add_cmd "cat all notes" "find $q -name '*.md' -print0 | xargs -0 cat > /dev/null" "0"
    local bin cache
    bin=$(printf '%q' "$BIN")
    cache=$(printf '%q' "$CACHE_HOME")
    if [[ $RAPPORT_OK -eq 1 ]]; then
        # check and report as a user runs them: the parse cache is warm (generate ran
        # report once). Cold: the cache deleted first, so the run parses every note and
        # writes the cache; --no-cache parses every note and writes no cache.
        add_cmd "rapport check" "$bin --vault $q check --today $TODAY --fail-on error" "0 1"
        add_cmd "rapport report" "$bin --vault $q report --today $TODAY --force" "0"
        add_cmd "report, cold cache" "rm -rf $cache/rapport && $bin --vault $q report --today $TODAY --force" "0"
        add_cmd "report --no-cache" "$bin --vault $q --no-cache report --today $TODAY --force" "0"
    else
        add_cmd "rapport check" "" ""
        add_cmd "rapport report" "" ""
        add_cmd "report, cold cache" "" ""
        add_cmd "report --no-cache" "" ""
    fi
    return 0
}

generate() { # clients, interactions, dir[, shape]
    log "generating vault: --clients $1 --interactions $2 --shape ${4:-short}"
    "$GEN" --clients "$1" --interactions "$2" --shape "${4:-short}" "$3"
    # Size of the vault as generated, before rapport adds its output folder.
    VAULT_NOTES=$(find "$3" -name '*.md' -not -path '*/.*' | wc -l)
    VAULT_BYTES=$(du -sb "$3" | cut -f1)
    if [[ $RAPPORT_OK -eq 1 ]]; then
        # Write CRM/ once, so that every timed run (and check's staleness test) sees the
        # same steady-state vault; hyperfine's warm-up would do this for report anyway.
        "$BIN" --vault "$3" report --today "$TODAY" --force >/dev/null 2>&1 || true
    fi
}

# hyperfine over the commands that exist; writes $1 (JSON).
run_hyperfine() {
    local json=$1 args=() i
    for i in "${!NAMES[@]}"; do
        [[ -n ${CMDS[$i]} ]] && args+=(-n "${NAMES[$i]}" "${CMDS[$i]}")
    done
    hyperfine --warmup 1 --runs "$RUNS" -i --export-json "$json" "${args[@]}" >&2
}

# One run of each command under GNU time; writes "name<TAB>ok codes<TAB>rc<TAB>time line".
run_time() {
    local out=$1 i rc tf
    : >"$out"
    for i in "${!NAMES[@]}"; do
        tf=$TMP/time.$i
        if [[ -z ${CMDS[$i]} ]]; then
            printf '%s\t%s\t%s\t%s\n' "${NAMES[$i]}" "" "" "" >>"$out"
            continue
        fi
        rc=0
        /usr/bin/time -o "$tf" -f '%e %U %S %M' bash -c "${CMDS[$i]}" >/dev/null 2>"$TMP/stderr.$i" || rc=$?
        printf '%s\t%s\t%s\t%s\n' "${NAMES[$i]}" "${OKS[$i]}" "$rc" "$(tail -n 1 "$tf")" >>"$out"
        if [[ " ${OKS[$i]} " != *" $rc "* ]]; then
            echo "bench.sh: ${NAMES[$i]} exited with $rc; first lines of its stderr:" >&2
            head -n 5 "$TMP/stderr.$i" | sed 's/^/    /' >&2
        fi
    done
}

# --- single benchmark --------------------------------------------------------------------
single() { # shape
    local v=$TMP/vault-$1 notes bytes
    generate "$CLIENTS" "$INTERACTIONS" "$v" "$1"
    notes=$VAULT_NOTES
    bytes=$VAULT_BYTES
    set_commands "$v" 1
    log "hyperfine: $RUNS runs each"
    run_hyperfine "$TMP/hyperfine.json"
    log "one run each under /usr/bin/time"
    run_time "$TMP/time.tsv"
    local bound=""
    if [[ -n $BOUND_BIN && -x $BOUND_BIN ]]; then
        log "parse-free bound (examples/parse_free.rs): $RUNS rounds"
        # Shown on stderr as it is: not through `tee /dev/stderr`, which reopens stderr and,
        # when it is a file, truncates what the benchmark printed before.
        local rounds_out bound_ok=1
        rounds_out=$("$BOUND_BIN" "$v" --rounds "$RUNS") || bound_ok=0
        if [[ -n $rounds_out ]]; then printf '%s\n' "$rounds_out" >&2; fi
        if [[ $bound_ok -eq 1 ]]; then bound=$(sed -n 's/^median \([0-9.]*\) s.*/\1/p' <<<"$rounds_out"); fi
    fi

    python3 - "$TMP/hyperfine.json" "$TMP/time.tsv" "$notes" "$bytes" "$RUNS" "$bound" "$1" <<'PY'
import json, sys

hf_path, time_path, notes, vault_bytes, runs, bound, shape = sys.argv[1:]
notes, vault_bytes = int(notes), int(vault_bytes)
hf = {r["command"]: r for r in json.load(open(hf_path))["results"]}

rows = []
for line in open(time_path, encoding="utf-8"):
    name, oks, rc, t = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
    ok_codes = {int(c) for c in oks.split()}
    r = hf.get(name)
    ok = bool(r) and rc != "" and int(rc) in ok_codes
    if ok:
        codes = r.get("exit_codes") or []
        ok = all(c in ok_codes for c in codes if c is not None)
    if ok:
        wall, user, sys_, rss = t.split()
        rows.append((name, r["mean"], r.get("stddev"), float(user) + float(sys_), int(rss) / 1024))
    else:
        rows.append((name, None, None, None, None))

floor = next((m for n, m, *_ in rows if n == "rg floor" and m), None)
na = "n/a"
f = lambda x, fmt: na if x is None else format(x, fmt)
print()
print(f"Vault ({shape} notes): {notes} notes, {vault_bytes} bytes ({vault_bytes / 2**20:.1f} MiB, du -sb); "
      f"{runs} runs after 1 warm-up; today 2026-11-23")
print()
print("| command | wall mean (s) | ± | CPU (s) | peak RSS (MiB) | ratio to rg floor |")
print("|---|---:|---:|---:|---:|---:|")
for name, mean, sd, cpu, rss in rows:
    ratio = mean / floor if mean is not None and floor else None
    print(f"| {name} | {f(mean, '.3f')} | {f(sd, '.3f')} | {f(cpu, '.2f')} | {f(rss, '.1f')} | "
          f"{na if ratio is None else format(ratio, '.1f') + '×'} |")
print()
for name, mean, sd, cpu, rss in rows:
    if name.startswith(("rapport", "report")):
        if rss is None:
            print(f"- {name}: peak RSS / vault bytes: n/a")
        else:
            print(f"- {name}: peak RSS / vault bytes: {rss * 2**20 / vault_bytes:.2f} "
                  f"({rss:.1f} MiB for {vault_bytes / 2**20:.1f} MiB)")
if bound and floor:
    print(f"- report with reading and parsing free (the bound of any parse cache; "
          f"examples/parse_free.rs, median of {runs} rounds): {float(bound):.3f} s, "
          f"{float(bound) / floor:.1f}× the floor")
PY
    rm -rf "$v"
}

# --- scaling -----------------------------------------------------------------------------
scale() {
    local sizes=("1000 10000" "5000 50000" "10000 100000") s c n v k=0 notes bytes
    : >"$TMP/scale.tsv"
    for s in "${sizes[@]}"; do
        read -r c n <<<"$s"
        v=$TMP/vault-$c
        generate "$c" "$n" "$v"
        notes=$VAULT_NOTES
        bytes=$VAULT_BYTES
        set_commands "$v" 0
        log "hyperfine: $notes notes, $RUNS runs each"
        run_hyperfine "$TMP/scale.$k.json"
        run_time "$TMP/scale.$k.time"
        printf '%s\t%s\t%s\t%s\t%s\n' "$c/$n" "$notes" "$bytes" "$TMP/scale.$k.json" "$TMP/scale.$k.time" >>"$TMP/scale.tsv"
        rm -rf "$v"
        k=$((k + 1))
    done

    python3 - "$TMP/scale.tsv" "$RUNS" <<'PY'
import json, sys

names = ["rg floor", "rapport check", "rapport report"]
print()
print(f"Scaling: wall mean over {sys.argv[2]} runs (s), and ms per 1,000 notes")
print()
print("| clients/interactions | notes | MiB | " + " | ".join(f"{n} (s)" for n in names) + " | "
      + " | ".join(f"{n} ms/1k notes" for n in names) + " | peak RSS check / report (MiB) |")
print("|---|---:|---:|" + "---:|" * (2 * len(names) + 1))
for line in open(sys.argv[1], encoding="utf-8"):
    label, notes, vbytes, hf_path, time_path = line.rstrip("\n").split("\t")
    notes, vbytes = int(notes), int(vbytes)
    hf = {r["command"]: r for r in json.load(open(hf_path))["results"]}
    timed = {}
    for t in open(time_path, encoding="utf-8"):
        name, oks, rc, tl = (t.rstrip("\n").split("\t") + [""] * 4)[:4]
        okc = {int(c) for c in oks.split()}
        r = hf.get(name)
        good = bool(r) and rc != "" and int(rc) in okc and all(
            c in okc for c in (r.get("exit_codes") or []) if c is not None)
        timed[name] = (r["mean"], int(tl.split()[3]) / 1024) if good else (None, None)
    means = [timed.get(n, (None, None))[0] for n in names]
    rss = [timed.get(n, (None, None))[1] for n in ["rapport check", "rapport report"]]
    cell = lambda x, fmt: "n/a" if x is None else format(x, fmt)
    print(f"| {label} | {notes} | {vbytes / 2**20:.1f} | "
          + " | ".join(cell(m, ".3f") for m in means) + " | "
          + " | ".join(cell(None if m is None else m * 1000 / (notes / 1000), ".2f") for m in means)
          + " | " + " / ".join(cell(r, ".1f") for r in rss) + " |")
PY
}

if [[ $SCALE -eq 1 ]]; then
    scale
else
    for shape in "${SHAPES[@]}"; do
        single "$shape"
    done
fi
