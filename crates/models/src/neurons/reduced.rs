//! Reduced (dimensionless) neuron models: FitzHughNagumo and HindmarshRose.
//!
//! The potential, the input and δ-inputs are pure numbers (`Ratio`); only the time constants
//! carry a unit. BrainPy 2.9.0's step advances every variable from the start-of-step values
//! (a Jacobi sweep): the input `I` is evaluated once at the old `V`, `V` takes one
//! exponential-Euler step linearised at the old `V` (its cubic is in the Jacobian), each other
//! variable relaxes exactly with the old `V` frozen, then δ-inputs are added to `V`. A spike is
//! an upward crossing of `V_th` in the step (`V_new ≥ V_th` and `V_old < V_th`); there is no
//! reset, and `spk_reset` is accepted and ignored, as in BrainPy.
//!
//! Each model states its equations once ([`Dynamics`]): one joint right-hand side with the
//! input frozen over the step ([`Dynamics::FROZEN_INPUT`]) and the spike as a rising crossing
//! ([`Dynamics::RISING`]). Exponential Euler evaluates it at the start of the step (exactly the
//! sweep above); Euler, RK2, midpoint and RK4 integrate the coupled system.
//!
//! BrainPy tests a spike as `H((V − V_th)/V_th)`, which means `V ≥ V_th` only when `V_th > 0`
//! (the default is 1); neurotype tests `V ≥ V_th` directly, whatever the sign of `V_th`.

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::rng;
use crate::state_columns;
use crate::stepper::Dynamics;
use crate::stepper::NeuronCore;
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

// ---------------------------------------------------------------------------------------------
// FitzHughNagumo

model_params! {
    /// Parameters of [`FitzHughNagumo`] (BrainPy's defaults).
    FitzHughNagumoParams / FitzHughNagumoScalar for FitzHughNagumoBuilder {
        /// Offset a of the recovery equation.
        a: Ratio = ratio(0.7), "a";
        /// Recovery self-coupling b.
        b: Ratio = ratio(0.8), "b";
        /// Time constant τ of V.
        tau: Time = 1.0 * ms, "tau" where > 0;
        /// Time constant τ_w of the recovery variable w.
        tau_w: Time = 12.5 * ms, "tau_w" where > 0;
        /// Spike threshold V_th (upward crossing).
        v_th: Ratio = ratio(1.0), "V_th";
    }
}

/// State of one FitzHugh-Nagumo neuron: `(V, w)`.
pub type FitzHughNagumoState = (Ratio, Ratio);

state_columns! {
    /// The state of a [`FitzHughNagumo`] population.
    pub struct FitzHughNagumoColumns / FitzHughNagumoView / FitzHughNagumoKeys {
        /// Potential.
        v: Ratio => "V",
        /// Recovery variable.
        w: Ratio => "w",
    }
}

/// The FitzHugh-Nagumo neuron (BrainPy `FitzHughNagumo`), dimensionless:
///
/// ```text
/// τ dV/dt   = V − V³/3 − w + I
/// τ_w dw/dt = V + a − b·w
/// spike when V crosses V_th upwards; no reset
/// ```
///
/// Step order (BrainPy's): `I` at the old `V`; `V` by one exponential-Euler step with `w`
/// frozen (Jacobian `(1 − V²)/τ`); `w` relaxes exactly with the old `V` frozen; δ-inputs are
/// added to `V`; spike if `V_old < V_th ≤ V_new`.
///
/// Defaults: a = 0.7, b = 0.8, τ = 1 ms, τ_w = 12.5 ms, V_th = 1; V₀ = −1.2, w₀ = −0.62.
///
/// ```
/// use neurotype_models::prelude::*;
/// let fhn = FitzHughNagumo::builder(10).tau_w(20.0 * ms).build()?;
/// assert_eq!(fhn.potential().get(0), ratio(-1.2));
/// assert!(FitzHughNagumo::builder(1).tau(0.0 * ms).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct FitzHughNagumo {
    core: NeuronCore<FitzHughNagumo>,
    v_init: Init<Ratio>,
    w_init: Init<Ratio>,
}

/// Builder of [`FitzHughNagumo`].
#[derive(Clone, Debug)]
pub struct FitzHughNagumoBuilder {
    n: usize,
    params: FitzHughNagumoParams,
    options: Options,
    v_init: Init<Ratio>,
    w_init: Init<Ratio>,
}

