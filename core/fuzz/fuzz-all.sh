#!/usr/bin/env bash
# Build every fuzz target and run each for a short time; fail on any crash.
#
#   core/fuzz/fuzz-all.sh [SECONDS_PER_TARGET] [PARALLEL_JOBS] [TARGET...]
#
# `make fuzz` calls this with a few seconds per target (CI). For a longer
# local run, e.g. ten minutes per target on all cores:
#
#   make fuzz FUZZ_SECONDS=600 FUZZ_JOBS=$(nproc)
#   core/fuzz/fuzz-all.sh 600 4 push_parse inbox_receive   # only some targets
#
# or run one target open-ended with cargo-fuzz itself (stop it with Ctrl-C):
#
#   cd core/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run push_parse corpus/push_parse
#
# The seed corpus comes from tests/vectors (tests/tools/fuzz_corpus.py, run by
# `make fuzz`); inputs a run finds are added to core/fuzz/corpus/<target>/
# (git-ignored). A crash leaves its input in core/fuzz/artifacts/<target>/
# (git-ignored); replay it with
#
#   cd core/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run <target> artifacts/<target>/crash-…
#
# The only toolchain here is stable Rust: RUSTC_BOOTSTRAP=1 lets it take the
# nightly-only flags cargo-fuzz passes (-Zsanitizer=address, sancov, ...).
#
# Sanitizer: FUZZ_SANITIZER=none (the default) or address. privnum's own code
# is `#![forbid(unsafe_code)]`, so what fuzzing finds in it are panics, failed
# assertions and overflows (debug assertions and overflow checks are on in
# both builds); AddressSanitizer only adds checks on the unsafe code of
# dependencies, at a cost measured here (2 cores) of 2.3x the build time
# (132 s vs 58 s) and a quarter of the executions per second. The short CI
# run therefore builds without it; long local runs can turn it on:
#
#   FUZZ_SANITIZER=address make fuzz FUZZ_SECONDS=600
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:-10}
jobs=${2:-2}
shift $(($# < 2 ? $# : 2))
export RUSTC_BOOTSTRAP=1
sanitizer=${FUZZ_SANITIZER:-none}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

start=$(date +%s)
cargo fuzz build --sanitizer "$sanitizer"
built=$(date +%s)
echo "fuzz: built ${#targets[@]} targets (sanitizer: $sanitizer) in $((built - start)) s;" \
  "running each for ${secs} s, ${jobs} at a time"

bin_dir=target/x86_64-unknown-linux-gnu/release
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
touch "$logs/start"

run_one() {
  local t=$1 secs=$2 logs=$3
  mkdir -p "corpus/$t" "artifacts/$t"
  # -timeout: one input taking 10 s is a bug too. -rss_limit_mb: likewise 2 GB.
  if "$bin_dir/$t" "corpus/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$logs/$t.log" 2>&1; then
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log")
    echo "fuzz: $t ok (${runs:-?} runs)"
  else
    echo "fuzz: $t FAILED"
    touch "$logs/$t.failed"
  fi
}
export -f run_one
export bin_dir

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$secs" "$logs"

failed=0
for t in "${targets[@]}"; do
  [ -e "$logs/$t.failed" ] || continue
  failed=1
  echo "---- $t: output (last 60 lines) ----"
  tail -n 60 "$logs/$t.log"
  find "artifacts/$t" -type f -newer "$logs/start" | while read -r a; do
    echo "---- $t: reproducer core/fuzz/$a (hex) ----"
    od -An -tx1 -v "$a" | tr -d ' \n' | fold -w 128
    echo
  done
done
end=$(date +%s)
echo "fuzz: ${#targets[@]} targets, $((end - start)) s in all"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target crashed: see above (inputs are kept in core/fuzz/artifacts/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
