//! What a spike-timing plasticity rule is to a projection: traces on each presynaptic and
//! postsynaptic element, advanced every step, and a weight update at each presynaptic arrival
//! and at each postsynaptic spike.
//!
//! A projection applies a rule in one order, BrainPy's (`STDP_Song2000`), whatever the rule:
//!
//! 1. every trace advances over the step ([`PlasticityRule::advance_pre`],
//!    [`PlasticityRule::advance_post`]);
//! 2. the postsynaptic elements that spiked in the last step take in their spike
//!    ([`PlasticityRule::post_spike`]);
//! 3. for each presynaptic spike arriving now: its element takes in the spike
//!    ([`PlasticityRule::pre_spike`]), then each of its synapses is updated
//!    ([`PlasticityRule::on_pre`]);
//! 4. for each postsynaptic spike: each of its afferent synapses is updated
//!    ([`PlasticityRule::on_post`]);
//! 5. the arrivals are delivered with the new weights.
//!
//! The built-in [`Stdp`](super::Stdp) implements it, and so does a `synapse!` declaration with
//! `pre`, `post` and `weight` (the DSL chapter of the book): both run through the same loops.

use neurotype_units::Real;
use neurotype_units::{InvalidParameter, Time, Unitful};

/// A plasticity rule over element traces and per-synapse weights (see the
/// [module](self) for the order a projection applies it in).
///
/// The traces of one element are a slice of stored numbers, one per name in
/// [`PlasticityRule::PRE_VARS`] (or `POST_VARS`), in that order.
pub trait PlasticityRule: Clone + core::fmt::Debug + Send + Sync + 'static {
    /// The weight's kind.
    type W: Unitful + PartialOrd;
    /// What one step's updates read: the parameters and the step's factors, as stored numbers.
    type Kernel: Copy + Send + Sync + 'static;

    /// The variables of a presynaptic element.
    const PRE_VARS: &'static [&'static str];
    /// The variables of a postsynaptic element.
    const POST_VARS: &'static [&'static str];
    /// How many numbers a presynaptic element holds (a constant the loops are compiled for).
    const N_PRE: usize = Self::PRE_VARS.len();
    /// How many numbers a postsynaptic element holds.
    const N_POST: usize = Self::POST_VARS.len();

    /// The rule's name, for messages and checkpoints.
    fn name(&self) -> &'static str;

    /// The kernel for a time step `dt`.
    fn kernel(&self, dt: Time) -> Self::Kernel;

    /// Refuses an initial weight the rule cannot take (`what` names it in the message).
    fn check_weight(&self, owner: &str, what: &str, w: Self::W) -> Result<(), InvalidParameter>;

    /// One presynaptic element's variables before any spike (zero by default).
    fn init_pre(&self, x: &mut [Real]) {
        x.fill(0.0);
    }

    /// One postsynaptic element's variables before any spike (zero by default).
    fn init_post(&self, y: &mut [Real]) {
        y.fill(0.0);
    }

    /// Advances one presynaptic element's variables over a step.
    fn advance_pre(k: &Self::Kernel, x: &mut [Real]);

    /// Advances one postsynaptic element's variables over a step.
    fn advance_post(k: &Self::Kernel, y: &mut [Real]);

    /// A presynaptic spike arrives at its element.
    fn pre_spike(k: &Self::Kernel, x: &mut [Real]);

    /// A postsynaptic element spiked.
    fn post_spike(k: &Self::Kernel, y: &mut [Real]);

    /// The weight of a synapse after a presynaptic arrival, from its weight and its two
    /// elements' variables.
    fn on_pre(k: &Self::Kernel, w: Real, x: &[Real], y: &[Real]) -> Real;

    /// The weight of a synapse after a postsynaptic spike.
    fn on_post(k: &Self::Kernel, w: Real, x: &[Real], y: &[Real]) -> Real;
}
