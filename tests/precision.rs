//! What must hold in either precision (CI runs this file in the default build and with
//! `--features f32`): durations written as whole numbers of steps count as those numbers, a
//! spike on the edge of a rate window counts, and a single-precision build keeps the edges of
//! a run (time stamps, rates from counts) in double precision.

use neurotype::models::refractory::whole_steps;
use neurotype::prelude::*;
use neurotype::units::narrow;

/// A duration as a modeller writes it (a decimal number of ms), stored in the build's precision.
fn ms_of(x: f64) -> Time {
    narrow(x) * ms
}

#[test]
fn durations_of_whole_steps_count_as_those_steps() {
    for dt_ms in [0.1, 0.05, 0.025, 0.02, 0.01, 0.005] {
        let dt = ms_of(dt_ms);
        for k in 1..=1000u32 {
            // the decimal a user types for k steps (0.3 for 30 steps of 0.01 ms)
            let typed = format!("{:.6}", f64::from(k) * dt_ms)
                .parse::<f64>()
                .unwrap();
            let steps = whole_steps(ms_of(typed), dt);
            assert_eq!(
                steps, k as Real,
                "{typed} ms at dt = {dt_ms} ms is {k} steps, got {steps}"
            );
        }
    }
}

#[test]
fn a_duration_between_steps_is_rounded_up() {
    assert_eq!(whole_steps(ms_of(0.25), ms_of(0.1)), 3.0);
    assert_eq!(whole_steps(ms_of(1.01), ms_of(0.1)), 11.0);
}

#[test]
fn rate_windows_count_the_spikes_on_their_edges() -> Result<(), NetworkError> {
    // one neuron driven to spike regularly; the window [t_spike, t_spike + 10 ms) counts the
    // spike at its start, whatever the rounding of the times
    let mut net = Network::new(0.1 * ms)?;
    let lif = Lif::builder(1).tau(10.0 * ms).build()?;
    let pop = net.add("lif", lif);
    net.input(ExternalCurrent::constant(pop, 20.0 * mA)?)?;
    let spikes = net.monitor_spikes(pop)?;
    net.run(100.0 * ms)?;
    let record = net.record(spikes)?;
    let times = record.times_ms();
    assert!(times.len() >= 3, "the neuron fires: {times:?}");
    for &t in &times[..3] {
        let (from, to) = (ms_of(t), ms_of(t + 10.0));
        let inside = times.iter().filter(|&&s| s >= t && s < t + 10.0).count();
        let rate = record.mean_rate(from, to)?;
        let expected = inside as f64 / 10e-3;
        assert!(
            (in_units(rate, Hz) - expected).abs() <= 1e-5 * expected,
            "window from {t} ms: {} Hz, expected {expected} Hz",
            in_units(rate, Hz)
        );
    }
    Ok(())
}

#[test]
fn time_stamps_are_step_times_in_double_precision() -> Result<(), NetworkError> {
    let mut net = Network::new(0.1 * ms)?;
    let pop = net.add("lif", Lif::builder(2).build()?);
    let v = net.monitor_state(pop, "V", vec![0, 1], 1)?;
    net.run(5.0 * ms)?;
    let record = net.record(v)?;
    let times = record.times_ms();
    assert_eq!(times.len(), 50);
    for (i, (t, s)) in times.iter().zip(&record.steps).enumerate() {
        // consecutive steps, each stamped with the decimal step × 0.1 ms in f64 in either
        // precision (step 3 at 0.3, not 3 × 0.1 = 0.30000000000000004 nor an f32's 0.1)
        assert_eq!(*s, record.steps[0] + i as u64);
        assert_eq!(*t, *s as f64 / 10.0);
    }
    Ok(())
}

/// A decimal dt stamps its steps as decimals in either precision, whatever rounding the
/// stored dt carries (the nearest f32 of 0.0125 is 0.012500000186…).
#[test]
fn decimal_time_steps_stamp_as_decimals() -> Result<(), NetworkError> {
    let mut net = Network::new(ms_of(0.0125))?;
    let pop = net.add("lif", Lif::builder(1).build()?);
    let v = net.monitor_state(pop, "V", vec![0], 1)?;
    net.run(ms_of(0.5))?;
    let record = net.record(v)?;
    for (t, s) in record.times_ms().iter().zip(&record.steps) {
        assert_eq!(*t, (*s * 125) as f64 / 10_000.0);
    }
    assert_eq!(record.times_ms()[35], 0.4375);
    Ok(())
}
