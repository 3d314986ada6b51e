#!/usr/bin/env bash
# MPI check: the benchmark networks on 1, 2 and 4 MPI ranks give the spike trains of one
# process (the same spike fingerprint), and every rank agrees. Needs the system's MPI
# (Debian: apt-get install openmpi-bin libopenmpi-dev libclang-dev). Run from the repository
# root: bash tools/mpi_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p neurotype-benches --features mpi --bin neurotype-mpi --bin neurotype-bench
bin=target/debug
# as root (CI), Open MPI needs to be told that this is intended; 4 ranks on 2 cores oversubscribe
launch=(mpirun --oversubscribe --timeout 600)
if [ "$(id -u)" = 0 ]; then launch+=(--allow-run-as-root); fi
hash_of() { grep -o '"spike_hash": "[0-9a-f]*"' | head -n 1; }
status=0
for net in coba cuba coba_hh; do
  n=1000; dur=0.2
  [ "$net" = coba_hh ] && dur=0.1
  one=$("$bin/neurotype-bench" "$net" "$n" "$dur" 1 2007 | hash_of)
  for ranks in 1 2 4; do
    threads=1; [ "$ranks" = 2 ] && threads=2
    out=$("${launch[@]}" -n "$ranks" "$bin/neurotype-mpi" "$net" "$n" "$dur" 2007 "$threads")
    got=$(echo "$out" | hash_of)
    agree=$(echo "$out" | grep -o '"ranks_agree": [a-z]*')
    if [ "$got" = "$one" ] && [ "$agree" = '"ranks_agree": true' ]; then
      echo "ok   $net N=$n on $ranks rank(s) x $threads thread(s): $got"
    else
      echo "FAIL $net N=$n on $ranks rank(s): $got ($agree), one process: $one"
      status=1
    fi
  done
done
exit $status
