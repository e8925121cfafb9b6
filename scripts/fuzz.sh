#!/usr/bin/env bash
# Runs every cargo-fuzz target of rapport for a bounded time; exits non-zero on a crash,
# a panic, a timeout (one input over 10 s) or an out-of-memory input.
#
#   scripts/fuzz.sh [SECONDS]     # per target; default 10 (what CI runs)
#
# cargo-fuzz needs nightly compiler features; RUSTC_BOOTSTRAP=1 enables them on the stable
# toolchain. New inputs go to a scratch folder, so the committed seed corpus
# (fuzz/corpus/<target>) is read but never grows. Crashing inputs are saved to
# fuzz/artifacts/<target>/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail

seconds="${1:-10}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: $0 [SECONDS]   (a positive whole number; default 10)" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
# Keep builds light on shared machines unless the caller says otherwise.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/rapport-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

failed=()
for target in $(cargo fuzz list); do
    mkdir -p "$scratch/$target" "artifacts/$target"
    extra=()
    if [ -f "$target.dict" ]; then
        extra+=("-dict=$target.dict")
    fi
    echo "fuzz.sh: $target for ${seconds}s" >&2
    if ! cargo fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 "${extra[@]}"; then
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: FAILED: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: all targets ran ${seconds}s without a crash" >&2
