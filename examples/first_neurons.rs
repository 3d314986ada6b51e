//! A first simulation: one leaky integrate-and-fire neuron and one Hodgkin-Huxley neuron,
//! written directly against the typed integrator API, driven by a step current.
//!
//! Writes `output/first_neurons.png` (voltage traces) and `output/first_neurons.csv`, and
//! prints spike counts and rates.
//!
//! `cargo run --release --example first_neurons`

use neurotype::plot::{Panel, Series, line_figure};
use neurotype::prelude::*;
use std::io::Write;

// ANCHOR: lif
/// Leaky integrate-and-fire membrane: C dV/dt = −g_L (V − E_L) + I.
struct Lif {
    c_m: Capacitance,
    g_l: ElectricalConductance,
    e_l: ElectricPotential,
    i: ElectricCurrent,
}

impl Ode for Lif {
    type State = ElectricPotential;
    fn rhs(&self, _t: Time, v: &ElectricPotential) -> VoltageRate {
        (-self.g_l * (*v - self.e_l) + self.i) / self.c_m
    }
}

impl Linearised for Lif {
    fn slope(&self, _t: Time, _v: &ElectricPotential) -> Frequency {
        -self.g_l / self.c_m
    }
}
// ANCHOR_END: lif

// ANCHOR: hh
/// Hodgkin-Huxley (1952) squid axon, per unit area; state (V, m, h, n).
struct HodgkinHuxley {
    i: CurrentDensity,
}

const C_M: Real = 1.0; // µF/cm²
type HhState = (ElectricPotential, Ratio, Ratio, Ratio);

/// Opening and closing rates of one gate at voltage `v`.
fn rates(v: ElectricPotential) -> [(Frequency, Frequency); 3] {
    let u = v / mV; // the rate formulas are written in millivolts
    let m = (
        // 0.1 (V+40)/(1 − e^{−(V+40)/10}) written as 1/exprel to be safe at V = −40 mV
        1.0 * per_ms / exprel(-(u + ratio(40.0)) / 10.0),
        4.0 * per_ms * exp(-(u + ratio(65.0)) / 18.0),
    );
    let h = (
        0.07 * per_ms * exp(-(u + ratio(65.0)) / 20.0),
        1.0 * per_ms / (ratio(1.0) + exp(-(u + ratio(35.0)) / 10.0)),
    );
    let n = (
        0.1 * per_ms / exprel(-(u + ratio(55.0)) / 10.0),
        0.125 * per_ms * exp(-(u + ratio(65.0)) / 80.0),
    );
    [m, h, n]
}

impl HodgkinHuxley {
    fn conductances(&self, (_, m, h, n): &HhState) -> [ConductanceDensity; 3] {
        [
            120.0 * mS_per_cm2 * powi(*m, 3) * *h,
            36.0 * mS_per_cm2 * powi(*n, 4),
            0.3 * mS_per_cm2 * ratio(1.0),
        ]
    }
}

impl Ode for HodgkinHuxley {
    type State = HhState;
    fn rhs(&self, _t: Time, x: &HhState) -> (VoltageRate, Frequency, Frequency, Frequency) {
        let (v, m, h, n) = *x;
        let [g_na, g_k, g_l] = self.conductances(x);
        let i_ion = g_na * (v - 50.0 * mV) + g_k * (v - (-77.0) * mV) + g_l * (v - (-54.387) * mV);
        let [(am, bm), (ah, bh), (an, bn)] = rates(v);
        let one = ratio(1.0);
        (
            (self.i - i_ion) / (C_M * uF_per_cm2),
            am * (one - m) - bm * m,
            ah * (one - h) - bh * h,
            an * (one - n) - bn * n,
        )
    }
}

impl Linearised for HodgkinHuxley {
    fn slope(&self, _t: Time, x: &HhState) -> (Frequency, Frequency, Frequency, Frequency) {
        let [g_na, g_k, g_l] = self.conductances(x);
        let [(am, bm), (ah, bh), (an, bn)] = rates(x.0);
        (
            -(g_na + g_k + g_l) / (C_M * uF_per_cm2),
            -(am + bm),
            -(ah + bh),
            -(an + bn),
        )
    }
}
// ANCHOR_END: hh

fn main() -> Result<(), Report> {
    // ANCHOR: run
    let dt = TimeStep::new(0.01 * ms)?;
    let steps = 20_000; // 200 ms
    let stimulus = |t: Time| t >= 20.0 * ms && t < 180.0 * ms;

    let (v_th, v_reset) = (-50.0 * mV, -65.0 * mV);
    let mut v_lif = -65.0 * mV;
    let mut hh: HhState = (-65.0 * mV, ratio(0.0529), ratio(0.5961), ratio(0.3177));
    let (mut lif_spikes, mut hh_spikes) = (0usize, 0usize);
    let mut rows = Vec::with_capacity(steps);

    for i in 0..steps as u64 {
        let t = dt.time_of(i);
        let on = stimulus(t);
        let lif = Lif {
            c_m: 200.0 * pF,
            g_l: 10.0 * nS,
            e_l: -65.0 * mV,
            i: if on { 0.25 * nA } else { 0.0 * nA },
        };
        v_lif = ExponentialEuler.step(&lif, t, &v_lif, dt);
        if v_lif >= v_th {
            v_lif = v_reset;
            lif_spikes += 1;
        }
        let neuron = HodgkinHuxley {
            i: if on {
                10.0 * uA_per_cm2
            } else {
                0.0 * uA_per_cm2
            },
        };
        let before = hh.0;
        hh = ExponentialEuler.step(&neuron, t, &hh, dt);
        if before < 0.0 * mV && hh.0 >= 0.0 * mV {
            hh_spikes += 1;
        }
        rows.push((t + dt.get(), v_lif, hh.0));
    }
    // ANCHOR_END: run

    std::fs::create_dir_all("output")?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create("output/first_neurons.csv")?);
    writeln!(csv, "t_ms,lif_V_mV,hh_V_mV")?;
    for (t, a, b) in &rows {
        writeln!(
            csv,
            "{},{},{}",
            in_units(*t, ms),
            in_units(*a, mV),
            in_units(*b, mV)
        )?;
    }
    csv.flush()?;

    let t: Vec<f64> = rows.iter().map(|r| in_units(r.0, ms)).collect();
    let lif_v: Vec<f64> = rows.iter().map(|r| in_units(r.1, mV)).collect();
    let hh_v: Vec<f64> = rows.iter().map(|r| in_units(r.2, mV)).collect();
    line_figure(
        "output/first_neurons.png",
        &[
            Panel {
                title: "LIF, 0.25 nA step (20-180 ms)",
                x_label: "Time (ms)",
                y_label: "V (mV)",
                series: vec![Series {
                    label: "LIF",
                    x: &t,
                    y: &lif_v,
                }],
            },
            Panel {
                title: "Hodgkin-Huxley, 10 uA/cm^2 step (20-180 ms)",
                x_label: "Time (ms)",
                y_label: "V (mV)",
                series: vec![Series {
                    label: "HH",
                    x: &t,
                    y: &hh_v,
                }],
            },
        ],
        900,
        300,
    )?;

    let window = 0.16; // seconds of stimulation
    println!(
        "LIF: {lif_spikes} spikes, {:.1} Hz during the step",
        lif_spikes as f64 / window
    );
    println!(
        "HH:  {hh_spikes} spikes, {:.1} Hz during the step",
        hh_spikes as f64 / window
    );
    println!("wrote output/first_neurons.png and output/first_neurons.csv");
    Ok(())
}
