//! Noise currents (BrainPy's `WienerProcessInput` and `OUProcessInput`) and noise terms in a
//! neuron's own equation ([`MembraneNoise`], integrated by (exponential) Euler–Maruyama), one
//! independent process per neuron, drawn from the input's own seeded generator (in neuron
//! order, so the same seed gives the same noise on any thread count).
//!
//! As in BrainPy, σ is given in the input's unit and scaled by the square root of dt's number
//! of milliseconds: a step's Wiener increment is `σ·√(dt/ms)·z`, z ~ N(0, 1), so σ is the
//! standard deviation the input would have over one millisecond. The Ornstein–Uhlenbeck
//! process is integrated by Euler–Maruyama, its state starting at the mean:
//!
//! ```text
//! x ← x + (μ − x)·dt/τ + σ·√(dt/ms)·z
//! ```
//!
//! Its stationary mean is μ, its variance σ²·(τ/ms)/(2 − dt/τ) (σ²τ/2 as dt → 0) and its
//! autocorrelation decays as (1 − dt/τ)^k ≈ e^(−k·dt/τ).

use crate::error::NetworkError;
use crate::input::Input;
use crate::population::{AnyPopulation, Pop, Population};
use crate::projection::post_population;
use neurotype_models::rng::{self, Rng};
use neurotype_models::{Neuron, StepCtx};
use neurotype_units::check;
use neurotype_units::prelude::*;
use neurotype_units::{Real, narrow};
use rand_distr::{Distribution, StandardNormal};

/// Which process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoiseProcess<Q> {
    /// White noise: each step `σ·√(dt/ms)·z` (BrainPy's `WienerProcessInput(sigma)`).
    Wiener {
        /// Standard deviation over one millisecond.
        sigma: Q,
    },
    /// Ornstein–Uhlenbeck (BrainPy's `OUProcessInput(mean, sigma, tau)`).
    OrnsteinUhlenbeck {
        /// The mean μ (and the initial value).
        mean: Q,
        /// The noise amplitude σ.
        sigma: Q,
        /// The relaxation time τ.
        tau: Time,
    },
}

/// A noise current injected into every neuron of a population (or slice), one process each:
/// BrainPy's `WienerProcessInput(sigma, duration)` and `OUProcessInput(mean, sigma, tau,
/// duration)` added to the neurons' input.
pub struct NoiseCurrent<N: Neuron> {
    target: Pop<N>,
    process: NoiseProcess<N::Input>,
    duration: Option<Time>,
    seed: u64,
    rng: Rng,
    /// The state of each neuron's process (stored numbers; Ornstein–Uhlenbeck only).
    x: Vec<Real>,
}

impl<N: Neuron> NoiseCurrent<N>
where
    N::Input: PartialOrd,
{
    /// The process `process` into every neuron of `target`, for `duration` (`None`: the whole
    /// run), drawn from `seed`. σ and μ must be finite, σ ≥ 0, τ > 0, the duration ≥ 0.
    pub fn new(
        target: Pop<N>,
        process: NoiseProcess<N::Input>,
        duration: Option<Time>,
        seed: u64,
    ) -> Result<Self, NetworkError> {
        let mean = match process {
            NoiseProcess::Wiener { sigma } => {
                check::non_negative("WienerProcessInput", "sigma", sigma)?;
                0.0
            }
            NoiseProcess::OrnsteinUhlenbeck { mean, sigma, tau } => {
                let owner = "OUProcessInput";
                check::finite(owner, "mean", mean)?;
                check::non_negative(owner, "sigma", sigma)?;
                check::positive(owner, "tau", tau)?;
                mean.raw()
            }
        };
        if let Some(d) = duration {
            check::non_negative("NoiseCurrent", "duration", d)?;
        }
        Ok(Self {
            process,
            duration,
            seed,
            rng: rng::seeded(seed),
            x: vec![mean; target.len],
            target,
        })
    }

    /// White noise of standard deviation `sigma` over one millisecond, for the whole run.
    pub fn wiener(target: Pop<N>, sigma: N::Input, seed: u64) -> Result<Self, NetworkError> {
        Self::new(target, NoiseProcess::Wiener { sigma }, None, seed)
    }

    /// An Ornstein–Uhlenbeck process per neuron, for the whole run.
    pub fn ornstein_uhlenbeck(
        target: Pop<N>,
        mean: N::Input,
        sigma: N::Input,
        tau: Time,
        seed: u64,
    ) -> Result<Self, NetworkError> {
        Self::new(
            target,
            NoiseProcess::OrnsteinUhlenbeck { mean, sigma, tau },
            None,
            seed,
        )
    }

    /// Advances every neuron's process by one step of `dt` and returns this step's values
    /// (stored numbers).
    pub(crate) fn draw(&mut self, dt: Time) -> &[Real] {
        let scale = (dt / (1.0 * ms)).value.sqrt();
        match self.process {
            NoiseProcess::Wiener { sigma } => {
                let s = sigma.raw() * scale;
                for x in &mut self.x {
                    let z = narrow(StandardNormal.sample(&mut self.rng));
                    *x = s * z;
                }
            }
            NoiseProcess::OrnsteinUhlenbeck { mean, sigma, tau } => {
                let (mu, s, k) = (mean.raw(), sigma.raw() * scale, (dt / tau).value);
                for x in &mut self.x {
                    let z = narrow(StandardNormal.sample(&mut self.rng));
                    *x += (mu - *x) * k + s * z;
                }
            }
        }
        &self.x
    }
}

