//! The Traub-Miles Hodgkin-Huxley neuron of the COBA-HH benchmark (Brette et al. 2007;
//! Brian2's `COBAHH` example, NEST's `hh_cond_exp_traub`).

use crate::column::Column;
use crate::core_access;
use crate::drive::{InputAt, NeuronUnits};
use crate::macros::model_params;
use crate::neuron::{Neuron, StepCtx};
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::refractory::{Refractory, RefractoryKind};
use crate::state_columns;
use crate::stepper::NeuronCore;
use crate::stepper::{self, Dynamics};
use neurotype_solvers::{FixedStep, Method};
use neurotype_units::InvalidParameter;
use neurotype_units::Real;
use neurotype_units::math::scalar::{
    EXP_FAST_LIMIT, exp_expm1_fast_within, exp_fast_within, expm1_fast, expm1_fast_within,
};
use neurotype_units::prelude::*;

model_params! {
    /// Parameters of [`TraubHh`] (the COBA-HH benchmark's values: a 20000 µm² patch).
    TraubHhParams / TraubHhScalar for TraubHhBuilder {
        /// Membrane capacitance.
        c_m: Capacitance = 200.0 * pF, "Cm" where > 0;
        /// Leak conductance.
        g_l: ElectricalConductance = 10.0 * nS, "gl" where >= 0;
        /// Maximal sodium conductance.
        g_na: ElectricalConductance = 20.0 * uS, "g_na" where >= 0;
        /// Maximal delayed-rectifier potassium conductance.
        g_kd: ElectricalConductance = 6.0 * uS, "g_kd" where >= 0;
        /// Leak reversal potential.
        e_l: ElectricPotential = -60.0 * mV, "El";
        /// Potassium reversal potential.
        e_k: ElectricPotential = -90.0 * mV, "EK";
        /// Sodium reversal potential.
        e_na: ElectricPotential = 50.0 * mV, "ENa";
        /// Offset of the rate functions, V_T.
        v_t: ElectricPotential = -63.0 * mV, "VT";
        /// Spike detection threshold.
        v_th: ElectricPotential = -20.0 * mV, "V_th";
        /// Detection lock-out after a spike (the potential keeps integrating).
        tau_ref: Time = 3.0 * ms, "tau_ref" where >= 0;
    }
}

/// The six opening and closing rates at `u = V − V_T`: α_m, β_m, α_h, β_h, α_n, β_n (see
/// [`TraubHh`]), without library calls (so the population loop vectorises) and with one
/// division for the four quotients: each opening rate `c·z/(e^z − 1)` (→ c at z = 0) and
/// `β_h` share the reciprocal of the product of their denominators. β_h's exponent is β_m's
/// negated, so `β_h = 4/(1 + e^{(40−u)/5}) = 4E/(E + 1)` with `E = e^{(u−40)/5}`, which
/// comes with β_m's `E − 1` from one polynomial ([`exp_expm1_fast_within`]): five
/// exponentials, not six, each term within a few ulp of its formula. The product of the
/// denominators is finite for −1500 mV ≤ u ≤ 1800 mV in `f64` and −180 mV ≤ u ≤ 260 mV in
/// `f32` (|V| of a membrane stays well inside either), and u is clamped to that range: beyond
/// it the rates are those at its ends. Every exponent is then within the fast exponentials'
/// range, so they need no clamp of their own.
#[inline(always)]
fn traub_rates(u: ElectricPotential) -> [Frequency; 6] {
    let u = (u / mV).value.clamp(U_MIN, U_MAX);
    let (z_am, z_bm, z_an) = ((13.0 - u) * 0.25, (u - 40.0) * 0.2, (15.0 - u) * 0.2);
    // numerator and denominator of z/(e^z − 1), with the limit 1/1 at z = 0
    let quotient = |z: Real, e: Real| if z == 0.0 { (1.0, 1.0) } else { (z, e) };
    let (e_bm, em1_bm) = exp_expm1_fast_within(z_bm);
    let ((n_am, d_am), (n_bm, d_bm), (n_an, d_an)) = (
        quotient(z_am, expm1_fast_within(z_am)),
        quotient(z_bm, em1_bm),
        quotient(z_an, expm1_fast_within(z_an)),
    );
    let d_bh = e_bm + 1.0;
    let (p1, p2) = (d_am * d_bm, d_an * d_bh);
    let inv = 1.0 / (p1 * p2);
    let (inv1, inv2) = (inv * p2, inv * p1);
    [
        1.28 * n_am * (inv1 * d_bm),
        1.4 * n_bm * (inv1 * d_am),
        0.128 * exp_fast_within((17.0 - u) * (1.0 / 18.0)),
        4.0 * e_bm * (inv2 * d_an),
        0.16 * n_an * (inv2 * d_bh),
        0.5 * exp_fast_within((10.0 - u) * 0.025),
    ]
    .map(|r| r * per_ms)
}

