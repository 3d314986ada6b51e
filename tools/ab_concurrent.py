#!/usr/bin/env python3
"""Times two neurotype-bench binaries against each other, running them *at the same time* on
the two cores (swapping cores every pair), so that both see the same machine load; on a
noisy shared machine this is steadier than timing them one after the other.

Usage: python3 tools/ab_concurrent.py OLD_BIN NEW_BIN [nets=coba,cuba,coba_hh] [N=4000]
       [duration_s=1] [pairs=6]
Build OLD_BIN from an earlier commit, e.g.
  git worktree add /tmp/old <rev> && cargo build --release -p neurotype-benches \
      --bin neurotype-bench --manifest-path /tmp/old/Cargo.toml --target-dir /tmp/old-target
Prints per network the median times, the median of the per-pair ratios new/old (< 1: new is
faster) and whether the spike fingerprints agree.

With AB_SEQUENTIAL=1 in the environment the two of a pair run one after the other instead
(alternating which goes first), both on core 0. Use it as a second opinion when the networks
live in the cache: two processes running at once share more of the machine than their cores
(folding the pending arrivals into g measured 0.996 at once for COBA at N = 4000, and 0.86
as the ratio of medians of 10 runs of each alone, 0.98 as the ratio of the best runs; the
project's VM varies by ±20 % from run to run either way).
"""
import os
import json
import statistics
import subprocess
import sys

old, new = sys.argv[1], sys.argv[2]
nets = (sys.argv[3] if len(sys.argv) > 3 else "coba,cuba,coba_hh").split(",")
n = sys.argv[4] if len(sys.argv) > 4 else "4000"
dur = sys.argv[5] if len(sys.argv) > 5 else "1"
pairs = int(sys.argv[6]) if len(sys.argv) > 6 else 6


def start(exe, net, seed, cpu):
    cmd = ["taskset", "-c", str(cpu), exe, net, n, dur, "1", str(seed)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)


def result(p):
    out = p.communicate()[0]
    r = [json.loads(l[7:]) for l in out.splitlines() if l.startswith("RESULT ")][0]
    return r["sim_s"], r["spike_hash"]


for net in nets:
    ratios, t_old, t_new, same = [], [], [], True
    for k in range(pairs):
        seed = 2007 + k % 2
        if os.environ.get("AB_SEQUENTIAL") == "1":
            if k % 2 == 0:
                ta, ha = result(start(old, net, seed, 0))
                tb, hb = result(start(new, net, seed, 0))
            else:
                tb, hb = result(start(new, net, seed, 0))
                ta, ha = result(start(old, net, seed, 0))
        else:
            a = start(old, net, seed, k % 2)
            b = start(new, net, seed, 1 - k % 2)
            (ta, ha), (tb, hb) = result(a), result(b)
        t_old.append(ta)
        t_new.append(tb)
        ratios.append(tb / ta)
        same &= ha == hb
    print(
        f"{net:8} N={n} old {statistics.median(t_old):.4f} s  new {statistics.median(t_new):.4f} s  "
        f"new/old median {statistics.median(ratios):.3f} (min {min(ratios):.3f} max {max(ratios):.3f})  "
        f"identical spikes: {same}"
    )
