#!/bin/bash
# Times neurotype-bench binaries one after the other on core 0, alternating, and prints the
# best (min) and median simulation time of each: on this project's noisy VM the best of 8-12
# runs resolves differences of a few per cent that pairs run at the same time do not.
#
#   tools/best_of.sh NET N DURATION_S RUNS BIN...    e.g. tools/best_of.sh cuba 64000 0.5 8 /tmp/old /tmp/new
net=$1; n=$2; dur=$3; runs=$4; shift 4
out=$(mktemp -d)
for r in $(seq "$runs"); do
  for b in "$@"; do
    taskset -c 0 "$b" "$net" "$n" "$dur" 1 2007 1 | grep -o '"sim_s": [0-9.]*' | awk '{print $2}' >> "$out/$(basename "$b")"
  done
done
for b in "$@"; do
  sort -n "$out/$(basename "$b")" | awk -v b="$(basename "$b")" -v net="$net" -v n="$n" \
    '{a[NR]=$1} END {printf "%s %s N=%s min %.4f median %.4f (%d runs)\n", b, net, n, a[1], a[int((NR+1)/2)], NR}'
done
rm -r "$out"
