#!/usr/bin/env bash
# Regenerates every figure of the book from the example that draws it, then copies them into
# book/src/images. One command: `bash tools/figures.sh` (a few minutes in release mode).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --release --examples
# no image left from an earlier run can stand in for one an example no longer draws
mkdir -p output && rm -f output/*.png
run() {
  echo "== $*"
  "target/release/examples/$1" "${@:2}" | tail -n 3
}
run getting_started
run first_neurons
run neurons
run network_tour
run ampa_hh
run stp
run synapse_comparison
run stdp_song2000
run coba
run cuba
run coba_hh
run decision_making
run decision_making sweep 10

for image in book/src/images/*.png; do
  name=$(basename "$image")
  if [ ! -f "output/$name" ]; then
    echo "no example writes $name" >&2
    exit 1
  fi
  cp "output/$name" "$image"
done
echo "copied $(ls book/src/images/*.png | wc -l) figures into book/src/images"
