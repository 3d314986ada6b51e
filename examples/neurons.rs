//! Every neuron model of brainpy.state, driven by a step current (on from 20 to 180 ms).
//!
//! Writes `output/neurons.png` (one panel per model) and `output/neurons.csv` (time and the
//! potential of each model), and prints each model's spike count.
//!
//! `cargo run --release --example neurons`

use neurotype::models::prelude::*;
use neurotype::plot::{Panel, Series, grid_figure};
use std::io::Write;

const STEPS: u64 = 2000; // 200 ms at dt = 0.1 ms
const ON: (u64, u64) = (200, 1800);

/// One model's run: its name, the step amplitude (with unit, for the title), the potential
/// trace in its canonical unit, and its spike count.
struct Run {
    name: &'static str,
    stimulus: String,
    unit: &'static str,
    v: Vec<f64>,
    spikes: usize,
}

// ANCHOR: drive
/// Drives `model` with `amplitude` during the step and records its potential.
fn drive<N: Neuron>(mut model: N, amplitude: N::Input) -> Run {
    let dt = TimeStep::new(0.1 * ms).expect("0.1 ms is a valid step");
    let mut drive = Drive::<N>::new(model.len());
    let (mut v, mut spikes) = (Vec::with_capacity(STEPS as usize), 0);
    for i in 0..STEPS {
        drive.clear();
        if (ON.0..ON.1).contains(&i) {
            drive.set_external(amplitude);
        }
        model.step(&StepCtx::new(i, dt), &drive);
        spikes += model.spikes().iter().filter(|s| **s).count();
        v.push(model.potential().get(0).in_canonical());
    }
    Run {
        name: model.model_name(),
        stimulus: amplitude.show().to_string(),
        unit: N::Potential::canonical_symbol(),
        v,
        spikes,
    }
}
// ANCHOR_END: drive

fn main() -> Result<(), neurotype::Report> {
    // ANCHOR: models
    // The LIF family uses BrainPy's units: R = 1 Ω, so currents are in mA (R·I in mV).
    let runs = vec![
        drive(If::builder(1).build()?, 2.0 * mA),
        drive(Lif::builder(1).build()?, 2.0 * mA),
        drive(LifRef::builder(1).build()?, 2.0 * mA),
        drive(Alif::builder(1).build()?, 2.0 * mA),
        drive(CubaLif::builder(1).build()?, 2.0 * mA),
        drive(CobaLif::builder(1).build()?, 2.0 * mA),
        drive(
            ExpIf::builder(1).spk_reset(SpikeReset::Hard).build()?,
            5.0 * mA,
        ),
        drive(
            ExpIfRef::builder(1).spk_reset(SpikeReset::Hard).build()?,
            5.0 * mA,
        ),
        drive(AdExIf::builder(1).build()?, 20.0 * mA),
        drive(AdExIfRef::builder(1).build()?, 20.0 * mA),
        drive(
            QuaIf::builder(1).spk_reset(SpikeReset::Hard).build()?,
            6.0 * mA,
        ),
        drive(
            AdQuaIf::builder(1).spk_reset(SpikeReset::Hard).build()?,
            30.0 * mA,
        ),
        drive(
            AdQuaIfRef::builder(1).spk_reset(SpikeReset::Hard).build()?,
            30.0 * mA,
        ),
        drive(Gif::builder(1).build()?, 1.5 * mA),
        drive(GifRef::builder(1).build()?, 1.5 * mA),
        // Hodgkin-Huxley family: µA with C in µF and conductances in mS
        drive(Hh::builder(1).v_init(-65.0 * mV).build()?, 10.0 * uA),
        drive(
            MorrisLecar::builder(1).v_init(-60.0 * mV).build()?,
            150.0 * uA,
        ),
        drive(WangBuzsakiHh::builder(1).build()?, 1.0 * uA),
        // Izhikevich integrates a voltage rate
        drive(Izhikevich::builder(1).build()?, 10.0 * mV_per_ms),
        drive(
            IzhikevichRef::builder(1).tau_ref(2.0 * ms).build()?,
            10.0 * mV_per_ms,
        ),
        // dimensionless reduced models
        drive(FitzHughNagumo::builder(1).build()?, ratio(0.5)),
        drive(HindmarshRose::builder(1).build()?, ratio(3.0)),
    ];
    // ANCHOR_END: models

    let t: Vec<f64> = (1..=STEPS).map(|i| i as f64 * 0.1).collect();
    std::fs::create_dir_all("output")?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create("output/neurons.csv")?);
    write!(csv, "t_ms")?;
    for r in &runs {
        let unit = if r.unit.is_empty() {
            String::new()
        } else {
            format!("_{}", r.unit)
        };
        write!(csv, ",{}_V{unit}", r.name)?;
    }
    writeln!(csv)?;
    for (k, tk) in t.iter().enumerate() {
        write!(csv, "{tk}")?;
        for r in &runs {
            write!(csv, ",{}", r.v[k])?;
        }
        writeln!(csv)?;
    }
    csv.flush()?;

    let titles: Vec<String> = runs
        .iter()
        .map(|r| format!("{} ({}), {} spikes", r.name, r.stimulus, r.spikes))
        .collect();
    let y_labels: Vec<String> = runs
        .iter()
        .map(|r| {
            if r.unit.is_empty() {
                "V".into()
            } else {
                format!("V ({})", r.unit)
            }
        })
        .collect();
    let panels: Vec<Panel> = runs
        .iter()
        .enumerate()
        .map(|(k, r)| Panel {
            title: &titles[k],
            x_label: "Time (ms)",
            y_label: &y_labels[k],
            series: vec![Series {
                label: r.name,
                x: &t,
                y: &r.v,
            }],
        })
        .collect();
    grid_figure("output/neurons.png", &panels, 4, 420, 260)?;

    println!("{:<16} {:>14} {:>7}", "model", "step input", "spikes");
    for r in &runs {
        println!("{:<16} {:>14} {:>7}", r.name, r.stimulus, r.spikes);
    }
    println!("wrote output/neurons.png and output/neurons.csv");
    Ok(())
}
