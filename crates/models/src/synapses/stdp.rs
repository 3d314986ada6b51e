//! Spike-timing-dependent plasticity (STDP): BrainPy's `STDP_Song2000`, the pair-based,
//! trace-based rule of Song, Miller & Abbott (2000).
//!
//! Each presynaptic element carries a trace `x` and each postsynaptic element a trace `y`:
//!
//! ```text
//! dx/dt = −x/τ_pre,    x ← x + 1 at each arriving presynaptic spike   (all-to-all pairing)
//! dy/dt = −y/τ_post,   y ← y + 1 at each postsynaptic spike
//! at an arriving presynaptic spike of i:  w_ij ← clip(w_ij − A₋·y_j)        (depression)
//! at a postsynaptic spike of j:           w_ij ← clip(w_ij + A₊·x_i)        (potentiation)
//! ```
//!
//! `clip` keeps `w` in `[w_min, w_max]` (either bound may be absent). A single pair with the
//! postsynaptic spike `Δt = t_post − t_pre` after the presynaptic arrival changes the weight by
//! `A₊·e^{−Δt/τ_pre}` (Δt > 0) or `−A₋·e^{−|Δt|/τ_post}` (Δt < 0); at Δt = 0 both apply.
//! BrainPy names the parameters `tau_s` (τ_pre), `tau_t` (τ_post), `A1` (A₊) and `A2` (A₋).
//!
//! Two variants a modeller can choose:
//! - [`StdpForm::SoftBound`] (multiplicative): the changes shrink as the weight nears its bound,
//!   `Δw₊ = A₊·x·(w_max − w)/(w_max − w_min)`, `Δw₋ = −A₋·y·(w − w_min)/(w_max − w_min)`
//!   (both bounds needed); the additive form (BrainPy's) is the default;
//! - [`Pairing::Nearest`]: a spike sets its trace to 1 instead of adding 1, so only the nearest
//!   spike of the other side counts (Morrison et al. 2008's nearest-spike interaction).
//!
//! The per-step order (when a projection applies the rule) is BrainPy's: traces take in the
//! spikes that arrive now, then depression, then potentiation, then the spikes are delivered
//! with the new weights. Brian2's `STDP` example differs in two ways, both documented in the
//! book: it delivers the weight from before the update, and a presynaptic spike and a
//! postsynaptic one in the same step give potentiation only.

use super::rule::PlasticityRule;
use neurotype_solvers::Propagator;
use neurotype_units::Real;
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, Unitful, check};

/// How a weight change depends on the weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StdpForm {
    /// Changes independent of the weight, then clipped to the bounds (BrainPy, Brian2, Song
    /// et al. 2000).
    #[default]
    Additive,
    /// Multiplicative soft bounds: potentiation scaled by `(w_max − w)`, depression by
    /// `(w − w_min)`, both over `w_max − w_min`.
    SoftBound,
}

/// Which spike pairs interact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pairing {
    /// Every pair: a spike adds 1 to its trace (BrainPy, Brian2).
    #[default]
    AllToAll,
    /// Nearest neighbours: a spike sets its trace to 1.
    Nearest,
}

/// Spike-timing-dependent plasticity with weights of kind `W` (see the [module](self) for the
/// equations).
///
/// ```
/// use neurotype_models::synapses::Stdp;
/// use neurotype_units::prelude::*;
/// // BrainPy's STDP_Song2000 defaults (tau_s 16.8 ms, tau_t 33.7 ms) with A1 = 0.96 mS,
/// // A2 = 0.53 mS and weights kept in [0, 2] mS
/// let stdp = Stdp::builder(0.96 * mS, 0.53 * mS)
///     .w_min(0.0 * mS)
///     .w_max(2.0 * mS)
///     .build()?;
/// assert_eq!(stdp.tau_pre(), 16.8 * ms);
/// # Ok::<(), neurotype_units::InvalidParameter>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stdp<W> {
    tau_pre: Time,
    tau_post: Time,
    a_plus: W,
    a_minus: W,
    w_min: Option<W>,
    w_max: Option<W>,
    form: StdpForm,
    pairing: Pairing,
}

