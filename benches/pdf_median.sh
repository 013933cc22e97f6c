#!/usr/bin/env bash
# PDF typesetting speed with a release binary (README, "PDFs", Speed). A benchmark, not a test.
#
#   benches/pdf_median.sh [BRIEF] [BRIEFS_FOR_THE_MEDIAN] [BRIEFS_IN_THE_SITE]
#
# BRIEF defaults to target/release/brief (build it with `cargo build --release`);
# BRIEFS_FOR_THE_MEDIAN to 60, BRIEFS_IN_THE_SITE to 1000. The corpus is the shared bench's
# (gen_corpus.py, to_brief.py; BENCH=../shared/bench by default), so the figures compare with
# the other benchmarks'. Everything runs under `nice`: on a shared machine, wall-clock times
# are partly the other processes'; the CPU times are not.
#
# 1. The median typesetting time of one brief: the first N briefs of the corpus, each built
#    alone as a site of one brief (`brief build --no-cache`, an empty PDF cache), reading the
#    build's own "N ms of CPU a brief" (CPU time of typesetting on all threads).
# 2. The whole site: `--no-pdf`, then with PDFs cold (empty cache) and warm (nothing changed;
#    with --no-cache, so only the PDF cache saves work, then as a plain `brief build` twice),
#    each under /usr/bin/time -v: CPU (user + sys), wall clock, peak memory.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
brief=$(realpath "${1:-$here/target/release/brief}")
n_median=${2:-60}
n_site=${3:-1000}
bench=$(realpath "${BENCH:-$here/../shared/bench}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "brief: $brief ($("$brief" --version 2>/dev/null || echo unknown version))"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$bench/gen_corpus.py" --n "$n_site" --out "$work/corpus" >/dev/null
python3 "$bench/to_brief.py" "$work/corpus" "$work/site" >/dev/null
# gen_corpus.py may pick one sentence twice as a pull quote; brief refuses a repeated entry.
python3 - "$work/site/content/briefs" <<'PY'
import json, os, sys, tomllib
folder = sys.argv[1]
for name in os.listdir(folder):
    path = os.path.join(folder, name)
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("pull_quotes = "):
            quotes = list(dict.fromkeys(tomllib.loads(line)["pull_quotes"]))
            lines[i] = "pull_quotes = " + json.dumps(quotes, ensure_ascii=False)
            break
    open(path, "w", encoding="utf-8", newline="\n").write("\n".join(lines))
PY

# 1. One brief per site.
all=("$work"/site/content/briefs/*.md)
: >"$work/ms"
for path in "${all[@]:0:$n_median}"; do
  name=$(basename "$path")
  one="$work/one"
  rm -rf "$one"
  mkdir -p "$one/content/briefs"
  cp "$work/site/config.toml" "$one/"
  cp -r "$work/site/content/authors" "$one/content/"
  cp "$work/site/content/briefs/$name" "$one/content/briefs/"
  if ! out=$(nice "$brief" --root "$one" build --no-cache --output "$one/public" 2>&1); then
    printf 'the build of %s failed:\n%s\n' "$name" "$out" >&2
    exit 1
  fi
  ms=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9][0-9]*\) ms of CPU a brief.*/\1/p')
  if [ -z "$ms" ]; then
    printf 'no "ms of CPU a brief" in the output of %s:\n%s\n' "$name" "$out" >&2
    exit 1
  fi
  echo "$ms" >>"$work/ms"
done
sort -n "$work/ms" | awk '{ a[NR] = $1 } END {
  median = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
  printf "typesetting, one brief per site: median %s ms of CPU over %d briefs (min %s, p10 %s, p90 %s, max %s)\n",
    median, NR, a[1], a[int(NR * 0.1) + 1], a[int(NR * 0.9)], a[NR]
}'
echo "load average after the median: $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. The whole site.
measure() {
  local what=$1
  shift
  local log="$work/time.log"
  local out
  if ! out=$(nice /usr/bin/time -v -o "$log" "$brief" --root "$work/site" build --output "$work/site/public" "$@" 2>&1); then
    printf 'the build (%s) failed:\n%s\n' "$what" "$out" >&2
    exit 1
  fi
  local pdfs
  pdfs=$(printf '%s\n' "$out" | grep -m1 '^PDFs:' || echo "PDFs: none")
  awk -v what="$what" -v pdfs="$pdfs" -F': ' '
    /User time/ { user = $2 }
    /System time/ { sys = $2 }
    /Elapsed \(wall clock\)/ { wall = $2 }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%s: CPU %.1f s, wall %s, peak %d MB; %s\n", what, user + sys, wall, rss / 1024, pdfs }
  ' "$log"
}
rm -rf "$work/site/.brief-cache" "$work/site/public"
measure "$n_site briefs, --no-pdf" --no-pdf --no-cache
rm -rf "$work/site/.brief-cache" "$work/site/public"
measure "$n_site briefs, PDFs cold" --no-cache
measure "$n_site briefs, PDFs warm (nothing changed), --no-cache" --no-cache
# The default build: the first writes the build cache, the second finds nothing to do.
measure "$n_site briefs, PDFs warm, build cache written"
measure "$n_site briefs, PDFs warm, build cache warm"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