/// The range of u = V − V_T (mV) the rates are computed over (see [`traub_rates`]).
const U_MIN: Real = if cfg!(feature = "f32") {
    -180.0
} else {
    -1500.0
};
const U_MAX: Real = if cfg!(feature = "f32") { 260.0 } else { 1800.0 };

/// The ionic conductances and current of one neuron: `g_Na·m³h`, `g_Kd·n⁴` and
/// `g_L(E_L − V) − g_Na·m³h·(V − E_Na) − g_Kd·n⁴·(V − E_K)`.
#[inline(always)]
fn ionic(
    p: &TraubHhScalar,
    (v, m, h, n): TraubState,
) -> (
    ElectricalConductance,
    ElectricalConductance,
    ElectricCurrent,
) {
    let g_na = p.g_na * (m * m * m * h);
    let n2 = n * n;
    let g_k = p.g_kd * (n2 * n2);
    let i_ion = p.g_l * (p.e_l - v) - g_na * (v - p.e_na) - g_k * (v - p.e_k);
    (g_na, g_k, i_ion)
}

/// The joint state (V, m, h, n).
pub type TraubState = (ElectricPotential, Ratio, Ratio, Ratio);

state_columns! {
    /// The state of a [`TraubHh`] population.
    pub struct TraubHhState / TraubHhView / TraubHhKeys {
        /// Membrane potential.
        v: ElectricPotential => "V",
        /// Sodium activation.
        m: Ratio => "m",
        /// Sodium inactivation.
        h: Ratio => "h",
        /// Potassium activation.
        n: Ratio => "n",
    }
}

/// Traub-Miles Hodgkin-Huxley neuron with sodium and delayed-rectifier potassium currents,
/// as in the COBA-HH benchmark:
///
/// ```text
/// C dV/dt = g_L(E_L − V) − g_Na·m³h·(V − E_Na) − g_Kd·n⁴·(V − E_K) + I(V)
/// dx/dt   = α_x(u)(1 − x) − β_x(u)·x,   x ∈ {m, h, n},   u = V − V_T (mV, rates in 1/ms)
/// α_m = 0.32(13 − u)/(e^{(13−u)/4} − 1)   β_m = 0.28(u − 40)/(e^{(u−40)/5} − 1)
/// α_h = 0.128·e^{(17−u)/18}               β_h = 4/(1 + e^{(40−u)/5})
/// α_n = 0.032(15 − u)/(e^{(15−u)/5} − 1)  β_n = 0.5·e^{(10−u)/40}
/// spike when V > V_th and t − t_spike ≥ τ_ref (detection lock-out; V is not reset)
/// ```
///
/// Exponential Euler advances every variable from the start-of-step state (Brian2's
/// `exponential_euler`): V relaxes exactly towards its instantaneous steady state with the
/// total conductance G (leak, channels and synapses, so COBA conductances are inside the
/// propagator), `V₁ = V + (e^{−dt·G/C} − 1)·(−I/G)`, and each gate towards x∞ at rate
/// s = α + β, `x₁ = x + (e^{−dt·s} − 1)·(x − α/s)`; one division serves the four quotients.
/// The removable singularities of the rates are handled exactly. Defaults are the benchmark's (C 200 pF, g_L 10 nS, g_Na 20 µS,
/// g_Kd 6 µS, E_L −60 mV, E_K −90 mV, E_Na 50 mV, V_T −63 mV, threshold −20 mV, 3 ms);
/// V₀ = −60 mV (the default E_L; it does not follow `e_l`) and m₀ = h₀ = n₀ = 0 unless
/// initialisers are given.
#[derive(Clone, Debug)]
pub struct TraubHh {
    core: NeuronCore<TraubHh>,
    v_init: Init<ElectricPotential>,
}

/// Builder of [`TraubHh`].
#[derive(Clone, Debug)]
pub struct TraubHhBuilder {
    n: usize,
    params: TraubHhParams,
    options: Options,
    v_init: Init<ElectricPotential>,
}

option_setters!(TraubHhBuilder);
model_builder!(TraubHhBuilder => TraubHh, owner(_b) "TraubHH", TraubHhParams);