option_setters!(FitzHughNagumoBuilder);
model_builder!(FitzHughNagumoBuilder => FitzHughNagumo, owner(_b) "FitzHughNagumo",
    FitzHughNagumoParams);

impl FitzHughNagumoBuilder {
    /// Initial potential (default −1.2). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial recovery variable (default −0.62). BrainPy: `w_initializer`.
    pub fn w_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.w_init = init.into();
        self
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<FitzHughNagumo, InvalidParameter> {
        const OWNER: &str = "FitzHughNagumo";
        let n = self.n;
        let p = &self.params;
        p.check_shapes(OWNER, n)?;
        p.check_constraints(OWNER, n)?;
        self.v_init.check(OWNER, "V_initializer", n)?;
        self.w_init.check(OWNER, "w_initializer", n)?;
        let mut model = FitzHughNagumo {
            core: NeuronCore::new(n, self.params, (), &self.options, None),
            v_init: self.v_init,
            w_init: self.w_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl FitzHughNagumo {
    /// A builder for `n` neurons with BrainPy's `FitzHughNagumo` defaults.
    pub fn builder(n: usize) -> FitzHughNagumoBuilder {
        FitzHughNagumoBuilder {
            n,
            params: FitzHughNagumoParams::default(),
            options: Options::default(),
            v_init: Init::Constant(ratio(-1.2)),
            w_init: Init::Constant(ratio(-0.62)),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &FitzHughNagumoParams {
        &self.core.params
    }

    /// The potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<Ratio> {
        &mut self.core.state.v
    }

    /// The recovery variable `w`.
    pub fn recovery(&self) -> &Column<Ratio> {
        &self.core.state.w
    }
}

impl Dynamics for FitzHughNagumo {
    type Params = FitzHughNagumoScalar;
    type ParamSet = FitzHughNagumoParams;
    type Config = ();
    type State = FitzHughNagumoState;
    type Columns = FitzHughNagumoColumns;
    const RISING: bool = true;
    const FROZEN_INPUT: bool = true;

    core_access!();

    #[inline(always)]
    fn potential(x: &FitzHughNagumoState) -> Ratio {
        x.0
    }

    #[inline(always)]
    fn threshold(
        _c: &(),
        p: &FitzHughNagumoScalar,
        _ctx: &StepCtx,
        x: &FitzHughNagumoState,
    ) -> bool {
        x.0 >= p.v_th
    }

    /// The equations with `∂V̇/∂V = (1 − V²)/τ` and `∂ẇ/∂w = −b/τ_w`.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &FitzHughNagumoScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, w): &FitzHughNagumoState,
        input: &I,
        k: usize,
    ) -> ((Frequency, Frequency), (Frequency, Frequency)) {
        let input = input.input_at(k, v).0;
        (
            (
                (v - v * v * v / 3.0 - w + input) / p.tau,
                (v + p.a - p.b * w) / p.tau_w,
            ),
            ((ratio(1.0) - v * v) / p.tau, -p.b / p.tau_w),
        )
    }

    /// δ-inputs are added to `V` after integration.
    #[inline(always)]
    fn add_jump((v, w): FitzHughNagumoState, jump: Ratio) -> FitzHughNagumoState {
        (v + jump, w)
    }
}

impl NeuronUnits for FitzHughNagumo {
    type Potential = Ratio;
    type Input = Ratio;
    type Conductance = Ratio;
    type Jump = Ratio;
}

impl Neuron for FitzHughNagumo {
    fn model_name(&self) -> &'static str {
        "FitzHughNagumo"
    }
    fn potential(&self) -> &Column<Ratio> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        self.core.state.w = Column::from_raw(self.w_init.sample(n, &mut rng::stream(seed, 1)));
        self.core.clear();
    }
}

// ---------------------------------------------------------------------------------------------
// HindmarshRose

model_params! {
    /// Parameters of [`HindmarshRose`] (BrainPy's defaults).
    HindmarshRoseParams / HindmarshRoseScalar for HindmarshRoseBuilder {
        /// Cubic coefficient a.
        a: Ratio = ratio(1.0), "a";
        /// Quadratic coefficient b.
        b: Ratio = ratio(3.0), "b";
        /// Constant c of the spiking variable y.
        c: Ratio = ratio(1.0), "c";
        /// Quadratic coefficient d of the spiking variable y.
        d: Ratio = ratio(5.0), "d";
        /// Rate r of the slow adaptation z (relative to 1/τ).
        r: Ratio = ratio(0.006), "r";
        /// Coupling s of the adaptation to V.
        s: Ratio = ratio(4.0), "s";
        /// Resting potential V_r of the adaptation.
        v_r: Ratio = ratio(-1.6), "V_r";
        /// Time constant τ.
        tau: Time = 1.0 * ms, "tau" where > 0;
        /// Spike threshold V_th (upward crossing).
        v_th: Ratio = ratio(1.0), "V_th";
    }
}

/// State of one Hindmarsh-Rose neuron: `(V, y, z)`.
pub type HindmarshRoseState = (Ratio, Ratio, Ratio);

state_columns! {
    /// The state of a [`HindmarshRose`] population.
    pub struct HindmarshRoseColumns / HindmarshRoseView / HindmarshRoseKeys {
        /// Potential.
        v: Ratio => "V",
        /// Spiking variable.
        y: Ratio => "y",
        /// Slow adaptation.
        z: Ratio => "z",
    }
}

/// The Hindmarsh-Rose neuron (BrainPy `HindmarshRose`), dimensionless:
///
/// ```text
/// τ dV/dt = y − a·V³ + b·V² − z + I
/// τ dy/dt = c − d·V² − y
/// τ dz/dt = r·(s·(V − V_r) − z)
/// spike when V crosses V_th upwards; no reset
/// ```
///
/// Step order (BrainPy's): `I` at the old `V`; `V` by one exponential-Euler step with `y`, `z`
/// frozen (Jacobian `(−3a·V² + 2b·V)/τ`); `y` and `z` relax exactly with the old `V` frozen;
/// δ-inputs are added to `V`; spike if `V_old < V_th ≤ V_new`.
///
/// Defaults: a = 1, b = 3, c = 1, d = 5, r = 0.006, s = 4, V_r = −1.6, τ = 1 ms, V_th = 1;
/// V₀ = −1.6, y₀ = −10, z₀ = 0.
///
/// ```
/// use neurotype_models::prelude::*;
/// let hr = HindmarshRose::builder(10).r(ratio(0.005)).build()?;
/// assert_eq!(hr.potential().get(0), ratio(-1.6));
/// assert!(HindmarshRose::builder(1).tau(-1.0 * ms).build().is_err());
/// # Ok::<(), InvalidParameter>(())
/// ```
#[derive(Clone, Debug)]
pub struct HindmarshRose {
    core: NeuronCore<HindmarshRose>,
    v_init: Init<Ratio>,
    y_init: Init<Ratio>,
    z_init: Init<Ratio>,
}

/// Builder of [`HindmarshRose`].
#[derive(Clone, Debug)]
pub struct HindmarshRoseBuilder {
    n: usize,
    params: HindmarshRoseParams,
    options: Options,
    v_init: Init<Ratio>,
    y_init: Init<Ratio>,
    z_init: Init<Ratio>,
}

option_setters!(HindmarshRoseBuilder);
model_builder!(HindmarshRoseBuilder => HindmarshRose, owner(_b) "HindmarshRose",
    HindmarshRoseParams);

impl HindmarshRoseBuilder {
    /// Initial potential (default −1.6). BrainPy: `V_initializer`.
    pub fn v_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Initial spiking variable y (default −10). BrainPy: `y_initializer`.
    pub fn y_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.y_init = init.into();
        self
    }

