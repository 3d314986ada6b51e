//! Strong convergence of the SDE methods against exact solutions driven by the same Brownian
//! paths: geometric Brownian motion (multiplicative noise: strong order ½) and an
//! Ornstein–Uhlenbeck membrane (additive noise: Euler–Maruyama's strong order is 1).

use neurotype_solvers::{EulerMaruyama, ExpEulerMaruyama, SdeIntegrator, TimeStep, sde};
use neurotype_units::prelude::*;

/// SplitMix64 with Box–Muller: standard normal numbers, reproducible without a dependency.
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn next(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        (-2.0 * u.ln()).sqrt() * (2.0 * core::f64::consts::PI * self.uniform()).cos()
    }
}

const PATHS: usize = 1000;
const FINEST: usize = 1024;

/// Mean absolute error at T over `PATHS` Brownian paths for steps of `T/2^k`, k in `levels`;
/// `run(k_steps, increments)` integrates with the path's increments summed into `k_steps`
/// steps (standard normal numbers per coarse step) and returns (numerical, exact).
fn strong_errors(levels: &[usize], mut run: impl FnMut(usize, &[f64]) -> (f64, f64)) -> Vec<f64> {
    let mut normal = Normal(7);
    let mut errors = vec![0.0; levels.len()];
    for _ in 0..PATHS {
        let fine: Vec<f64> = (0..FINEST).map(|_| normal.next()).collect();
        for (e, &steps) in errors.iter_mut().zip(levels) {
            // a coarse step's normal number: the sum of its fine ones over √(their count)
            let m = FINEST / steps;
            let coarse: Vec<f64> = fine
                .chunks(m)
                .map(|c| c.iter().sum::<f64>() / (m as f64).sqrt())
                .collect();
            let (x, exact) = run(steps, &coarse);
            *e += (x - exact).abs() / PATHS as f64;
        }
    }
    errors
}

/// Least-squares slope of log(error) against log(dt).
fn order(levels: &[usize], errors: &[f64]) -> f64 {
    let xs: Vec<f64> = levels.iter().map(|&n| (1.0 / n as f64).ln()).collect();
    let ys: Vec<f64> = errors.iter().map(|e| e.ln()).collect();
    let (mx, my) = (
        xs.iter().sum::<f64>() / xs.len() as f64,
        ys.iter().sum::<f64>() / ys.len() as f64,
    );
    let num: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    num / den
}

/// dg = μ·g·dt + g·dW/√τ_n: g_T = g₀·exp((μ − 1/(2τ_n))·T + W_T/√τ_n).
#[test]
fn euler_maruyama_has_strong_order_one_half_on_geometric_brownian_motion() {
    let (mu, tau_n, t_end, g0) = (0.002, 1000.0, 1000.0, 1.0); // 1/ms, ms, ms, nS
    let gbm = sde(
        move |_t, g: &ElectricalConductance| *g * (mu / ms),
        move |_t, _g: &ElectricalConductance| mu / ms,
        move |_t, g: &ElectricalConductance| *g,
        tau_n * ms,
    );
    let levels = [16, 32, 64, 128, 256];
    for exponential in [false, true] {
        let errors = strong_errors(&levels, |steps, z| {
            let h = t_end / steps as f64;
            let dt = TimeStep::new(h * ms).unwrap();
            let mut g = g0 * nS;
            let mut k = 0;
            let mut next = || {
                k += 1;
                z[k - 1]
            };
            for n in 0..steps {
                let t = n as f64 * h * ms;
                g = if exponential {
                    ExpEulerMaruyama.step(&gbm, t, &g, dt, &mut next)
                } else {
                    EulerMaruyama.step(&gbm, t, &g, dt, &mut next)
                };
            }
            let w_t = z.iter().sum::<f64>() * h.sqrt();
            let exact = g0 * ((mu - 0.5 / tau_n) * t_end + w_t / tau_n.sqrt()).exp();
            (in_units(g, nS), exact)
        });
        let p = order(&levels, &errors);
        eprintln!("GBM, exponential {exponential}: strong order {p:.3}, errors {errors:?}");
        assert!(
            (p - 0.5).abs() <= 0.1,
            "exponential {exponential}: order {p:.3}, errors {errors:?}"
        );
    }
}

