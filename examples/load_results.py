"""Loads a run saved by `net.save_results(...)` and plots it with matplotlib.

    cargo run --release --example getting_started
    python3 examples/load_results.py output/getting_started.npz

Needs numpy; pandas and matplotlib are used when installed.
"""
import json
import sys

import numpy as np

# ANCHOR: load
run = np.load(sys.argv[1] if len(sys.argv) > 1 else "output/getting_started.npz")
meta = json.loads(str(run["meta"]))
print(f"neurotype {meta['neurotype']} ({meta['precision']}), dt = {meta['dt_ms']} ms, "
      f"seed {meta['seed']}, {meta['steps']} steps")
for name in sorted(run.files):
    if name != "meta":
        unit = meta["arrays"][name]["unit"]
        print(f"  {name:<16} {str(run[name].dtype):<8} {run[name].shape} {unit}")

t, i = run["E.spike.t_ms"], run["E.spike.neuron"]  # float64 ms, int64 neuron ids
v, v_t = run["E.V"], run["E.V.t_ms"]               # V in mV: one row per step, one column per neuron
# ANCHOR_END: load

assert i.dtype == np.int64 and v.shape == (len(v_t), len(run["E.V.neuron"]))
assert meta["arrays"]["E.V"]["unit"] == "mV"

try:
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    # ANCHOR: pandas
    spikes = pd.DataFrame({"t_ms": t, "neuron": i})
    print(spikes.groupby("neuron").size().describe())
    # ANCHOR_END: pandas

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    # ANCHOR: plot
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 5))
    first = 0  # stack the populations, in the order they were added
    for k, pop in enumerate(meta["populations"]):
        name = pop["name"]
        if f"{name}.spike.t_ms" not in run.files:  # a population without a spike monitor
            first += pop["size"]
            continue
        top.plot(run[f"{name}.spike.t_ms"], run[f"{name}.spike.neuron"] + first, ".", ms=1,
                 color=f"C{k}", label=name)
        first += pop["size"]
    top.set_ylabel("Neuron index")
    top.legend(loc="upper right")
    bottom.plot(v_t, v)
    bottom.set_xlabel("Time (ms)")
    bottom.set_ylabel(f"V ({meta['arrays']['E.V']['unit']})")
    fig.savefig("output/getting_started_matplotlib.png", dpi=120)
    # ANCHOR_END: plot
    print("wrote output/getting_started_matplotlib.png")