    /// Initial adaptation z (default 0). BrainPy: `z_initializer`.
    pub fn z_init(mut self, init: impl Into<Init<Ratio>>) -> Self {
        self.z_init = init.into();
        self
    }

    /// Validates and builds the population.
    pub fn build(self) -> Result<HindmarshRose, InvalidParameter> {
        const OWNER: &str = "HindmarshRose";
        let n = self.n;
        let p = &self.params;
        p.check_shapes(OWNER, n)?;
        p.check_constraints(OWNER, n)?;
        self.v_init.check(OWNER, "V_initializer", n)?;
        self.y_init.check(OWNER, "y_initializer", n)?;
        self.z_init.check(OWNER, "z_initializer", n)?;
        let mut model = HindmarshRose {
            core: NeuronCore::new(n, self.params, (), &self.options, None),
            v_init: self.v_init,
            y_init: self.y_init,
            z_init: self.z_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl HindmarshRose {
    /// A builder for `n` neurons with BrainPy's `HindmarshRose` defaults.
    pub fn builder(n: usize) -> HindmarshRoseBuilder {
        HindmarshRoseBuilder {
            n,
            params: HindmarshRoseParams::default(),
            options: Options::default(),
            v_init: Init::Constant(ratio(-1.6)),
            y_init: Init::Constant(ratio(-10.0)),
            z_init: Init::Constant(ratio(0.0)),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &HindmarshRoseParams {
        &self.core.params
    }

    /// The potentials, mutable (to set a state by hand).
    pub fn potential_mut(&mut self) -> &mut Column<Ratio> {
        &mut self.core.state.v
    }

    /// The spiking variable `y`.
    pub fn spiking(&self) -> &Column<Ratio> {
        &self.core.state.y
    }

    /// The slow adaptation `z`.
    pub fn adaptation(&self) -> &Column<Ratio> {
        &self.core.state.z
    }
}

impl Dynamics for HindmarshRose {
    type Params = HindmarshRoseScalar;
    type ParamSet = HindmarshRoseParams;
    type Config = ();
    type State = HindmarshRoseState;
    type Columns = HindmarshRoseColumns;
    const RISING: bool = true;
    const FROZEN_INPUT: bool = true;

    core_access!();

    #[inline(always)]
    fn potential(x: &HindmarshRoseState) -> Ratio {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &HindmarshRoseScalar, _ctx: &StepCtx, x: &HindmarshRoseState) -> bool {
        x.0 >= p.v_th
    }

    /// The equations with `∂V̇/∂V = (−3a·V² + 2b·V)/τ`, `∂ẏ/∂y = −1/τ`, `∂ż/∂z = −r/τ`.
    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &HindmarshRoseScalar,
        _ctx: &StepCtx,
        _t: Time,
        &(v, y, z): &HindmarshRoseState,
        input: &I,
        k: usize,
    ) -> (
        (Frequency, Frequency, Frequency),
        (Frequency, Frequency, Frequency),
    ) {
        let input = input.input_at(k, v).0;
        let v2 = v * v;
        (
            (
                (y - p.a * (v * v2) + p.b * v2 - z + input) / p.tau,
                (p.c - p.d * v2 - y) / p.tau,
                (p.r * (p.s * (v - p.v_r) - z)) / p.tau,
            ),
            (
                (-3.0 * p.a * v2 + 2.0 * p.b * v) / p.tau,
                -1.0 / p.tau,
                -p.r / p.tau,
            ),
        )
    }

    /// δ-inputs are added to `V` after integration.
    #[inline(always)]
    fn add_jump((v, y, z): HindmarshRoseState, jump: Ratio) -> HindmarshRoseState {
        (v + jump, y, z)
    }
}

impl NeuronUnits for HindmarshRose {
    type Potential = Ratio;
    type Input = Ratio;
    type Conductance = Ratio;
    type Jump = Ratio;
}

impl Neuron for HindmarshRose {
    fn model_name(&self) -> &'static str {
        "HindmarshRose"
    }
    fn potential(&self) -> &Column<Ratio> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        let seed = self.core.seed;
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut rng::stream(seed, 0)));
        self.core.state.y = Column::from_raw(self.y_init.sample(n, &mut rng::stream(seed, 1)));
        self.core.state.z = Column::from_raw(self.z_init.sample(n, &mut rng::stream(seed, 2)));
        self.core.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;
    use crate::neuron::ModelBuilder;
    use crate::param::Param;
    use neurotype_solvers::{Method, TimeStep};
    use neurotype_units::Real;

    fn step_of(dt_ms: Real) -> TimeStep {
        TimeStep::new(dt_ms * ms).unwrap()
    }

    /// Runs `steps` steps under a constant input; returns each neuron's spike times (ms).
    fn spike_times<N: Neuron<Input = Ratio>>(
        model: &mut N,
        x: Real,
        dt_ms: Real,
        steps: u64,
    ) -> Vec<Vec<Real>> {
        let dt = step_of(dt_ms);
        let mut drive = Drive::<N>::new(model.len());
        let mut times = vec![Vec::new(); model.len()];
        for k in 0..steps {
            drive.clear();
            drive.set_external(ratio(x));
            model.step(&StepCtx::new(k, dt), &drive);
            for (t, &s) in times.iter_mut().zip(model.spikes()) {
                if s {
                    t.push((k + 1) as Real * dt_ms);
                }
            }
        }
        times
    }

    fn close(a: Real, b: Real, rtol: Real) -> bool {
        (a - b).abs() <= rtol * b.abs().max(1e-300)
    }

    #[test]
    fn fitzhugh_nagumo_defaults_and_one_step() {
        let fhn = FitzHughNagumo::builder(3).build().unwrap();
        assert_eq!(fhn.potential().get(2), ratio(-1.2));
        assert_eq!(fhn.recovery().get(2), ratio(-0.62));
        let names: Vec<_> = fhn.state_vars().iter().map(|v| v.name).collect();
        assert_eq!(names, ["V", "w"]);
        // one exponential-Euler step from (V, w) = (0.5, 0.1) with I = 0.3, dt = 0.1 ms
        let (v0, w0, i, dt) = (0.5, 0.1, 0.3, 0.1);
        let mut one = FitzHughNagumo::builder(1)
            .v_init(ratio(v0))
            .w_init(ratio(w0))
            .build()
            .unwrap();
        spike_times(&mut one, i, dt, 1);
        // V: linearised at V₀ with w frozen: V₀ + f·(e^{J·dt} − 1)/J
        let f = v0 - v0.powi(3) / 3.0 - w0 + i;
        let j = 1.0 - v0 * v0;
        let v1 = v0 + f * ((j * dt).exp() - 1.0) / j;
        assert!(close(one.potential().raw()[0], v1, 1e-13));
        // w: exact relaxation towards (V₀ + a)/b with rate b/τ_w
        let w_inf = (v0 + 0.7) / 0.8;
        let w1 = w_inf + (w0 - w_inf) * (-0.8 * dt / 12.5).exp();
        assert!(close(one.recovery().raw()[0], w1, 1e-13));
    }

    #[test]
    fn fitzhugh_nagumo_oscillates_under_input_and_rests_without() {
        let mut fhn = FitzHughNagumo::builder(1).build().unwrap();
        let times = &spike_times(&mut fhn, 0.5, 0.05, 6_000)[0];
        assert!(times.len() >= 5, "{times:?}");
        // a limit cycle: the late inter-spike intervals agree
        let isi: Vec<Real> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let (a, b) = (isi[isi.len() - 1], isi[isi.len() - 2]);
        assert!((a - b).abs() < 0.2, "{isi:?}");
        let mut fhn = FitzHughNagumo::builder(1).build().unwrap();
        assert!(spike_times(&mut fhn, 0.0, 0.05, 6_000)[0].is_empty());
        // at rest near the fixed point V* ≈ −1.1994
        assert!((fhn.potential().raw()[0] + 1.1994).abs() < 1e-3);
    }

    #[test]
    fn every_method_gives_the_same_fitzhugh_nagumo_rhythm() {
        let mut counts = Vec::new();
        for method in Method::ALL {
            let mut fhn = FitzHughNagumo::builder(1).method(method).build().unwrap();
            counts.push(spike_times(&mut fhn, 0.5, 0.01, 30_000)[0].len());
        }
        assert!(counts[0] >= 5);
        assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
    }

    #[test]
    fn hindmarsh_rose_defaults_one_step_and_firing() {
        let hr = HindmarshRose::builder(2).build().unwrap();
        assert_eq!(hr.potential().get(1), ratio(-1.6));
        assert_eq!(hr.spiking().get(1), ratio(-10.0));
        assert_eq!(hr.adaptation().get(1), ratio(0.0));
        let names: Vec<_> = hr.state_vars().iter().map(|v| v.name).collect();
        assert_eq!(names, ["V", "y", "z"]);
        // one step from (V, y, z) = (0.4, −1, 0.2), I = 2, dt = 0.1 ms
        let (v0, y0, z0, i, dt) = (0.4, -1.0, 0.2, 2.0, 0.1);
        let mut one = HindmarshRose::builder(1)
            .v_init(ratio(v0))
            .y_init(ratio(y0))
            .z_init(ratio(z0))
            .build()
            .unwrap();
        spike_times(&mut one, i, dt, 1);
        let f = y0 - v0.powi(3) + 3.0 * v0 * v0 - z0 + i;
        let j = -3.0 * v0 * v0 + 6.0 * v0;
        assert!(close(
            one.potential().raw()[0],
            v0 + f * ((j * dt).exp() - 1.0) / j,
            1e-13
        ));
        let y_inf = 1.0 - 5.0 * v0 * v0;
        let y1 = y_inf + (y0 - y_inf) * (-dt).exp();
        assert!(close(one.spiking().raw()[0], y1, 1e-13));
        let z_inf = 4.0 * (v0 + 1.6);
        let z1 = z_inf + (z0 - z_inf) * (-0.006 * dt).exp();
        assert!(close(one.adaptation().raw()[0], z1, 1e-13));
        // spikes under I = 3, none under I = 0 from its resting state
        let mut hr = HindmarshRose::builder(1).build().unwrap();
        let times = &spike_times(&mut hr, 3.0, 0.05, 10_000)[0];
        assert!(times.len() >= 5, "{times:?}");
        let mut hr = HindmarshRose::builder(1)
            .y_init(ratio(-11.8))
            .build()
            .unwrap();
        assert!(spike_times(&mut hr, 0.0, 0.05, 10_000)[0].is_empty());
    }

    #[test]
    fn jumps_are_added_to_v_after_integration() {
        let dt = step_of(0.1);
        let mut plain = FitzHughNagumo::builder(1).build().unwrap();
        let mut kicked = FitzHughNagumo::builder(1).build().unwrap();
        let mut drive = Drive::<FitzHughNagumo>::new(1);
        plain.step(&StepCtx::new(0, dt), &drive);
        drive.delta_mut().set(0, ratio(0.25));
        kicked.step(&StepCtx::new(0, dt), &drive);
        let dv = kicked.potential().get(0) - plain.potential().get(0);
        assert!((dv.value - 0.25).abs() < 1e-14);
        assert_eq!(kicked.recovery(), plain.recovery());
        // a kick across V_th is a spike
        let mut hr = HindmarshRose::builder(1).build().unwrap();
        let mut drive = Drive::<HindmarshRose>::new(1);
        drive.delta_mut().set(0, ratio(4.0));
        hr.step(&StepCtx::new(0, dt), &drive);
        assert!(hr.spikes()[0]);
        // and staying above it is not
        drive.delta_mut().set(0, ratio(0.0));
        hr.step(&StepCtx::new(1, dt), &drive);
        assert!(hr.potential().get(0) >= ratio(1.0));
        assert!(!hr.spikes()[0]);
    }

    #[test]
    fn invalid_parameters_are_refused_by_name() {
        let err = FitzHughNagumo::builder(1)
            .tau(0.0 * ms)
            .build()
            .unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("FitzHughNagumo", "tau")
        );
        let err = FitzHughNagumo::builder(1)
            .tau_w(-1.0 * ms)
            .build()
            .unwrap_err();
        assert_eq!(err.name, "tau_w");
        let err = HindmarshRose::builder(1).tau(0.0 * ms).build().unwrap_err();
        assert_eq!(
            (err.owner.as_str(), err.name.as_str()),
            ("HindmarshRose", "tau")
        );
        let err = HindmarshRose::builder(2)
            .s(vec![ratio(4.0); 3])
            .build()
            .unwrap_err();
        assert_eq!(err.name, "s");
        let err = HindmarshRose::builder(1)
            .v_init(Init::uniform(ratio(1.0), ratio(0.0)))
            .build()
            .unwrap_err();
        assert!(err.name.starts_with("V_initializer"));
    }

    #[test]
    fn keywords_are_brainpys() {
        let fhn = FitzHughNagumo::builder(1)
            .set("a", "0.5")
            .and_then(|b| b.set("tau_w", "10 ms"))
            .and_then(|b| b.set("V_th", "1.5"))
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(fhn.params().a, Param::Scalar(ratio(0.5)));
        assert_eq!(fhn.params().tau_w, Param::Scalar(10.0 * ms));
        assert!(FitzHughNagumo::builder(1).set("V_th", "1 mV").is_err());
        let hr = HindmarshRose::builder(1)
            .set("V_r", "-1.5")
            .and_then(|b| b.build())
            .unwrap();
        assert_eq!(hr.params().v_r, Param::Scalar(ratio(-1.5)));
    }
}
