//! A neuron model written as its equations with `neuron!`: a leaky integrate-and-fire neuron
//! with a spike-triggered adaptation current. Three cells with different adaptation time
//! constants receive the same constant current for one second; the example prints how their
//! firing slows down, and the typed error a bad parameter produces.
//!
//! `cargo run --example dsl_lif`

use neurotype::prelude::*;

// ANCHOR: model
neuron! {
    /// A leaky integrate-and-fire neuron whose every spike adds `b` to an adaptation current
    /// `w` that decays with `τ_w` and is subtracted from the input.
    pub AdaptiveLif {
        params {
            /// Resting potential.
            v_rest: ElectricPotential = -70.0 mV,
            /// Potential after a spike.
            v_reset: ElectricPotential = -65.0 mV where < v_th,
            /// Threshold.
            v_th: ElectricPotential = -50.0 mV,
            /// Membrane resistance.
            r: ElectricalResistance = 100.0 Mohm where > 0,
            /// Membrane time constant.
            tau: Time = 20.0 ms where > 0,
            /// Adaptation time constant.
            tau_w: Time = 200.0 ms where > 0,
            /// Adaptation increment per spike.
            b: ElectricCurrent = 20.0 pA,
        }
        state {
            v: ElectricPotential = v_rest,
            w: ElectricCurrent = 0.0 pA,
        }
        input i: ElectricCurrent;
        d(v)/dt = (v_rest - v + r * (i - w)) / tau;
        d(w)/dt = -w / tau_w;
        spike v >= v_th;
        reset {
            v = v_reset;
            w += b;
        }
        refractory tau_ref: Time = 2.0 ms;
    }
}
// ANCHOR_END: model

fn main() -> Result<(), Report> {
    // ANCHOR: run
    let mut net = Network::new(0.1 * ms)?;
    let cells = AdaptiveLif::builder(3)
        .tau_w(vec![50.0 * ms, 200.0 * ms, 800.0 * ms])
        .build()?;
    let cells = net.add("cells", cells);
    net.input(ExternalCurrent::constant(cells, 300.0 * pA)?)?;
    let spikes = net.monitor_spikes(cells)?;
    // a typed handle: the DSL model's state `w` is a field of `cells.state()`
    let w = net.monitor(cells.state().w, vec![0, 1, 2], 1)?;
    net.run(1.0 * second)?;

    let record = net.record(spikes)?;
    let dt = net.dt().get();
    for (k, tau_w) in [50.0, 200.0, 800.0].iter().enumerate() {
        let times: Vec<Time> = record
            .steps
            .iter()
            .zip(&record.neurons)
            .filter(|(_, n)| **n as usize == k)
            .map(|(s, _)| dt * *s as Real)
            .collect();
        let isi = |j: usize| (times[j + 1] - times[j]).show();
        // the record gives w back as a current
        let w_end = net.record(w)?.trace(k)?.last().copied().unwrap_or(0.0 * uA);
        println!(
            "tau_w = {tau_w:>3} ms: {:>2} spikes, first interval {:.1}, last {:.1}, w at 1 s {:.1}",
            times.len(),
            isi(0),
            isi(times.len() - 2),
            w_end.show(),
        );
    }
    // ANCHOR_END: run

    // ANCHOR: error
    let err = AdaptiveLif::builder(10).tau(0.0 * ms).build().unwrap_err();
    println!("{err}");
    // ANCHOR_END: error
    Ok(())
}
