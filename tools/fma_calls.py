#!/usr/bin/env python3
"""Lists the functions of a binary that call the library's `fma` outside a baseline copy.

Usage: python3 tools/fma_calls.py BINARY (e.g. target/release/neurotype-conformance)

A fused multiply-add (`mul_add`) compiled for the x86-64 baseline is a call to `fma`, one per
element in a loop. Hot loops run through `neurotype_models::isa::dispatch`, which compiles
them again for AVX2 + FMA and AVX-512; the baseline copy it keeps (for processors without FMA)
calls `fma` by design. This prints the other callers: functions that call `fma` and are not
a dispatching function, i.e. code that runs as baseline code on every processor. An empty
list is the goal. Needs `nm`, `objdump` and `c++filt` (binutils).
"""
import collections
import re
import subprocess
import sys


def run(*cmd, stdin=None):
    return subprocess.run(cmd, capture_output=True, text=True, input=stdin, check=True).stdout


binary = sys.argv[1]
symbols = [line.split() for line in run("nm", binary).splitlines()]
fma = [s[0].lstrip("0") for s in symbols if s[-1] == "fma"]
if not fma:
    print("no fma in", binary)
    sys.exit(0)
fma = fma[0]
# position-independent code calls through a GOT slot that holds fma's address
slots = {
    line.split()[0].lstrip("0")
    for line in run("objdump", "-R", binary).splitlines()
    if line.strip().lower().endswith(fma)
}
calls, dispatching = collections.Counter(), set()
function = None
for line in run("objdump", "-d", "--no-show-raw-insn", binary).splitlines():
    m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
    if m:
        function = m.group(1)
        continue
    direct = "<fma>" in line and ("call" in line or "jmp" in line)
    if direct or any(f"# {s} " in line for s in slots):
        calls[function] += 1
    if "isa8dispatch" in line:
        dispatching.add(function)
others = sorted(
    ((n, f) for f, n in calls.items() if f not in dispatching and "isa8dispatch" not in f),
    reverse=True,
)
names = run("c++filt", stdin="\n".join(f for _, f in others)).splitlines() if others else []
for (n, _), name in zip(others, names):
    print(f"{n:4} {name}")
print(
    f"{len(others)} functions call fma as baseline code; "
    f"{len(calls) - len(others)} dispatching functions keep a baseline copy that does",
    file=sys.stderr,
)