/// dV = (V_rest − V)/τ·dt + σ·dW/√τ: additive noise, where Euler–Maruyama is of strong order
/// 1 (measured against the same scheme on a grid 8 to 64 times finer, driven by the same
/// path).
#[test]
fn euler_maruyama_has_strong_order_one_with_additive_noise() {
    let (v_rest, tau, sigma, t_end) = (-65.0, 10.0, 2.0, 20.0); // mV, ms, mV, ms
    let ou = sde(
        move |_t, v: &ElectricPotential| (v_rest * mV - *v) / (tau * ms),
        move |_t, _v: &ElectricPotential| -1.0 / (tau * ms),
        move |_t, _v: &ElectricPotential| sigma * mV,
        tau * ms,
    );
    let levels = [16, 32, 64, 128];
    let mut normal = Normal(3);
    let mut errors = [0.0; 4];
    for _ in 0..PATHS {
        let fine: Vec<f64> = (0..FINEST).map(|_| normal.next()).collect();
        // reference: Euler–Maruyama on the finest grid (error O(dt_fine), far below the
        // coarse ones), driven by the same increments
        let h = t_end / FINEST as f64;
        let mut reference = -60.0;
        for z in &fine {
            reference += (v_rest - reference) / tau * h + sigma * (h / tau).sqrt() * z;
        }
        for (e, &steps) in errors.iter_mut().zip(&levels) {
            let m = FINEST / steps;
            let mut k = 0;
            let coarse: Vec<f64> = fine
                .chunks(m)
                .map(|c| c.iter().sum::<f64>() / (m as f64).sqrt())
                .collect();
            let dt = TimeStep::new(t_end / steps as f64 * ms).unwrap();
            let mut v = -60.0 * mV;
            let mut next = || {
                k += 1;
                coarse[k - 1]
            };
            for n in 0..steps {
                v = EulerMaruyama.step(&ou, n as f64 * dt.get(), &v, dt, &mut next);
            }
            *e += (in_units(v, mV) - reference).abs() / PATHS as f64;
        }
    }
    let p = order(&levels, &errors);
    eprintln!("OU, additive noise: strong order {p:.3}, errors {errors:?}");
    assert!((p - 1.0).abs() <= 0.15, "order {p:.3}, errors {errors:?}");
}

#[test]
fn a_membrane_with_white_noise_steps_as_written() {
    // ANCHOR: example
    // dV = (V_rest − V)/τ·dt + σ·√(2/τ)·dW: amplitude √2·σ (a voltage) over τ_n = τ
    let (v_rest, tau, sigma) = (-65.0 * mV, 10.0 * ms, 2.0 * mV);
    let membrane = sde(
        move |_t, v: &ElectricPotential| (v_rest - *v) / tau, // drift, a voltage per time
        move |_t, _v: &ElectricPotential| -1.0 / tau,         // its slope ∂f/∂V
        move |_t, _v: &ElectricPotential| 2f64.sqrt() * sigma, // noise amplitude
        tau,
    );
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut normal = Normal(1);
    let mut v = -60.0 * mV;
    for n in 0..1000 {
        v = ExpEulerMaruyama.step(&membrane, n as f64 * dt.get(), &v, dt, &mut || {
            normal.next()
        });
    }
    // ANCHOR_END: example
    // the same step by hand: exact decay of the drift, then √2·σ·√(dt/τ)·z
    let mut check = Normal(1);
    let mut x = -60.0;
    let h: f64 = 0.1 / 10.0;
    for _ in 0..1000 {
        x = -65.0 + (-h).exp() * (x + 65.0) + 2f64.sqrt() * 2.0 * h.sqrt() * check.next();
    }
    assert!((in_units(v, mV) - x).abs() < 1e-9, "{v:?} vs {x}");
}
