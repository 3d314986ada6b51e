//! The Traub-Miles Hodgkin-Huxley neuron of the COBA-HH benchmark (Brette et al. 2007;
//! Brian2's `COBAHH` example, NEST's `hh_cond_exp_traub`).

use crate::column::Column;
use crate::drive::NeuronUnits;
use crate::drive::{Drive, ExpChannel, FusedChannels};
use crate::macros::model_params;
use crate::neuron::{Neuron, StateVar, StateVarMut, StepCtx};
use crate::neurons::lif::with_integrator;
use crate::options::{Options, model_builder, option_setters};
use crate::param::Init;
use crate::refractory::NEVER;
use crate::rng;
use neurotype_solvers::{
    Euler, ExponentialEuler, Heun, Integrator, Linearised, Method, Midpoint, Ode, Rk4,
};
use neurotype_units::math::scalar::{exp_fast, expm1_fast, inv_exprel_fast};
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, Raw};

model_params! {
    /// Parameters of [`TraubHh`] (the COBA-HH benchmark's values: a 20000 µm² patch).
    TraubHhParams / TraubHhScalar for TraubHhBuilder {
        /// Membrane capacitance.
        c_m: Capacitance = 200.0 * pF, "Cm";
        /// Leak conductance.
        g_l: ElectricalConductance = 10.0 * nS, "gl";
        /// Maximal sodium conductance.
        g_na: ElectricalConductance = 20.0 * uS, "g_na";
        /// Maximal delayed-rectifier potassium conductance.
        g_kd: ElectricalConductance = 6.0 * uS, "g_kd";
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
        tau_ref: Time = 3.0 * ms, "tau_ref";
    }
}

/// The six opening and closing rates (1/ms) at `u = V − V_T` in mV, without library calls
/// (so the population loop vectorises) and with one division each where one is needed.
#[inline(always)]
fn traub_rates(u: f64) -> [f64; 6] {
    [
        1.28 * inv_exprel_fast((13.0 - u) * 0.25), // α_m = 0.32(13 − u)/(e^{(13−u)/4} − 1)
        1.4 * inv_exprel_fast((u - 40.0) * 0.2),   // β_m = 0.28(u − 40)/(e^{(u−40)/5} − 1)
        0.128 * exp_fast((17.0 - u) * (1.0 / 18.0)), // α_h
        4.0 / (1.0 + exp_fast((40.0 - u) * 0.2)),  // β_h
        0.16 * inv_exprel_fast((15.0 - u) * 0.2),  // α_n = 0.032(15 − u)/(e^{(15−u)/5} − 1)
        0.5 * exp_fast((10.0 - u) * 0.025),        // β_n
    ]
}

/// [`traub_rates`] with one division for the four quotients instead of four (the fast path):
/// each opening rate `c·z/(e^z − 1)` (→ c at z = 0) and `β_h = 4/(1 + e^{(40−u)/5})` share the
/// reciprocal of the product of their denominators. The denominators stay within about
/// [1e-16, 1e11] in magnitude for any finite u, so the product neither overflows nor
/// underflows; results agree with [`traub_rates`] to a few ulp.
#[inline(always)]
fn traub_rates_joint(u: f64) -> [f64; 6] {
    let (z_am, z_bm, z_an) = ((13.0 - u) * 0.25, (u - 40.0) * 0.2, (15.0 - u) * 0.2);
    // numerator and denominator of z/(e^z − 1), with the limit 1/1 at z = 0
    let quotient = |z: f64| {
        let e = expm1_fast(z);
        if z == 0.0 { (1.0, 1.0) } else { (z, e) }
    };
    let ((n_am, d_am), (n_bm, d_bm), (n_an, d_an)) =
        (quotient(z_am), quotient(z_bm), quotient(z_an));
    let d_bh = 1.0 + exp_fast((40.0 - u) * 0.2);
    let (p1, p2) = (d_am * d_bm, d_an * d_bh);
    let inv = 1.0 / (p1 * p2);
    let (inv1, inv2) = (inv * p2, inv * p1);
    [
        1.28 * n_am * (inv1 * d_bm),
        1.4 * n_bm * (inv1 * d_am),
        0.128 * exp_fast((17.0 - u) * (1.0 / 18.0)),
        4.0 * (inv2 * d_an),
        0.16 * n_an * (inv2 * d_bh),
        0.5 * exp_fast((10.0 - u) * 0.025),
    ]
}