impl<N: Neuron> Input for NoiseCurrent<N>
where
    N::Input: PartialOrd + Send,
{
    fn network(&self) -> u64 {
        self.target.net
    }
    fn target(&self) -> usize {
        self.target.index
    }
    fn apply(&mut self, ctx: &StepCtx, pop: &mut dyn AnyPopulation) {
        if self.duration.is_some_and(|d| ctx.t >= d) {
            return;
        }
        let offset = self.target.offset;
        let values = self.draw(ctx.dt.get());
        let pop: &mut Population<N> = post_population(pop);
        let ext = &mut pop.drive.ext_mut().raw_mut()[offset..offset + values.len()];
        for (e, v) in ext.iter_mut().zip(values) {
            *e += v;
        }
    }
    fn reset(&mut self) {
        self.rng = rng::seeded(self.seed);
        let mean = match self.process {
            NoiseProcess::Wiener { .. } => 0.0,
            NoiseProcess::OrnsteinUhlenbeck { mean, .. } => mean.raw(),
        };
        self.x.fill(mean);
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.rng("rng", &mut self.rng);
        v.floats("x", &mut self.x);
    }
}

/// A noise term in a neuron's own equation: `dx = f(x)·dt + σ·dW/√τ_n` for the variable the
/// model's jumps act on (V of the LIF family, AdEx, Izhikevich and HH; g of CubaLIF and
/// CobaLIF), Brian2's `σ·ξ/√τ_n`. A Brian2 equation `dv/dt = (v0 − v)/τ + σ·√(2/τ)·ξ` is
/// `MembraneNoise::new(pop, √2·σ, τ, seed)`.
///
/// Each step the model integrates its drift with its own method, and the step's Wiener
/// increment `σ·√(dt/τ_n)·z` is added to the new state, as delta projections' jumps are: with
/// exponential Euler (the default) this is exponential Euler–Maruyama, with Euler it is
/// Euler–Maruyama. A neuron that spiked is reset before the step and receives the noise after
/// it; while it is refractory its state is held, noise included (Brian2's `unless
/// refractory`). One independent process per neuron, drawn in neuron order from the input's
/// own generator (the same noise for any number of threads).
pub struct MembraneNoise<N: Neuron> {
    target: Pop<N>,
    sigma: N::Jump,
    tau_n: Time,
    seed: u64,
    rng: Rng,
}

impl<N: Neuron> MembraneNoise<N>
where
    N::Jump: PartialOrd,
{
    /// Noise of amplitude `sigma` (the unit of the model's jumps) over time scale `tau_n`
    /// on every neuron of `target`.
    pub fn new(
        target: Pop<N>,
        sigma: N::Jump,
        tau_n: Time,
        seed: u64,
    ) -> Result<Self, NetworkError> {
        check::non_negative("MembraneNoise", "sigma", sigma)?;
        check::positive("MembraneNoise", "tau_n", tau_n)?;
        Ok(Self {
            target,
            sigma,
            tau_n,
            seed,
            rng: rng::seeded(seed),
        })
    }
}