/// Builder of [`Stdp`].
#[derive(Debug, Clone, Copy)]
pub struct StdpBuilder<W> {
    rule: Stdp<W>,
}

impl<W: Unitful + PartialOrd> Stdp<W> {
    /// A rule with potentiation `a_plus` (BrainPy's `A1`) and depression `a_minus` (`A2`) per
    /// unit trace, BrainPy's time constants (τ_pre = 16.8 ms, τ_post = 33.7 ms), no bounds,
    /// additive, all-to-all.
    pub fn builder(a_plus: W, a_minus: W) -> StdpBuilder<W> {
        StdpBuilder {
            rule: Stdp {
                tau_pre: 16.8 * ms,
                tau_post: 33.7 * ms,
                a_plus,
                a_minus,
                w_min: None,
                w_max: None,
                form: StdpForm::Additive,
                pairing: Pairing::AllToAll,
            },
        }
    }

    /// Time constant of the presynaptic trace.
    pub fn tau_pre(&self) -> Time {
        self.tau_pre
    }

    /// Time constant of the postsynaptic trace.
    pub fn tau_post(&self) -> Time {
        self.tau_post
    }

    /// Potentiation per unit presynaptic trace.
    pub fn a_plus(&self) -> W {
        self.a_plus
    }

    /// Depression per unit postsynaptic trace.
    pub fn a_minus(&self) -> W {
        self.a_minus
    }

    /// Lower weight bound.
    pub fn w_min(&self) -> Option<W> {
        self.w_min
    }

    /// Upper weight bound.
    pub fn w_max(&self) -> Option<W> {
        self.w_max
    }

    /// The form of the weight changes.
    pub fn form(&self) -> StdpForm {
        self.form
    }

    /// The pairing scheme.
    pub fn pairing(&self) -> Pairing {
        self.pairing
    }

    /// Refuses a weight outside the bounds (`what` names it in the message).
    pub fn check_weight(&self, owner: &str, what: &str, w: W) -> Result<(), InvalidParameter> {
        let below = self.w_min.is_some_and(|lo| w.raw() < lo.raw());
        let above = self.w_max.is_some_and(|hi| w.raw() > hi.raw());
        if below || above {
            let bound = |b: Option<W>| b.map_or("none".to_string(), |b| b.show().to_string());
            return Err(InvalidParameter::new(
                owner,
                what,
                w.show().to_string(),
                format!(
                    "must lie within the STDP bounds [w_min, w_max] = [{}, {}]",
                    bound(self.w_min),
                    bound(self.w_max)
                ),
            ));
        }
        Ok(())
    }

    /// The rule in stored numbers for a time step `dt`, as the kernel applies it.
    pub fn kernel(&self, dt: Time) -> StdpKernel {
        let span = match (self.w_min, self.w_max) {
            (Some(lo), Some(hi)) => hi.raw() - lo.raw(),
            _ => 1.0,
        };
        // each trace decays by the exact propagator of dx/dt = −x/τ over the step, computed
        // as a DSL rule computes it (a = −1/τ, then e^{a·dt}), so that the two agree bit for
        // bit
        let decay = |tau: Time| Propagator::<1>::new([[-(1.0 / tau.raw())]], dt.raw()).phi[0][0];
        StdpKernel {
            decay_pre: decay(self.tau_pre),
            decay_post: decay(self.tau_post),
            a_plus: self.a_plus.raw(),
            a_minus: self.a_minus.raw(),
            w_min: self.w_min.map_or(Real::NEG_INFINITY, |w| w.raw()),
            w_max: self.w_max.map_or(Real::INFINITY, |w| w.raw()),
            soft: self.form == StdpForm::SoftBound,
            inv_span: 1.0 / span,
            nearest: self.pairing == Pairing::Nearest,
        }
    }
}

impl<W: Unitful + PartialOrd> StdpBuilder<W> {
    /// Time constant of the presynaptic trace (BrainPy's `tau_s`).
    pub fn tau_pre(mut self, tau: Time) -> Self {
        self.rule.tau_pre = tau;
        self
    }

    /// Time constant of the postsynaptic trace (BrainPy's `tau_t`).
    pub fn tau_post(mut self, tau: Time) -> Self {
        self.rule.tau_post = tau;
        self
    }