/// The joint state (V, m, h, n).
pub type TraubState = (ElectricPotential, Ratio, Ratio, Ratio);

/// The equations of one neuron with its input frozen over the step.
pub struct TraubOde<'a> {
    p: &'a TraubHhScalar,
    drive: &'a Drive<TraubHh>,
    i: usize,
}

impl TraubOde<'_> {
    #[inline(always)]
    fn eval(
        &self,
        x: &TraubState,
    ) -> (
        (VoltageRate, Frequency, Frequency, Frequency),
        [Frequency; 4],
    ) {
        let (v, m, h, n) = *x;
        let p = self.p;
        let (input, g_syn) = self.drive.input_at(self.i, v);
        let g_na = p.g_na * (m * m * m * h);
        let n2 = n * n;
        let g_k = p.g_kd * (n2 * n2);
        let i_ion = p.g_l * (p.e_l - v) - g_na * (v - p.e_na) - g_k * (v - p.e_k);
        let r = traub_rates(in_units(v - p.v_t, mV)).map(|x| x * per_ms);
        let one = ratio(1.0);
        (
            (
                (i_ion + input) / p.c_m,
                r[0] * (one - m) - r[1] * m,
                r[2] * (one - h) - r[3] * h,
                r[4] * (one - n) - r[5] * n,
            ),
            [
                -(p.g_l + g_na + g_k + g_syn) / p.c_m,
                -(r[0] + r[1]),
                -(r[2] + r[3]),
                -(r[4] + r[5]),
            ],
        )
    }
}

impl Ode for TraubOde<'_> {
    type State = TraubState;
    #[inline(always)]
    fn rhs(&self, _t: Time, x: &TraubState) -> (VoltageRate, Frequency, Frequency, Frequency) {
        self.eval(x).0
    }
}