impl TraubHhBuilder {
    /// Initial potential (default −60 mV, the default E_L).
    pub fn v_init(mut self, init: impl Into<Init<ElectricPotential>>) -> Self {
        self.v_init = init.into();
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<TraubHh, InvalidParameter> {
        let (n, p) = (self.n, &self.params);
        let owner = "TraubHH";
        p.check_shapes(owner, n)?;
        p.check_constraints(owner, n)?;
        self.v_init.check(owner, "V_initializer", n)?;
        let lockout = Refractory::new(n, self.params.tau_ref.clone(), false);
        let mut model = TraubHh {
            core: NeuronCore::new(n, self.params, (), &self.options, Some(lockout)),
            v_init: self.v_init,
        };
        model.reset_state();
        Ok(model)
    }
}

impl TraubHh {
    /// A builder with the benchmark's parameters.
    pub fn builder(n: usize) -> TraubHhBuilder {
        TraubHhBuilder {
            n,
            params: TraubHhParams::default(),
            options: Options::default(),
            v_init: Init::Constant(-60.0 * mV),
        }
    }
}

impl Dynamics for TraubHh {
    type Params = TraubHhScalar;
    type ParamSet = TraubHhParams;
    type Config = ();
    type State = TraubState;
    type Columns = TraubHhState;
    const REFRACTORY: RefractoryKind = RefractoryKind::Lockout;

    core_access!();

    #[inline(always)]
    fn potential(x: &TraubState) -> ElectricPotential {
        x.0
    }

    #[inline(always)]
    fn threshold(_c: &(), p: &TraubHhScalar, _ctx: &StepCtx, x: &TraubState) -> bool {
        x.0 > p.v_th
    }

    #[inline(always)]
    fn derivatives<I: InputAt<Self>>(
        _c: &(),
        p: &TraubHhScalar,
        _ctx: &StepCtx,
        _t: Time,
        x: &TraubState,
        input: &I,
        k: usize,
    ) -> (
        (VoltageRate, Frequency, Frequency, Frequency),
        (Frequency, Frequency, Frequency, Frequency),
    ) {
        let (v, m, h, n) = *x;
        let (input, g_syn) = input.input_at(k, v);
        let (g_na, g_k, i_ion) = ionic(p, *x);
        let [am, bm, ah, bh, an, bn] = traub_rates(v - p.v_t);
        let one = ratio(1.0);
        (
            (
                (i_ion + input) / p.c_m,
                am * (one - m) - bm * m,
                ah * (one - h) - bh * h,
                an * (one - n) - bn * n,
            ),
            (
                -(p.g_l + g_na + g_k + g_syn) / p.c_m,
                -(am + bm),
                -(ah + bh),
                -(an + bn),
            ),
        )
    }

    #[inline(always)]
    fn add_jump((v, m, h, n): TraubState, jump: ElectricPotential) -> TraubState {
        (v + jump, m, h, n)
    }

