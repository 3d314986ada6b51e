#!/usr/bin/env python3
"""neurotype against Brian2's cpp_standalone mode, run beside it on this machine.

For each network (COBA, CUBA, COBA-HH; N = 4000, 1 s, one thread; p = 80/N, i.e. 0.02 at
N = 4000, as neurotype's benchmark networks use) this runs the peer script
of ../shared/bench/peers (Brian2 standalone; it reports the simulation-loop time of its own
binary) and `neurotype-bench`, alternating repetitions so that drift on a shared machine falls
on both, and prints the medians and the ratio Brian2/neurotype (> 1: neurotype is faster).

Usage: python3 benches/compare_brian2.py [--reps 3] [--nets coba,cuba,cobahh]
       [--python /tmp/peer-brian2/bin/python] [--peers ../shared/bench/peers]
Needs a Brian2 2.11 venv (see ../shared/bench/peers/run_all.sh) and a C++ compiler.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def results(out):
    return [json.loads(line[len("RESULT "):]) for line in out.splitlines() if line.startswith("RESULT ")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--nets", default="coba,cuba,cobahh")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--python", default="/tmp/peer-brian2/bin/python")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench", "peers"))
    ap.add_argument("--workdir", default="/tmp/b2work")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "neurotype-benches", "--bin", "neurotype-bench"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "neurotype-bench")
    rows = []
    for net in args.nets.split(","):
        ours_name = {"coba": "coba", "cuba": "cuba", "cobahh": "coba_hh"}[net]
        # build the Brian2 binary once (rep 0 compiles; its time is kept like the others)
        b2, nt = [], []
        for rep in range(args.reps):
            peer = subprocess.run(
                [args.python, f"brian2_{net}.py", "--mode", "standalone", "--threads", "1",
                 "--duration", str(args.duration), "--n", str(args.n), "--k", "80", "--reps", "1",
                 "--workdir", args.workdir],
                cwd=args.peers, capture_output=True, text=True, check=True)
            b2 += results(peer.stdout)
            ours = subprocess.run([exe, ours_name, str(args.n), str(args.duration), "1", str(2007 + rep)],
                                  capture_output=True, text=True, check=True)
            nt += results(ours.stdout)
        tb = statistics.median(r["sim_s"] for r in b2)
        tn = statistics.median(r["sim_s"] for r in nt)
        rb = statistics.median(r["rate_hz"] for r in b2)
        rn = statistics.median(r["rate_hz"] for r in nt)
        rows.append((net, tb, tn, tb / tn, rb, rn))
    print(f"{'network':8} {'Brian2 s/sim-s':>15} {'neurotype s/sim-s':>18} {'Brian2/neurotype':>17} {'rate B2':>8} {'rate nt':>8}")
    for net, tb, tn, ratio, rb, rn in rows:
        d = args.duration
        print(f"{net:8} {tb / d:15.4f} {tn / d:18.4f} {ratio:17.2f} {rb:8.2f} {rn:8.2f}")


if __name__ == "__main__":
    sys.exit(main())
