//! Adaptive Dormand-Prince 5(4) with error control, for reference solutions.

use crate::ode::Ode;
use crate::state::State;
use neurotype_units::Real;
use neurotype_units::format::Unitful;
use neurotype_units::{InvalidParameter, Raw, Time, check};

/// Why an adaptive solve stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolverError {
    /// A setting was invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidParameter),
    /// The step size fell below the resolution of `t`.
    #[error("step size underflow at t = {t}: the problem is too stiff for these tolerances")]
    StepSizeUnderflow {
        /// Where it happened.
        t: String,
    },
    /// `max_steps` was reached before the end time.
    #[error("{max_steps} steps were not enough to reach the end; stopped at t = {t}")]
    TooManySteps {
        /// The limit.
        max_steps: usize,
        /// Where it stopped.
        t: String,
    },
    /// The solution became NaN or infinite.
    #[error("the state became non-finite at t = {t}")]
    NonFinite {
        /// Where it happened.
        t: String,
    },
}

/// Counters of an adaptive solve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SolveStats {
    /// Accepted steps.
    pub accepted: usize,
    /// Rejected steps.
    pub rejected: usize,
    /// Right-hand-side evaluations.
    pub evaluations: usize,
}

/// The Dormand-Prince 5(4) embedded Runge-Kutta pair with step-size control (the method of
/// `scipy`'s `RK45`, BrainPy's `ode_dopri5_step` and Brian2's reference solutions).
///
/// The local error estimate of each component is compared with `atol + rtol·|x|`, where `atol`
/// is in the stored units of that component (ms, mV, mS, µA, ... — see
/// `neurotype_units::system`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dopri5 {
    rtol: Real,
    atol: Real,
    max_steps: usize,
    initial_step: Option<Time>,
}

// Butcher tableau of Dormand & Prince (1980).
const C2: Real = 1.0 / 5.0;
const C3: Real = 3.0 / 10.0;
const C4: Real = 4.0 / 5.0;
const C5: Real = 8.0 / 9.0;
const A21: Real = 1.0 / 5.0;
const A31: Real = 3.0 / 40.0;
const A32: Real = 9.0 / 40.0;
const A41: Real = 44.0 / 45.0;
const A42: Real = -56.0 / 15.0;
const A43: Real = 32.0 / 9.0;
const A51: Real = 19372.0 / 6561.0;
const A52: Real = -25360.0 / 2187.0;
const A53: Real = 64448.0 / 6561.0;
const A54: Real = -212.0 / 729.0;
const A61: Real = 9017.0 / 3168.0;
const A62: Real = -355.0 / 33.0;
const A63: Real = 46732.0 / 5247.0;
const A64: Real = 49.0 / 176.0;
const A65: Real = -5103.0 / 18656.0;
const B1: Real = 35.0 / 384.0;
const B3: Real = 500.0 / 1113.0;
const B4: Real = 125.0 / 192.0;
const B5: Real = -2187.0 / 6784.0;
const B6: Real = 11.0 / 84.0;
// Difference between the 5th- and 4th-order weights.
const E1: Real = 71.0 / 57600.0;
const E3: Real = -71.0 / 16695.0;
const E4: Real = 71.0 / 1920.0;
const E5: Real = -17253.0 / 339200.0;
const E6: Real = 22.0 / 525.0;
const E7: Real = -1.0 / 40.0;