    /// Lower weight bound (BrainPy's `W_min`).
    pub fn w_min(mut self, w: W) -> Self {
        self.rule.w_min = Some(w);
        self
    }

    /// Upper weight bound (BrainPy's `W_max`).
    pub fn w_max(mut self, w: W) -> Self {
        self.rule.w_max = Some(w);
        self
    }

    /// Additive (default) or soft-bound changes.
    pub fn form(mut self, form: StdpForm) -> Self {
        self.rule.form = form;
        self
    }

    /// All-to-all (default) or nearest-spike pairing.
    pub fn pairing(mut self, pairing: Pairing) -> Self {
        self.rule.pairing = pairing;
        self
    }

    /// Validates and builds: positive finite time constants, non-negative finite amplitudes,
    /// finite bounds with `w_min < w_max`, both bounds for the soft-bound form.
    pub fn build(self) -> Result<Stdp<W>, InvalidParameter> {
        let r = self.rule;
        check::positive("STDP", "tau_pre", r.tau_pre)?;
        check::positive("STDP", "tau_post", r.tau_post)?;
        check::non_negative("STDP", "a_plus", r.a_plus)?;
        check::non_negative("STDP", "a_minus", r.a_minus)?;
        if let Some(lo) = r.w_min {
            check::finite("STDP", "w_min", lo)?;
        }
        if let Some(hi) = r.w_max {
            check::finite("STDP", "w_max", hi)?;
        }
        if let (Some(lo), Some(hi)) = (r.w_min, r.w_max) {
            check::less_than("STDP", "w_min", lo, "w_max", hi)?;
        }
        if r.form == StdpForm::SoftBound && (r.w_min.is_none() || r.w_max.is_none()) {
            return Err(InvalidParameter::new(
                "STDP",
                "form",
                "SoftBound",
                "needs both weight bounds, w_min and w_max",
            ));
        }
        Ok(r)
    }
}

/// The built-in rule as a projection applies it: one trace per element (`x` presynaptic, `y`
/// postsynaptic).
impl<W: Unitful + PartialOrd + Send + Sync + core::fmt::Debug + 'static> PlasticityRule
    for Stdp<W>
{
    type W = W;
    type Kernel = StdpKernel;
    const PRE_VARS: &'static [&'static str] = &["pre_trace"];
    const POST_VARS: &'static [&'static str] = &["post_trace"];

    fn name(&self) -> &'static str {
        "stdp"
    }

    fn kernel(&self, dt: Time) -> StdpKernel {
        Stdp::kernel(self, dt)
    }

    fn check_weight(&self, owner: &str, what: &str, w: W) -> Result<(), InvalidParameter> {
        Stdp::check_weight(self, owner, what, w)
    }

    #[inline(always)]
    fn advance_pre(k: &StdpKernel, x: &mut [Real]) {
        x[0] *= k.decay_pre;
    }

    #[inline(always)]
    fn advance_post(k: &StdpKernel, y: &mut [Real]) {
        y[0] *= k.decay_post;
    }

    #[inline(always)]
    fn pre_spike(k: &StdpKernel, x: &mut [Real]) {
        x[0] = k.bump(x[0]);
    }

    #[inline(always)]
    fn post_spike(k: &StdpKernel, y: &mut [Real]) {
        y[0] = k.bump(y[0]);
    }

    #[inline(always)]
    fn on_pre(k: &StdpKernel, w: Real, _x: &[Real], y: &[Real]) -> Real {
        k.depress(w, y[0])
    }

    #[inline(always)]
    fn on_post(k: &StdpKernel, w: Real, x: &[Real], _y: &[Real]) -> Real {
        k.potentiate(w, x[0])
    }
}

/// A rule's stored numbers for one time step: what the weight update loops use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StdpKernel {
    /// e^{−dt/τ_pre}.
    pub decay_pre: Real,
    /// e^{−dt/τ_post}.
    pub decay_post: Real,
    a_plus: Real,
    a_minus: Real,
    w_min: Real,
    w_max: Real,
    soft: bool,
    inv_span: Real,
    nearest: bool,
}