impl Linearised for TraubOde<'_> {
    #[inline(always)]
    fn slope(&self, _t: Time, x: &TraubState) -> (Frequency, Frequency, Frequency, Frequency) {
        let [a, b, c, d] = self.eval(x).1;
        (a, b, c, d)
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
/// total conductance (leak, channels and synapses, so COBA conductances are inside the
/// propagator), each gate towards x∞ at rate α + β. The removable singularities of the rates
/// are handled with `exprel`. Defaults are the benchmark's (C 200 pF, g_L 10 nS, g_Na 20 µS,
/// g_Kd 6 µS, E_L −60 mV, E_K −90 mV, E_Na 50 mV, V_T −63 mV, threshold −20 mV, 3 ms);
/// V₀ = −60 mV (the default E_L; it does not follow `e_l`) and m₀ = h₀ = n₀ = 0 unless
/// initialisers are given.
#[derive(Clone, Debug)]
pub struct TraubHh {
    params: TraubHhParams,
    options: Options,
    v_init: Init<ElectricPotential>,
    v: Column<ElectricPotential>,
    m: Column<Ratio>,
    h: Column<Ratio>,
    n: Column<Ratio>,
    last_spike_time: Column<Time>,
    spikes: Vec<bool>,
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
        p.c_m.check_positive(owner, "Cm")?;
        p.g_l.check_non_negative(owner, "gl")?;
        p.g_na.check_non_negative(owner, "g_na")?;
        p.g_kd.check_non_negative(owner, "g_kd")?;
        p.tau_ref.check_non_negative(owner, "tau_ref")?;
        self.v_init.check(owner, "V_initializer", n)?;
        let mut model = TraubHh {
            params: self.params,
            options: self.options,
            v_init: self.v_init,
            v: Column::zeros(n),
            m: Column::zeros(n),
            h: Column::zeros(n),
            n: Column::zeros(n),
            last_spike_time: Column::filled(n, NEVER * ms),
            spikes: vec![false; n],
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

    /// Exponential Euler in one loop (shared parameters, affine drive): the benchmark's hot
    /// path. Returns false when it does not apply.
    fn fast_step(
        &mut self,
        ctx: &StepCtx,
        drive: &Drive<TraubHh>,
        channels: &mut [ExpChannel<'_>],
    ) -> bool {
        match self.params.uniform() {
            // G ≥ g_L > 0 keeps the joint reciprocal finite
            Some(p) if p.g_l.raw() > 0.0 => {}
            _ => return false,
        }
        let n = self.v.len();
        if self.options.method != Method::ExponentialEuler
            || !drive.mg_block().is_empty()
            || channels.len() > 2
            || channels
                .iter()
                .any(|c| c.len() != n || c.pending.len() != n)
        {
            return false;
        }
        match channels.len() {
            0 => self.kernel::<0>(ctx, drive, channels),
            1 => self.kernel::<1>(ctx, drive, channels),
            _ => self.kernel::<2>(ctx, drive, channels),
        }
        true
    }

    /// The loop of [`TraubHh::fast_step`] with `C` channels.
    #[inline(always)]
    fn kernel<const C: usize>(
        &mut self,
        ctx: &StepCtx,
        drive: &Drive<TraubHh>,
        channels: &mut [ExpChannel<'_>],
    ) {
        let p = self.params.uniform().expect("checked by fast_step");
        let dt = ctx.dt.get().value;
        let inv_c = 1.0 / p.c_m.raw();
        let (gl, gna, gkd) = (p.g_l.raw(), p.g_na.raw(), p.g_kd.raw());
        let (el, ek, ena, vt) = (p.e_l.raw(), p.e_k.raw(), p.e_na.raw(), p.v_t.raw());
        let (v_th, t) = (p.v_th.raw(), ctx.t.raw());
        let lockout = p.tau_ref.raw() - 0.5 * dt;
        let per_mv = 1.0 / mV.raw();
        let n = self.v.len();
        let (ext, i_syn, g_syn) = (
            &drive.ext().raw()[..n],
            &drive.i_syn().raw()[..n],
            &drive.g_syn().raw()[..n],
        );
        let ext_u = drive.ext_uniform();
        let jump = &drive.delta().raw()[..n];
        let (v, m, h, nn) = (
            self.v.raw_mut(),
            self.m.raw_mut(),
            self.h.raw_mut(),
            self.n.raw_mut(),
        );
        // every column sliced to n: no bounds checks, so the loop vectorises
        let (v, m, h, nn) = (&mut v[..n], &mut m[..n], &mut h[..n], &mut nn[..n]);
        let last = &mut self.last_spike_time.raw_mut()[..n];
        let spikes = &mut self.spikes[..n];
        let mut chans = FusedChannels::new::<C>(channels, 0..n);
        for k in 0..n {
            let (i_syn, g_syn) = chans.advance::<C>(k, i_syn[k], g_syn[k]);
            let (v0, m0, h0, n0) = (v[k], m[k], h[k], nn[k]);
            let g_na = gna * (m0 * m0 * m0 * h0);
            let n2 = n0 * n0;
            let g_k = gkd * (n2 * n2);
            let input = (ext[k] + ext_u) + (i_syn - g_syn * v0);
            let i_ion = gl * (el - v0) - g_na * (v0 - ena) - g_k * (v0 - ek);
            let g_total = gl + g_na + g_k + g_syn;
            let [am, bm, ah, bh, an, bn] = traub_rates_joint((v0 - vt) * per_mv);
            let (sm, sh, sn) = (am + bm, ah + bh, an + bn);
            // one division for the four step factors: x₁ = x + (e^{−dt·s} − 1)·(x − a/s) for
            // a gate (f/J = x − x∞), V₁ = V + (e^{−dt·G/C} − 1)·(−I/G) for the membrane
            let (p_mh, p_ng) = (sm * sh, sn * g_total);
            let inv = 1.0 / (p_mh * p_ng);
            let (inv_mh, inv_ng) = (inv * p_ng, inv * p_mh);
            let (inv_sm, inv_sh) = (inv_mh * sh, inv_mh * sm);
            let (inv_sn, inv_g) = (inv_ng * g_total, inv_ng * sn);
            let v1 = v0 + expm1_fast(-dt * g_total * inv_c) * (-(i_ion + input) * inv_g) + jump[k];
            m[k] = m0 + expm1_fast(-dt * sm) * (m0 - am * inv_sm);
            h[k] = h0 + expm1_fast(-dt * sh) * (h0 - ah * inv_sh);
            nn[k] = n0 + expm1_fast(-dt * sn) * (n0 - an * inv_sn);
            v[k] = v1;
            let spiked = v1 > v_th && (t - last[k]) >= lockout;
            last[k] = if spiked { t } else { last[k] };
            spikes[k] = spiked;
        }
    }

    fn run<M: for<'a> Integrator<TraubOde<'a>>>(
        &mut self,
        m: &M,
        ctx: &StepCtx,
        drive: &Drive<TraubHh>,
    ) {
        let dt = ctx.dt.get();
        for k in 0..self.v.len() {
            let p = self.params.at(k);
            let ode = TraubOde { p: &p, drive, i: k };
            let x0 = (self.v.get(k), self.m.get(k), self.h.get(k), self.n.get(k));
            let (v1, m1, h1, n1) = m.step(&ode, ctx.t, &x0, ctx.dt);
            let v1 = v1 + drive.jump(k);
            self.v.set(k, v1);
            self.m.set(k, m1);
            self.h.set(k, h1);
            self.n.set(k, n1);
            let lockout = p.tau_ref - 0.5 * dt;
            let spiked = v1 > p.v_th && (ctx.t - self.last_spike_time.get(k)) >= lockout;
            if spiked {
                self.last_spike_time.set(k, ctx.t);
            }
            self.spikes[k] = spiked;
        }
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
    fn len(&self) -> usize {
        self.v.len()
    }
    fn step(&mut self, ctx: &StepCtx, drive: &Drive<Self>) {
        if !self.fast_step(ctx, drive, &mut []) {
            with_integrator!(self.options.method, m => self.run(&m, ctx, drive))
        }
    }
    fn step_with_channels(
        &mut self,
        ctx: &StepCtx,
        drive: &Drive<Self>,
        channels: &mut [ExpChannel<'_>],
    ) -> bool {
        self.fast_step(ctx, drive, channels)
    }
    fn spikes(&self) -> &[bool] {
        &self.spikes
    }
    fn potential(&self) -> &Column<ElectricPotential> {
        &self.v
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![
            StateVar::of("V", &self.v),
            StateVar::of("m", &self.m),
            StateVar::of("h", &self.h),
            StateVar::of("n", &self.n),
            StateVar::of("last_spike_time", &self.last_spike_time),
        ]
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        vec![
            StateVarMut::of("V", &mut self.v),
            StateVarMut::of("m", &mut self.m),
            StateVarMut::of("h", &mut self.h),
            StateVarMut::of("n", &mut self.n),
            StateVarMut::of("last_spike_time", &mut self.last_spike_time),
        ]
    }
    fn reset_state(&mut self) {
        let n = self.v.len();
        self.v = Column::from_raw(
            self.v_init
                .sample(n, &mut rng::stream(self.options.seed, 0)),
        );
        self.m.fill(ratio(0.0));
        self.h.fill(ratio(0.0));
        self.n.fill(ratio(0.0));
        self.last_spike_time.fill(NEVER * ms);
        self.spikes.fill(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            for x in [m.m.get(0), m.h.get(0), m.n.get(0)] {
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

    #[test]
    fn fast_rates_match_their_formulas() {
        for u in [-120.0f64, -30.0, 0.0, 13.0, 15.0, 17.0, 40.0, 55.0, 160.0] {
            let r = traub_rates(u);
            let exact = |num: f64, den: f64| if den.abs() < 1e-12 { 0.0 } else { num / den };
            let am = if (13.0 - u).abs() < 1e-12 {
                1.28
            } else {
                exact(0.32 * (13.0 - u), ((13.0 - u) / 4.0).exp() - 1.0)
            };
            assert!(
                (r[0] - am).abs() <= 1e-12 * am.abs().max(1.0),
                "alpha_m({u})"
            );
            let bh = 4.0 / (1.0 + ((40.0 - u) / 5.0).exp());
            assert!((r[3] - bh).abs() <= 1e-12 * bh.max(1.0), "beta_h({u})");
            let joint = traub_rates_joint(u);
            for (a, b) in r.iter().zip(&joint) {
                assert!(
                    (a - b).abs() <= 1e-14 * a.abs(),
                    "joint rates at {u}: {a} vs {b}"
                );
            }
        }
    }
}
