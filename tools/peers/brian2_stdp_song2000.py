"""Brian2's run of the Song, Miller & Abbott (2000) STDP experiment, for the comparison in the
book's Plasticity chapter (examples/stdp_song2000.rs is neurotype's run of the same model).

The model is written as in Brian2's `STDP` example, with the paper's parameters (those of
examples/stdp_song2000.rs): 1000 Poisson inputs at 20 Hz, one integrate-and-fire neuron
(tau_m 20 ms, E_L -70 mV, threshold -54 mV, reset -60 mV), conductance synapses (tau_e 5 ms,
E_e 0 mV, g_max 0.015 relative to the leak), additive STDP with tau_pre = tau_post = 20 ms,
dA_pre = 0.005 g_max, dA_post = -1.05 dA_pre.

Writes output/brian2_stdp_weights.csv (final w / g_max) and output/brian2_stdp_rates.csv
(output spikes per second) and prints the share of weights within 10% of a bound.

With `--brainpy-order` the on_pre pathway sends the weight after its update (as BrainPy and
neurotype do) and the on_post pathway runs first within a step, so that a presynaptic and a
postsynaptic spike in the same step depress (BrainPy and neurotype apply both changes there;
Brian2's default applies potentiation only). Its files end in `_brainpy_order.csv`.

Usage: /tmp/peer-brian2/bin/python tools/peers/brian2_stdp_song2000.py [duration_s] [seed]
       [--brainpy-order]
(a Brian2 2.11 venv, see ../shared/bench/peers/run_all.sh)
"""
import os
import sys
import time

import numpy as np
from brian2 import (Hz, NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, defaultclock, mV, ms, run, second,
                    seed as brian_seed, prefs)

brainpy_order = "--brainpy-order" in sys.argv
args = [a for a in sys.argv[1:] if not a.startswith("--")]
duration = float(args[0]) if len(args) > 0 else 1000.0
brian_seed(int(args[1]) if len(args) > 1 else 2000)
suffix = "_brainpy_order" if brainpy_order else ""
prefs.codegen.target = "cython"
defaultclock.dt = 0.1 * ms

n = 1000
tau_m, tau_e = 20 * ms, 5 * ms
e_l, e_e, v_t, v_r = -70 * mV, 0 * mV, -54 * mV, -60 * mV
tau_pre = tau_post = 20 * ms
g_max = 0.015
da_pre = 0.005 * g_max
da_post = -da_pre * tau_pre / tau_post * 1.05

neuron = NeuronGroup(1, """dv/dt = (ge * (e_e - v) + e_l - v) / tau_m : volt
                           dge/dt = -ge / tau_e : 1""",
                     threshold="v > v_t", reset="v = v_r", method="euler")
neuron.v = v_r
inputs = PoissonGroup(n, rates=20 * Hz)
syn = Synapses(inputs, neuron,
               """w : 1
                  dApre/dt = -Apre / tau_pre : 1 (event-driven)
                  dApost/dt = -Apost / tau_post : 1 (event-driven)""",
               on_pre=("""Apre += da_pre
                          w = clip(w + Apost, 0, g_max)
                          ge += w""" if brainpy_order else
                       """ge += w
                          Apre += da_pre
                          w = clip(w + Apost, 0, g_max)"""),
               on_post="""Apost += da_post
                          w = clip(w + Apre, 0, g_max)""")
if brainpy_order:
    syn.post.order = -1  # before the on_pre pathway (order 0) in the same time step
syn.connect()
syn.w = "rand() * g_max"
spikes = SpikeMonitor(neuron)
start = time.perf_counter()
run(duration * second)
wall = time.perf_counter() - start

w = np.asarray(syn.w) / g_max
rates = np.bincount((np.asarray(spikes.t / second)).astype(int), minlength=int(np.ceil(duration)))[: int(np.ceil(duration))]
os.makedirs("output", exist_ok=True)
np.savetxt(f"output/brian2_stdp_weights{suffix}.csv", w, header="w_over_gmax", comments="")
np.savetxt(f"output/brian2_stdp_rates{suffix}.csv", rates, header="rate_hz", comments="", fmt="%d")
near = np.mean((w < 0.1) | (w > 0.9))
print(f"Brian2{suffix}: {duration} s simulated in {wall:.1f} s (cython)")
print(f"  weights within 10% of a bound: {100 * near:.1f}% ({np.sum(w < 0.1)} near 0, {np.sum(w > 0.9)} near g_max)")
print(f"  output rate: {rates[0]} Hz in the first second, {rates[-100:].mean():.1f} Hz over the last 100 s")
