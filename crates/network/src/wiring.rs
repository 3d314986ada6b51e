//! Bounds for the builder methods that take quantities, so that a value of the wrong kind is
//! reported at the argument, in words, rather than as a mismatch of type-level integers
//! somewhere in the whole projection expression.
//!
//! Each trait is implemented only where the units fit (a quantity for itself, an input for
//! its neuron), so the compiler's check is the same as before; what changes is that a failed
//! check is a missing trait, which carries a message naming the quantities involved.

use crate::comm::Comm;
use crate::input::Waveform;
use neurotype_models::NeuronUnits;
use neurotype_models::synapses::{PlasticityRule, Stdp};
use neurotype_units::{ElectricalConductance, Same};

/// Weights of a projection's connectivity, in the unit of its synapse's variable `G`.
#[diagnostic::on_unimplemented(
    message = "the weights given to `comm` are not in the unit of the synapse's variable",
    label = "weights of another kind than the synapse's variable",
    note = "behind `Coba` or `Cuba`, a synapse's variable and its weights are conductances of the postsynaptic model (e.g. `0.6 * nS`; dimensionless for FitzHugh-Nagumo and Hindmarsh-Rose)",
    note = "behind `SynapticCurrent` they are currents (e.g. `0.1 * nA`); a δ projection's weights are what it adds to the neuron (a voltage, e.g. `0.5 * mV`, for most models)"
)]
pub trait CommWeight<G>: Sized {
    /// The same connectivity, typed as `G`.
    fn into_comm(comm: Comm<Self>) -> Comm<G>;
}

impl<G> CommWeight<G> for G {
    #[inline]
    fn into_comm(comm: Comm<G>) -> Comm<G> {
        comm
    }
}

/// The amplitudes and bounds of an STDP rule, in the unit of the weights `G` it changes.
#[diagnostic::on_unimplemented(
    message = "the STDP rule's amplitudes are not in the unit of the projection's weights",
    label = "a rule for weights of another kind",
    note = "A₊, A₋ and the weight bounds of `Stdp::builder` have the unit of the weights: conductances (e.g. `0.005 * nS`) behind `Coba` or `Cuba`"
)]
pub trait StdpWeight<G>: Sized {
    /// The same rule, typed as `G`.
    fn into_rule(rule: Stdp<Self>) -> Stdp<G>;
}

impl<G> StdpWeight<G> for G {
    #[inline]
    fn into_rule(rule: Stdp<G>) -> Stdp<G> {
        rule
    }
}

/// A plasticity rule for weights of kind `G`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a plasticity rule for this projection's weights",
    label = "a rule for weights of another kind",
    note = "a rule's weights (`weight w: ...;` in `synapse!`, A₊ and A₋ of `Stdp`) have the unit of the projection's weights: conductances behind `Coba` or `Cuba`"
)]
pub trait RuleFor<G>: PlasticityRule<W = G> {}

impl<R: PlasticityRule> RuleFor<R::W> for R {}

/// A value of neuron `N`'s input quantity.
#[diagnostic::on_unimplemented(
    message = "this value is not an input of `{N}`",
    label = "not the input quantity of `{N}`",
    note = "the input of LIF, AdEx, HH and most models is a current (e.g. `0.5 * nA`); of Izhikevich, a voltage rate (e.g. `10.0 * mV_per_ms`); of FitzHugh-Nagumo and Hindmarsh-Rose, a dimensionless number (`ratio(0.5)`)"
)]
pub trait InputOf<N: NeuronUnits>: Sized {
    /// The value as `N`'s input.
    fn into_input(self) -> N::Input;
    /// A waveform of such values as one of `N`'s input.
    fn into_wave(wave: Waveform<Self>) -> Waveform<N::Input>;
}

#[diagnostic::do_not_recommend]
impl<N: NeuronUnits, Q: Same<N::Input>> InputOf<N> for Q {
    #[inline]
    fn into_input(self) -> N::Input {
        self.same()
    }

    #[inline]
    fn into_wave(wave: Waveform<Q>) -> Waveform<N::Input> {
        wave.map(Q::same)
    }
}

/// A conductance (of a gap junction).
#[diagnostic::on_unimplemented(
    message = "a gap junction's weight is a conductance",
    label = "not a conductance",
    note = "the junction passes the current g·(V_pre − V_post): give `g` in siemens (e.g. `1.0 * nS`)"
)]
pub trait Conductance: Copy {
    /// The value as a conductance.
    fn into_conductance(self) -> ElectricalConductance;
}

impl Conductance for ElectricalConductance {
    #[inline]
    fn into_conductance(self) -> ElectricalConductance {
        self
    }
}

/// A weight added to a state variable of kind `Q` (by [`PoissonInput::on`](crate::PoissonInput::on)).
#[diagnostic::on_unimplemented(
    message = "the weight is not of the kind of the state it is added to",
    label = "a weight of another kind than the state",
    note = "`PoissonInput::on(pop.state().v, …)` adds `k·weight` to the membrane potential: give the weight as a voltage (e.g. `0.5 * mV`); a conductance state takes a conductance (`nS`), a current state a current (`nA`)"
)]
pub trait StateWeight<Q>: Sized {
    /// The weight as a `Q`.
    fn into_state(self) -> Q;
}

impl<Q> StateWeight<Q> for Q {
    #[inline]
    fn into_state(self) -> Q {
        self
    }
}