    /// Exponential Euler as the model's documentation gives it (one division for the four
    /// step factors); the other methods integrate [`Dynamics::derivatives`].
    #[inline(always)]
    fn integrate<I: InputAt<Self>, M: FixedStep<TraubState>>(
        c: &(),
        p: &TraubHhScalar,
        ctx: &StepCtx,
        method: &M,
        x0: TraubState,
        input: &I,
        k: usize,
        jump: ElectricPotential,
    ) -> TraubState {
        if M::KIND != Method::ExponentialEuler {
            let ode = stepper::ModelOde::<Self, I> {
                c,
                p,
                ctx,
                input,
                k,
            };
            return Self::add_jump(method.advance(&ode, ctx.t, &x0, ctx.dt), jump);
        }
        let (v0, m0, h0, n0) = x0;
        let dt = ctx.dt.get();
        let (input, g_syn) = input.input_at(k, v0);
        let (g_na, g_k, i_ion) = ionic(p, x0);
        let g_total = p.g_l + g_na + g_k + g_syn;
        let [am, bm, ah, bh, an, bn] = traub_rates(v0 - p.v_t);
        let (sm, sh, sn) = (am + bm, ah + bh, an + bn);
        // one division for the four step factors: f/J = x − x∞ for a gate, −I/G for V
        let (p_mh, p_ng) = (sm * sh, sn * g_total);
        let inv = 1.0 / (p_mh * p_ng);
        let (inv_mh, inv_ng) = (inv * p_ng, inv * p_mh);
        let (inv_sm, inv_sh) = (inv_mh * sh, inv_mh * sm);
        let (inv_sn, inv_g) = (inv_ng * g_total, inv_ng * sn);
        let inv_c = 1.0 / p.c_m;
        // V's exponent has either sign (a conductance may be negative); a gate's, −dt·(α + β),
        // is never positive (the rates are finite and not negative over the clamped u), so
        // only its lower end is clamped
        let decay = |z: Ratio| ratio(expm1_fast(z.value));
        let gate_decay = |z: Ratio| {
            let z = z.value;
            ratio(expm1_fast_within(if z < -EXP_FAST_LIMIT {
                -EXP_FAST_LIMIT
            } else {
                z
            }))
        };
        let v1 = v0 + decay(-dt * g_total * inv_c) * (-(i_ion + input) * inv_g);
        let m1 = m0 + gate_decay(-dt * sm) * (m0 - am * inv_sm);
        let h1 = h0 + gate_decay(-dt * sh) * (h0 - ah * inv_sh);
        let n1 = n0 + gate_decay(-dt * sn) * (n0 - an * inv_sn);
        Self::add_jump((v1, m1, h1, n1), jump)
    }
}

impl NeuronUnits for TraubHh {
    type Potential = ElectricPotential;
    type Input = ElectricCurrent;
    type Conductance = ElectricalConductance;
    type Jump = ElectricPotential;
}

impl Neuron for TraubHh {
    fn model_name(&self) -> &'static str {
        "TraubHH"
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.core.state.v
    }
    fn reset_state(&mut self) {
        let n = self.len();
        self.core.state.v = Column::from_raw(self.v_init.sample(n, &mut self.core.stream(0)));
        self.core.state.m.fill(ratio(0.0));
        self.core.state.h.fill(ratio(0.0));
        self.core.state.n.fill(ratio(0.0));
        self.core.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::Drive;

    fn fire(method: Method, i: ElectricCurrent) -> usize {
        let mut m = TraubHh::builder(1).method(method).build().unwrap();
        let dt = neurotype_solvers::TimeStep::new(0.01 * ms).unwrap();
        let mut drive = Drive::<TraubHh>::new(1);
        let mut spikes = 0;
        // 400 ms; spikes are counted over the last 200 ms (gates start at 0, far from rest)
        for k in 0..40_000 {
            drive.clear();
            drive.set_external(i);
            m.step(&StepCtx::new(k, dt), &drive);
            if k >= 20_000 {
                spikes += usize::from(m.spikes()[0]);
            }
            for x in [
                m.core.state.m.get(0),
                m.core.state.h.get(0),
                m.core.state.n.get(0),
            ] {
                assert!((0.0..=1.0).contains(&x.value), "gate out of [0, 1]");
            }
        }
        spikes
    }

    #[test]
    fn firing_grows_with_current_and_integrators_agree() {
        // with these parameters the isolated neuron is a slow intrinsic oscillator
        let rest = fire(Method::ExponentialEuler, 0.0 * nA);
        let n = fire(Method::ExponentialEuler, 1.0 * nA);
        assert!(rest < n, "{rest} spikes at 0 nA, {n} at 1 nA");
        assert!(n < 200, "{n} spikes in 200 ms at 1 nA");
        assert!(fire(Method::ExponentialEuler, -0.5 * nA) <= rest);
        // the fast path and the generic integrators agree on spike counts
        assert_eq!(fire(Method::Rk4, 1.0 * nA), n);
        assert_eq!(fire(Method::Rk2, 1.0 * nA), n);
    }

    /// Beyond the clamped range the rates are those at its ends: finite, not negative, and
    /// (in a debug build) no exponent leaves the fast exponentials' range.
    #[test]
    fn rates_beyond_the_range_are_those_at_its_ends() {
        let at = |u: Real| traub_rates(u * mV).map(|r| in_units(r, per_ms));
        for (u, end) in [
            (-1e6, U_MIN),
            (U_MIN - 1.0, U_MIN),
            (U_MAX + 1.0, U_MAX),
            (1e6, U_MAX),
        ] {
            assert_eq!(at(u), at(end), "u = {u}");
            assert!(
                at(end).iter().all(|r| r.is_finite() && *r >= 0.0),
                "{:?}",
                at(end)
            );
        }
        assert!(at(Real::NAN).iter().all(|r| r.is_nan()));
    }

    #[test]
    fn rates_match_their_formulas() {
        // z/(e^z − 1), with its limit 1 at z = 0
        let q = |z: Real| if z == 0.0 { 1.0 } else { z / z.exp_m1() };
        for u in [
            -1400.0f64, -400.0, -120.0, -30.0, 0.0, 13.0, 15.0, 17.0, 40.0, 55.0, 160.0, 400.0,
            1700.0,
        ] {
            let exact = [
                1.28 * q((13.0 - u) / 4.0),
                1.4 * q((u - 40.0) / 5.0),
                0.128 * ((17.0 - u) / 18.0).exp(),
                4.0 / (1.0 + ((40.0 - u) / 5.0).exp()),
                0.16 * q((15.0 - u) / 5.0),
                0.5 * ((10.0 - u) / 40.0).exp(),
            ];
            for (r, e) in traub_rates(u * mV).iter().zip(exact) {
                let r = in_units(*r, per_ms);
                assert!(
                    (r - e).abs() <= 1e-13 * e.abs(),
                    "rate at {u} mV: {r} vs {e}"
                );
            }
        }
    }
}