impl Dopri5 {
    /// A solver with relative tolerance `rtol` and absolute tolerance `atol` (both > 0).
    pub fn new(rtol: Real, atol: Real) -> Result<Self, InvalidParameter> {
        for (name, v) in [("rtol", rtol), ("atol", atol)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(InvalidParameter::new(
                    "Dopri5",
                    name,
                    format!("{v}"),
                    "must be finite and > 0",
                ));
            }
        }
        Ok(Self {
            rtol,
            atol,
            max_steps: 1_000_000,
            initial_step: None,
        })
    }

    /// Caps the number of accepted plus rejected steps (default 10⁶).
    pub fn max_steps(mut self, max_steps: usize) -> Self {
        self.max_steps = max_steps;
        self
    }

    /// Sets the first trial step (default: chosen from the initial derivative).
    pub fn initial_step(mut self, h: Time) -> Result<Self, InvalidParameter> {
        self.initial_step = Some(check::positive("Dopri5", "initial_step", h)?);
        Ok(self)
    }

    /// Integrates from `(t0, x0)` to `t_end` and returns the final state.
    pub fn solve<O: Ode>(
        &self,
        ode: &O,
        t0: Time,
        x0: O::State,
        t_end: Time,
    ) -> Result<(O::State, SolveStats), SolverError> {
        let mut out = self.solve_at(ode, t0, x0, &[t_end])?;
        Ok((out.0.pop().expect("one output"), out.1))
    }

    /// Integrates from `(t0, x0)` and returns the state at each of `times` (increasing, all
    /// ≥ t0). Steps land exactly on every requested time.
    pub fn solve_at<O: Ode>(
        &self,
        ode: &O,
        t0: Time,
        x0: O::State,
        times: &[Time],
    ) -> Result<(Vec<O::State>, SolveStats), SolverError> {
        check::finite("Dopri5", "t0", t0)?;
        let mut previous = t0;
        for (k, &t) in times.iter().enumerate() {
            check::finite("Dopri5", &format!("times[{k}]"), t)?;
            if t < previous {
                return Err(InvalidParameter::new(
                    "Dopri5",
                    format!("times[{k}]"),
                    t.show().to_string(),
                    format!("must be >= {} (times increase from t0)", previous.show()),
                )
                .into());
            }
            previous = t;
        }

        let mut stats = SolveStats::default();
        let mut out = Vec::with_capacity(times.len());
        let mut t = t0;
        let mut x = x0;
        let mut k1 = ode.rhs(t, &x);
        stats.evaluations += 1;
        let span = times.last().map_or(0.0, |&e| (e - t0).value.abs());
        let mut h = match self.initial_step {
            Some(h) => h.value,
            None => self.initial_step_guess::<O>(&x, &k1, span),
        };

        for &target in times {
            while t < target {
                if stats.accepted + stats.rejected >= self.max_steps {
                    return Err(SolverError::TooManySteps {
                        max_steps: self.max_steps,
                        t: t.show().to_string(),
                    });
                }
                let remaining = (target - t).value;
                let last = h >= remaining;
                let step = if last { remaining } else { h };
                if step <= Real::EPSILON * t.value.abs().max(1.0) * 4.0 && !last {
                    return Err(SolverError::StepSizeUnderflow {
                        t: t.show().to_string(),
                    });
                }
                let hq = Time::from_raw(step);
                let (x_new, k7, err) = self.attempt(ode, t, &x, &k1, hq);
                stats.evaluations += 6;
                if !err.is_finite() {
                    if step < 1e-300 {
                        return Err(SolverError::NonFinite {
                            t: t.show().to_string(),
                        });
                    }
                    h = step * 0.1;
                    stats.rejected += 1;
                    continue;
                }
                // Standard controller: h ← h·clamp(0.9·err^(-1/5), 0.2, 5).
                let factor = if err == 0.0 {
                    5.0
                } else {
                    (0.9 * err.powf(-0.2)).clamp(0.2, 5.0)
                };
                if err <= 1.0 {
                    stats.accepted += 1;
                    t = if last { target } else { t + hq };
                    x = x_new;
                    k1 = k7; // first-same-as-last
                    if !last || factor < 1.0 {
                        h = step * factor;
                    }
                } else {
                    stats.rejected += 1;
                    h = step * factor.min(1.0);
                }
            }
            out.push(x);
        }
        Ok((out, stats))
    }

    fn initial_step_guess<O: Ode>(
        &self,
        x: &O::State,
        f: &<O::State as State>::Rate,
        span: Real,
    ) -> Real {
        let mut d0: Real = 0.0;
        let mut d1: Real = 0.0;
        for i in 0..O::State::DIM {
            let sc = self.atol + self.rtol * x.component(i).abs();
            d0 = d0.max((x.component(i) / sc).abs());
            d1 = d1.max((O::State::rate_component(f, i) / sc).abs());
        }
        let guess = if d0 < 1e-5 || d1 < 1e-5 {
            1e-6
        } else {
            0.01 * d0 / d1
        };
        if span > 0.0 { guess.min(span) } else { guess }
    }

    /// One trial step: the 5th-order solution, the derivative at its end, and the scaled error
    /// norm (≤ 1 means accept).
    fn attempt<O: Ode>(
        &self,
        ode: &O,
        t: Time,
        x: &O::State,
        k1: &<O::State as State>::Rate,
        h: Time,
    ) -> (O::State, <O::State as State>::Rate, Real) {
        type S<O> = <O as Ode>::State;
        let k2 = ode.rhs(t + C2 * h, &x.advance(h, &S::<O>::combine([A21], [k1])));
        let k3 = ode.rhs(
            t + C3 * h,
            &x.advance(h, &S::<O>::combine([A31, A32], [k1, &k2])),
        );
        let k4 = ode.rhs(
            t + C4 * h,
            &x.advance(h, &S::<O>::combine([A41, A42, A43], [k1, &k2, &k3])),
        );
        let k5 = ode.rhs(
            t + C5 * h,
            &x.advance(
                h,
                &S::<O>::combine([A51, A52, A53, A54], [k1, &k2, &k3, &k4]),
            ),
        );
        let k6 = ode.rhs(
            t + h,
            &x.advance(
                h,
                &S::<O>::combine([A61, A62, A63, A64, A65], [k1, &k2, &k3, &k4, &k5]),
            ),
        );
        let x_new = x.advance(
            h,
            &S::<O>::combine([B1, B3, B4, B5, B6], [k1, &k3, &k4, &k5, &k6]),
        );
        let k7 = ode.rhs(t + h, &x_new);
        let e = S::<O>::combine([E1, E3, E4, E5, E6, E7], [k1, &k3, &k4, &k5, &k6, &k7]);
        let mut sum = 0.0;
        for i in 0..S::<O>::DIM {
            let sc = self.atol + self.rtol * x.component(i).abs().max(x_new.component(i).abs());
            let ei = h.value * S::<O>::rate_component(&e, i) / sc;
            sum += ei * ei;
        }
        (x_new, k7, (sum / S::<O>::DIM as Real).sqrt())
    }
}