impl StdpKernel {
    /// A trace after a spike: `x + 1`, or 1 for nearest-spike pairing.
    #[inline(always)]
    pub fn bump(&self, x: Real) -> Real {
        if self.nearest { 1.0 } else { x + 1.0 }
    }

    /// Depression at a presynaptic arrival, `y` the postsynaptic trace.
    #[inline(always)]
    pub fn depress(&self, w: Real, y: Real) -> Real {
        let dw = if self.soft {
            self.a_minus * y * (w - self.w_min) * self.inv_span
        } else {
            self.a_minus * y
        };
        (w - dw).clamp(self.w_min, self.w_max)
    }

    /// Potentiation at a postsynaptic spike, `x` the presynaptic trace.
    #[inline(always)]
    pub fn potentiate(&self, w: Real, x: Real) -> Real {
        let dw = if self.soft {
            self.a_plus * x * (self.w_max - w) * self.inv_span
        } else {
            self.a_plus * x
        };
        (w + dw).clamp(self.w_min, self.w_max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_refused_by_name() {
        let e = Stdp::builder(1.0 * mS, 1.0 * mS)
            .tau_pre(-1.0 * ms)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("tau_pre"), "{e}");
        let e = Stdp::builder(-1.0 * mS, 1.0 * mS).build().unwrap_err();
        assert!(e.to_string().contains("a_plus"), "{e}");
        let e = Stdp::builder(1.0 * mS, 1.0 * mS)
            .w_min(2.0 * mS)
            .w_max(1.0 * mS)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("w_min"), "{e}");
        let e = Stdp::builder(1.0 * mS, 1.0 * mS)
            .form(StdpForm::SoftBound)
            .w_max(1.0 * mS)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("both weight bounds"), "{e}");
        let e = Stdp::builder(1.0 * mS, 1.0 * mS)
            .w_max(Real::NAN * mS)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("w_max"), "{e}");
    }

    #[test]
    fn updates_are_clipped_and_soft_bounds_vanish_at_the_bounds() {
        let rule = Stdp::builder(0.5 * mS, 0.25 * mS)
            .w_min(0.0 * mS)
            .w_max(1.0 * mS)
            .build()
            .unwrap();
        let k = rule.kernel(0.1 * ms);
        let raw = |x: ElectricalConductance| x.raw();
        let (lo, hi) = (raw(0.0 * mS), raw(1.0 * mS));
        assert_eq!(k.potentiate(raw(0.9 * mS), 1.0), hi);
        assert_eq!(k.depress(raw(0.1 * mS), 1.0), lo);
        let soft = Stdp::builder(0.5 * mS, 0.25 * mS)
            .w_min(0.0 * mS)
            .w_max(1.0 * mS)
            .form(StdpForm::SoftBound)
            .build()
            .unwrap()
            .kernel(0.1 * ms);
        assert_eq!(soft.potentiate(hi, 1.0), hi);
        assert_eq!(soft.depress(lo, 1.0), lo);
        // halfway: half the additive change
        let mid = raw(0.5 * mS);
        assert!((soft.potentiate(mid, 1.0) - (mid + 0.5 * raw(0.5 * mS))).abs() < 1e-15);
        assert_eq!(k.bump(0.3), 1.3);
        let nearest = Stdp::builder(0.5 * mS, 0.25 * mS)
            .pairing(Pairing::Nearest)
            .build()
            .unwrap()
            .kernel(0.1 * ms);
        assert_eq!(nearest.bump(0.3), 1.0);
        assert!((k.decay_pre - (-0.1f64 / 16.8).exp()).abs() <= 1e-16);
    }

    #[test]
    fn initial_weights_outside_the_bounds_are_refused() {
        let rule = Stdp::builder(0.5 * mS, 0.25 * mS)
            .w_max(1.0 * mS)
            .build()
            .unwrap();
        assert!(rule.check_weight("proj", "weights[3]", 0.5 * mS).is_ok());
        let e = rule
            .check_weight("proj", "weights[3]", 1.5 * mS)
            .unwrap_err();
        assert!(e.to_string().contains("weights[3]"), "{e}");
        assert!(e.to_string().contains("none"), "{e}");
    }
}