impl<N: Neuron> Input for MembraneNoise<N>
where
    N::Jump: PartialOrd + Send,
{
    fn network(&self) -> u64 {
        self.target.net
    }
    fn target(&self) -> usize {
        self.target.index
    }
    fn apply(&mut self, ctx: &StepCtx, pop: &mut dyn AnyPopulation) {
        let s = self.sigma.raw() * (ctx.dt.get() / self.tau_n).value.sqrt();
        let (offset, n) = (self.target.offset, self.target.len);
        let pop: &mut Population<N> = post_population(pop);
        for d in &mut pop.drive.delta_mut().raw_mut()[offset..offset + n] {
            let z = narrow(StandardNormal.sample(&mut self.rng));
            *d += s * z;
        }
    }
    fn reset(&mut self) {
        self.rng = rng::seeded(self.seed);
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.rng("rng", &mut self.rng);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurotype_models::neurons::Lif;

    /// `steps` values of neuron 0's process at dt = 0.1 ms, and of all `n` neurons at the end.
    fn path(
        process: NoiseProcess<ElectricCurrent>,
        n: usize,
        steps: usize,
    ) -> (Vec<f64>, Vec<f64>) {
        let mut noise: NoiseCurrent<Lif> =
            NoiseCurrent::new(Pop::new(1, 0, n), process, None, 42).unwrap();
        let trace = (0..steps).map(|_| noise.draw(0.1 * ms)[0]).collect();
        (trace, noise.x.clone())
    }

    fn mean_var(x: &[f64]) -> (f64, f64) {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        (
            m,
            x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64,
        )
    }

    #[test]
    fn wiener_increments_have_variance_sigma_squared_dt() {
        // σ = 2 nA over 1 ms: per 0.1 ms step, sd 2·√0.1 nA
        let (x, last) = path(NoiseProcess::Wiener { sigma: 2.0 * nA }, 1000, 20_000);
        let (m, v) = mean_var(&x);
        let expected = 4.0 * 0.1 * (1.0 * nA).raw().powi(2);
        // sampling errors: sd of the mean √(v/n), relative sd of the variance √(2/n)
        assert!(m.abs() < 4.0 * (expected / 2e4).sqrt(), "mean {m}");
        assert!(
            (v / expected - 1.0).abs() < 4.0 * (2.0f64 / 2e4).sqrt(),
            "var {v} vs {expected}"
        );
        // neurons draw independent values
        let (_, v_across) = mean_var(&last);
        assert!((v_across / expected - 1.0).abs() < 4.0 * (2.0f64 / 1e3).sqrt());
    }

    #[test]
    fn ornstein_uhlenbeck_has_the_stationary_mean_variance_and_correlation_time() {
        let (mu, sigma, tau, dt) = (0.5, 0.3, 5.0, 0.1);
        let ou = NoiseProcess::OrnsteinUhlenbeck {
            mean: mu * nA,
            sigma: sigma * nA,
            tau: tau * ms,
        };
        // 1000 neurons run 400 ms (80 τ): their values at the end are independent stationary draws
        let (_, last) = path(ou, 1000, 4000);
        let unit = (1.0 * nA).raw();
        let (m, v) = mean_var(&last);
        let expected_var = sigma * sigma * tau / (2.0 - dt / tau) * unit * unit;
        assert!(
            (m - mu * unit).abs() < 4.0 * (expected_var / 1e3).sqrt(),
            "mean {m}"
        );
        assert!(
            (v / expected_var - 1.0).abs() < 4.0 * (2.0f64 / 1e3).sqrt(),
            "var {v} vs {expected_var}"
        );
        // one long trace (after a burn-in): lag-k autocorrelation (1 − dt/τ)^k; at lag τ/dt
        // = 50 steps, e^-1 within sampling error
        let (long, _) = path(ou, 1, 400_000);
        let x = &long[1000..];
        let (m1, v1) = mean_var(x);
        let lag = 50;
        let c: f64 = x
            .windows(lag + 1)
            .map(|w| (w[0] - m1) * (w[lag] - m1))
            .sum::<f64>()
            / ((x.len() - lag) as f64 * v1);
        let expected = (1.0 - dt / tau).powi(lag as i32);
        // the estimate's sd is about √(τ/(dt·len)) ≈ 0.011 here
        assert!(
            (c - expected).abs() < 0.05,
            "autocorrelation {c} vs {expected}"
        );
    }

    #[test]
    fn bad_parameters_are_refused() {
        let pop = Pop::<Lif>::new(1, 0, 3);
        let ou = |sigma: f64, tau: f64| {
            NoiseCurrent::new(
                pop,
                NoiseProcess::OrnsteinUhlenbeck {
                    mean: 0.0 * nA,
                    sigma: sigma * nA,
                    tau: tau * ms,
                },
                None,
                1,
            )
        };
        assert!(ou(-1.0, 5.0).is_err());
        assert!(ou(1.0, 0.0).is_err());
        assert!(ou(f64::NAN, 5.0).is_err());
        assert!(NoiseCurrent::wiener(pop, f64::INFINITY * nA, 1).is_err());
        assert!(ou(1.0, 5.0).is_ok());
    }
}
