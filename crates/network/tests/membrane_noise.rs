//! A noise term in the membrane equation, `dV = (V_rest − V)/τ·dt + σ·√(2/τ)·dW`, integrated by
//! exponential Euler–Maruyama: the stationary mean, variance and autocorrelation of a passive
//! population against theory, and the same noise for any number of threads.

use neurotype_models::prelude::*;
use neurotype_network::prelude::*;

const N: usize = 2000;
const TAU: f64 = 10.0; // ms
const SIGMA: f64 = 2.0; // mV
const DT: f64 = 0.1; // ms

/// A passive population (threshold out of reach) with membrane noise; V of every neuron after
/// `t1` and `t2` ms.
fn run(threads: usize, t1: f64, t2: f64) -> (Vec<f64>, Vec<f64>) {
    let mut net = Network::new(DT * ms)
        .unwrap()
        .progress(Progress::Never)
        .threads(threads)
        .unwrap();
    let passive = Lif::builder(N)
        .v_rest(-65.0 * mV)
        .v_th(1e6 * mV)
        .tau(TAU * ms)
        .v_init(Init::Constant(-65.0 * mV))
        .build()
        .unwrap();
    let pop = net.add("P", passive);
    // ANCHOR: noise
    // Brian2's dv/dt = (v_rest − v)/τ + σ·√(2/τ)·ξ: amplitude √2·σ over time scale τ
    let noise = MembraneNoise::new(pop, 2f64.sqrt() * SIGMA * mV, TAU * ms, 7).unwrap();
    net.input(noise).unwrap();
    // ANCHOR_END: noise
    let v = |net: &Network| {
        let pop = net.populations().next().unwrap();
        let vars = pop.state_vars();
        (0..N)
            .map(|i| vars[0].value_in(i, "mV").unwrap())
            .collect::<Vec<_>>()
    };
    net.run(t1 * ms).unwrap();
    let first = v(&net);
    net.run((t2 - t1) * ms).unwrap();
    (first, v(&net))
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    let v = x.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / (x.len() - 1) as f64;
    (m, v)
}

#[test]
fn membrane_noise_has_the_stationary_statistics_of_the_scheme() {
    // 20 τ to forget the start, then one τ more for the correlation
    let (a, b) = run(1, 20.0 * TAU, 21.0 * TAU);
    let h = DT / TAU;
    // the scheme V ← V_rest + e^{−h}(V − V_rest) + √(2h)·σ·z has variance 2hσ²/(1 − e^{−2h})
    // (σ² as dt → 0) and lag-k correlation e^{−kh}
    let var = 2.0 * h * SIGMA * SIGMA / (1.0 - (-2.0 * h).exp());
    for x in [&a, &b] {
        let (m, v) = mean_var(x);
        assert!((m + 65.0).abs() < 4.0 * (var / N as f64).sqrt(), "mean {m}");
        assert!(
            (v / var - 1.0).abs() < 4.0 * (2.0 / N as f64).sqrt(),
            "variance {v} vs {var}"
        );
    }
    let (ma, va) = mean_var(&a);
    let (mb, vb) = mean_var(&b);
    let cov = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (N - 1) as f64;
    let rho = cov / (va * vb).sqrt();
    let expected = (-1.0f64).exp();
    // the correlation coefficient's sampling sd is about (1 − ρ²)/√n
    assert!(
        (rho - expected).abs() < 4.0 * (1.0 - expected * expected) / (N as f64).sqrt(),
        "correlation after τ: {rho} vs {expected}"
    );
}

#[test]
fn membrane_noise_is_the_same_on_any_number_of_threads() {
    let one = run(1, 5.0, 10.0);
    let two = run(2, 5.0, 10.0);
    let three = run(3, 5.0, 10.0);
    assert_eq!(one, two);
    assert_eq!(one, three);
}

#[test]
fn bad_noise_parameters_are_refused() {
    let mut net = Network::new(DT * ms).unwrap();
    let pop = net.add("P", Lif::builder(2).build().unwrap());
    let e = MembraneNoise::new(pop, -1.0 * mV, TAU * ms, 1)
        .err()
        .unwrap();
    assert!(e.to_string().contains("sigma"), "{e}");
    let e = MembraneNoise::new(pop, 1.0 * mV, 0.0 * ms, 1)
        .err()
        .unwrap();
    assert!(e.to_string().contains("tau_n"), "{e}");
}
