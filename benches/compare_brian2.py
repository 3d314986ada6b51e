#!/usr/bin/env python3
"""neurotype against Brian2's cpp_standalone mode, run beside it on this machine.

For each network (COBA, CUBA, COBA-HH; one thread; p = 80/N, as neurotype's benchmark networks
use) and each size (N = 4000 and 64000 by default) this runs the peer script of
../shared/bench/peers (Brian2 standalone; it reports the simulation-loop time of its own
binary and the binary's peak memory) and `neurotype-bench` with stored and with procedural
connectivity, alternating repetitions so that drift on a shared machine falls on all of them,
and prints the medians, the ratios Brian2/neurotype (> 1: neurotype is faster), synapse bytes
and peak memory, then the best run of each side and their ratios. The `f32` column is the
single-precision build (cargo feature `f32`, stored connectivity); the others are the default
double-precision build.

Usage: python3 benches/compare_brian2.py [--reps 3] [--nets coba,cuba,cobahh] [--n 4000,64000]
       [--duration 1] [--python /tmp/peer-brian2/bin/python] [--peers ../shared/bench/peers]
Needs a Brian2 2.11 venv (see ../shared/bench/peers/run_all.sh) and a C++ compiler.
"""
import argparse
import json
import os
import shutil
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
    ap.add_argument("--n", default="4000,64000")
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--python", default="/tmp/peer-brian2/bin/python")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench", "peers"))
    ap.add_argument("--workdir", default="/tmp/b2work")
    args = ap.parse_args()

    # the single-precision build first (cargo feature f32), kept beside the default one
    build = ["cargo", "build", "--release", "-q", "-p", "neurotype-benches", "--bin", "neurotype-bench"]
    exe = os.path.join(ROOT, "target", "release", "neurotype-bench")
    exe32 = exe + "-f32"
    subprocess.run(build + ["--features", "f32"], cwd=ROOT, check=True)
    shutil.copy2(exe, exe32)
    subprocess.run(build, cwd=ROOT, check=True)
    rows, bests = [], []
    for n in [int(x) for x in args.n.split(",")]:
        for net in args.nets.split(","):
            ours_name = {"coba": "coba", "cuba": "cuba", "cobahh": "coba_hh"}[net]
            # the Brian2 binary is built at rep 0 (its compile time is not in sim_s)
            b2, stored, proc, single = [], [], [], []
            for rep in range(args.reps):
                peer = subprocess.run(
                    [args.python, f"brian2_{net}.py", "--mode", "standalone", "--threads", "1",
                     "--duration", str(args.duration), "--n", str(n), "--k", "80", "--reps", "1",
                     "--workdir", args.workdir],
                    cwd=args.peers, capture_output=True, text=True, check=True)
                b2 += results(peer.stdout)
                for binary, layout, into in ((exe, "stored", stored), (exe, "procedural", proc),
                                             (exe32, "stored", single)):
                    ours = subprocess.run(
                        [binary, ours_name, str(n), str(args.duration), "1", str(2007 + rep), "1", layout],
                        capture_output=True, text=True, check=True)
                    into += results(ours.stdout)
            med = lambda rs, key: statistics.median(r[key] for r in rs if r.get(key) is not None) \
                if any(r.get(key) is not None for r in rs) else float("nan")
            tb, ts, tp = med(b2, "sim_s"), med(stored, "sim_s"), med(proc, "sim_s")
            t32 = med(single, "sim_s")
            rows.append((net, n, tb, ts, tb / ts, tp, tb / tp, t32, tb / t32, med(stored, "bytes_per_synapse"),
                         med(b2, "bin_maxrss_mb"), med(stored, "peak_mib"), med(proc, "peak_mib"),
                         med(b2, "rate_hz"), med(stored, "rate_hz")))
            best = lambda rs: min(r["sim_s"] for r in rs)
            bests.append((net, n, best(b2), best(stored), best(single)))
    d = args.duration
    print(f"{'network':8} {'N':>6} {'Brian2':>8} {'stored':>8} {'B2/st':>6} {'proced.':>8} {'B2/pr':>6}"
          f" {'f32':>8} {'B2/f32':>6}"
          f" {'B/syn':>6} {'B2 MiB':>7} {'st MiB':>7} {'pr MiB':>7} {'rate B2':>8} {'rate nt':>8}")
    print("(times in s per simulated second; ratios > 1: neurotype is faster; peak memory of the"
          " Brian2 binary and of neurotype-bench)")
    for net, n, tb, ts, rs, tp, rp, t32, r32, bps, mb, ms, mp, rb, rn in rows:
        print(f"{net:8} {n:6d} {tb / d:8.4f} {ts / d:8.4f} {rs:6.2f} {tp / d:8.4f} {rp:6.2f}"
              f" {t32 / d:8.4f} {r32:6.2f}"
              f" {bps:6.1f} {mb:7.0f} {ms:7.0f} {mp:7.0f} {rb:8.2f} {rn:8.2f}")
    # on a machine whose speed comes and goes, the best run of each side is the steadier
    # comparison: the same statistic for both, each side's run least disturbed
    print(f"\nbest of {args.reps} runs of each:")
    print(f"{'network':8} {'N':>6} {'Brian2':>8} {'stored':>8} {'B2/st':>6} {'f32':>8} {'B2/f32':>6}")
    for net, n, tb, ts, t32 in bests:
        print(f"{net:8} {n:6d} {tb / d:8.4f} {ts / d:8.4f} {tb / ts:6.2f} {t32 / d:8.4f} {tb / t32:6.2f}")


if __name__ == "__main__":
    sys.exit(main())
