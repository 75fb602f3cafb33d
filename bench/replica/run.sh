#!/usr/bin/env bash
# Measures distaudit on the replica of the first user's coordination surface
# (tests/fixtures/replica): workarounds, seeded bugs caught by the generated tests, report
# length, and the secrets check. Mutation testing is separate (see README.md).
#
#   bench/replica/run.sh [runs]              # default 3 runs per bug
#   bench/replica/run.sh --steps-only [runs] # the same bugs, every stated check made vacuous
#
# --steps-only measures what the attacking steps catch alone: it copies the fixture to
# tests/fixtures/replica-steps-only (removed on exit), rewrites every `holds = "X"` (method,
# impl and type checks alike) to `holds = "true || (X)"` so no stated check can fail while the
# rules that read the checks' text are still satisfied, and runs the seeded bugs against it.
#
# Needs CARGO_TARGET_DIR (defaults to /work/target-replica). One cargo at a time.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
CRATE=$ROOT/tests/fixtures/replica
STEPS_ONLY=
if [ "${1:-}" = "--steps-only" ]; then STEPS_ONLY=1; shift; fi
RUNS=${1:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-replica}
OUT=${OUT:-$ROOT/bench/replica/out}
if [ -n "$STEPS_ONLY" ]; then
  SCRATCH=$ROOT/tests/fixtures/replica-steps-only
  rm -rf "$SCRATCH"
  mkdir -p "$SCRATCH"
  cp -r "$CRATE/Cargo.toml" "$CRATE/distaudit.toml" "$CRATE/src" "$SCRATCH/"
  trap 'rm -rf "$SCRATCH"' EXIT
  sed -i 's/^name = "replica"$/name = "replica-steps-only"/' "$SCRATCH/Cargo.toml"
  find "$SCRATCH/src" -name '*.rs' -exec sed -i -E 's/([^a-z_])holds = "([^"]*)"/\1holds = "true || (\2)"/g' {} +
  echo "## steps only: $(grep -rho 'holds = "true || (' "$SCRATCH/src" | wc -l) stated checks made vacuous"
  CRATE=$SCRATCH
  OUT=$OUT/steps-only
fi
mkdir -p "$OUT"
BUGS="bug-lapsed-renew bug-cursor-regress bug-cursor-outside bug-stale-fence bug-split-overlap bug-complete-none bug-fence-reissue bug-unpark-lost"

if [ -z "$STEPS_ONLY" ]; then
echo "## workarounds"
grep -rhoE "WORKAROUND\([0-9]+\)" "$CRATE/src" | sort -u | wc -l | sed 's/^/distinct: /'
grep -rhoE "WORKAROUND\([0-9]+\)" "$CRATE/src" | sort | uniq -c
fi

run_once() { # feature-or-empty, run index -> writes $OUT/<name>.<i>.txt
  local feat=$1 i=$2 name=${1:-clean}
  rm -rf "$CRATE/proptest-regressions"
  ( cd "$CRATE" && cargo test -q ${feat:+--features "$feat"} -- --show-output ) \
      > "$OUT/$name.$i.txt" 2>&1
  cp -r "$CRATE/proptest-regressions" "$OUT/$name.$i.regressions" 2>/dev/null || true
}

summarise() { # file -> "caught|missed  <len>  <machine>  <what caught it>"
  local f=$1
  local line
  line=$(grep -m1 -E "distaudit: state_machine: [0-9]+ calls? breaks? a check" "$f")
  if [ -z "$line" ]; then
    if grep -q "error: could not compile" "$f"; then echo "BUILD FAILED"; return; fi
    if grep -q "test result: FAILED" "$f"; then echo "failed(other)"; else echo "missed"; fi
    return
  fi
  local n
  n=$(echo "$line" | sed -E 's/.*state_machine: ([0-9]+) calls?.*/\1/')
  local machine
  machine=$(grep -m1 -B1 -E "distaudit: state_machine: [0-9]+ calls? breaks?" "$f" | grep -oE "distaudit_in_memory_coordinator_[a-z_]+_[0-9a-f]{8}" | sed -E 's/distaudit_in_memory_coordinator_//; s/_[0-9a-f]{8}$//')
  local why
  why=$(grep -m1 -oE "<- distaudit: .{0,160}" "$f" | sed -E 's/^<- distaudit: //; s/ violated (in|after) ([A-Za-z_:]+)( \(([^)]*)\))?.*/ @\2 (\4)/' | cut -c1-150)
  echo "caught $n ${machine:-?} | ${why}"
}

echo
echo "## seeded bugs ($RUNS runs each, default case count)"
printf '%-20s %s\n' feature "run: caught <shrunk calls> <machine> <decision> | <check or step>"
for feat in "" $BUGS; do
  for i in $(seq 1 "$RUNS"); do
    run_once "$feat" "$i"
    printf '%-20s %s: %s\n' "${feat:-clean}" "$i" "$(summarise "$OUT/${feat:-clean}.$i.txt")"
  done
done

echo
echo "## secrets: key bytes (SECRET- as text, decimal bytes or hex) in test output and proptest-regressions"
for f in "$OUT"/*.txt; do
  c=$(grep -cE "SECRET-|83, 69, 67, 82, 69, 84|53 45 43 52 45 54|534543524554" "$f")
  [ "$c" != 0 ] && echo "LEAK $c lines: $f"
done
grep -rlE "SECRET-|83, 69, 67, 82, 69, 84|534543524554" "$OUT"/*.regressions 2>/dev/null | sed 's/^/LEAK regressions: /'
echo "(no LEAK line above: no key bytes printed or persisted)"

[ -n "$STEPS_ONLY" ] && exit 0
echo
echo "## report length"
( cd "$ROOT" && cargo run -q -p cargo-distaudit -- distaudit --manifest-path tests/fixtures/replica/Cargo.toml --format markdown ) > "$OUT/report.md" 2> "$OUT/report.err"
echo "exit $? ; lines/words: $(wc -l -w < "$OUT/report.md")"
( cd "$ROOT" && cargo run -q -p cargo-distaudit -- distaudit --manifest-path tests/fixtures/replica/Cargo.toml ) > "$OUT/audit.txt" 2>&1
echo "findings (text format):"
grep -oE "\[distaudit DA[0-9]+ [A-Z]+\]|DA[0-9]{4} (BLOCK|WARN|INFO)" "$OUT/audit.txt" | sort | uniq -c
