//! The two ways a synapse population is driven, as the network sees them.

use crate::column::Column;
use crate::neuron::{StateVar, StepCtx};
use crate::synapses::exponential::SynapticVariable;
use crate::synapses::kinetic::{Ampa, BioNmda};
use crate::synapses::legacy::{BioNmdaJoint, DualExponClassic, Nmda};
use crate::synapses::{Alpha, DualExpon, Expon};
use neurotype_units::math::ratio;
use neurotype_units::{Ratio, Real};

/// A synapse population sized like its **postsynaptic** group and driven by conductance
/// increments (`AlignPostProj`): projections add `Σ w·spike` where
/// [`IncrementSynapse::arrivals`] says (its pending increments, or g itself, scaled, for an
/// exponential channel), then it steps once.
pub trait IncrementSynapse: crate::snapshot::Snapshot + Send + 'static {
    /// The quantity of g (a conductance for COBA outputs).
    type G: SynapticVariable;
    /// BrainPy's class name.
    fn model_name(&self) -> &'static str;
    /// Number of synapses.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Increments queued for the next step.
    fn pending_mut(&mut self) -> &mut Column<Self::G>;
    /// Where a network delivers this step's increments, and the factor it multiplies them
    /// by: g itself and `1/f` for a synapse that is an exponential channel (its arrivals
    /// folded into g, see [`crate::drive::ExpChannel`]), its pending increments and 1
    /// otherwise. Either way the next [`IncrementSynapse::step`] (or the channel's advance)
    /// gives g the increments after its decay.
    fn arrivals(&mut self, ctx: &StepCtx) -> (&mut [Real], Real) {
        // whether it is a channel does not depend on the output
        let probe = crate::drive::Affine {
            e: 0.0,
            conductance: false,
        };
        // (asked twice: the first answer's borrow must end before the pending branch)
        if self.channel(ctx, probe).is_none() {
            return (self.pending_mut().raw_mut(), 1.0);
        }
        self.channel(ctx, probe)
            .expect("the same question, the same answer")
            .into_arrivals()
    }
    /// Decays and takes the queued increments.
    fn step(&mut self, ctx: &StepCtx);
    /// The synapse as a channel its postsynaptic population advances in its own loop (see
    /// [`crate::drive::ExpChannel`]); `None` when not supported. Whether it is `Some` must
    /// not depend on `out` ([`IncrementSynapse::arrivals`] asks with any output).
    fn channel(
        &mut self,
        _ctx: &StepCtx,
        _out: crate::drive::Affine,
    ) -> Option<crate::drive::ExpChannel<'_>> {
        None
    }
    /// The conductance an output turns into current.
    fn g(&self) -> &Column<Self::G>;
    /// Views of the state.
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Back to the initial state.
    fn reset_state(&mut self);
    /// Whether `other` has the same dynamics and initial state, so that the two can share one
    /// state (BrainPy merges `AlignPostProj`s whose synapse and output describers are equal).
    fn same_dynamics(&self, other: &Self) -> bool;
}

macro_rules! increment_synapse {
    ($T:ident, $name:literal, channel) => {
        increment_synapse!(@impl $T, $name,
            fn channel(
                &mut self,
                ctx: &StepCtx,
                out: crate::drive::Affine,
            ) -> Option<crate::drive::ExpChannel<'_>> {
                $T::channel(self, ctx, out)
            }
        );
    };
    ($T:ident, $name:literal) => {
        increment_synapse!(@impl $T, $name,);
    };
    (@impl $T:ident, $name:literal, $($extra:item)*) => {
        impl<G: SynapticVariable + PartialOrd> IncrementSynapse for $T<G> {
            type G = G;
            fn model_name(&self) -> &'static str {
                $name
            }
            fn len(&self) -> usize {
                $T::len(self)
            }
            fn pending_mut(&mut self) -> &mut Column<G> {
                $T::pending_mut(self)
            }
            fn step(&mut self, ctx: &StepCtx) {
                $T::step(self, ctx)
            }
            fn g(&self) -> &Column<G> {
                $T::g(self)
            }
            fn state_vars(&self) -> Vec<StateVar<'_>> {
                $T::state_vars(self)
            }
            fn reset_state(&mut self) {
                $T::reset_state(self)
            }
            fn same_dynamics(&self, other: &Self) -> bool {
                $T::same_dynamics(self, other)
            }
            $($extra)*
        }
    };
}

increment_synapse!(Expon, "Expon", channel);
increment_synapse!(DualExpon, "DualExpon");
increment_synapse!(Alpha, "Alpha");

/// A synapse population sized like its **presynaptic** group and driven by spikes
/// (`AlignPreProj`, the classic align-pre synapses): its open fractions are projected through
/// the weights onto the postsynaptic group.
pub trait EventSynapse: crate::snapshot::Snapshot + Send + Sync + 'static {
    /// BrainPy's class name.
    fn model_name(&self) -> &'static str;
    /// Number of synapses.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// One step with the spikes of each presynaptic neuron; `efficacy` is the short-term
    /// plasticity weight of each event where plasticity applies (kinetic receptors, as in
    /// brainpy.state, only use the spike itself).
    fn update(&mut self, ctx: &StepCtx, spikes: &[bool], efficacy: Option<&Column<Ratio>>);
    /// The value projected onto the postsynaptic group (an open fraction).
    fn open(&self) -> &Column<Ratio>;
    /// Views of the state.
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Back to the initial state.
    fn reset_state(&mut self);
}

macro_rules! kinetic_event_synapse {
    ($T:ty, $name:expr) => {
        impl EventSynapse for $T {
            fn model_name(&self) -> &'static str {
                $name(self)
            }
            fn len(&self) -> usize {
                <$T>::len(self)
            }
            fn update(
                &mut self,
                ctx: &StepCtx,
                spikes: &[bool],
                _efficacy: Option<&Column<Ratio>>,
            ) {
                <$T>::update(self, ctx, spikes)
            }
            fn open(&self) -> &Column<Ratio> {
                <$T>::g(self)
            }
            fn state_vars(&self) -> Vec<StateVar<'_>> {
                <$T>::state_vars(self)
            }
            fn reset_state(&mut self) {
                <$T>::reset_state(self)
            }
        }
    };
}

kinetic_event_synapse!(Ampa, |s: &Ampa| s.model_name());
kinetic_event_synapse!(BioNmda, |_| "BioNMDA");
kinetic_event_synapse!(BioNmdaJoint, |_| "BioNMDA");

/// The weight of synapse k's event: its plasticity efficacy (or 1) if it spiked, else 0.
#[inline(always)]
fn event(spikes: &[bool], efficacy: Option<&Column<Ratio>>, k: usize) -> Ratio {
    match (spikes[k], efficacy) {
        (false, _) => ratio(0.0),
        (true, Some(e)) => e.get(k),
        (true, None) => ratio(1.0),
    }
}

macro_rules! weighted_event_synapse {
    ($T:ty, $name:literal) => {
        impl EventSynapse for $T {
            fn model_name(&self) -> &'static str {
                $name
            }
            fn len(&self) -> usize {
                <$T>::len(self)
            }
            fn update(&mut self, ctx: &StepCtx, spikes: &[bool], efficacy: Option<&Column<Ratio>>) {
                <$T>::update_with(self, ctx, |k| event(spikes, efficacy, k))
            }
            fn open(&self) -> &Column<Ratio> {
                <$T>::g(self)
            }
            fn state_vars(&self) -> Vec<StateVar<'_>> {
                <$T>::state_vars(self)
            }
            fn reset_state(&mut self) {
                <$T>::reset_state(self)
            }
        }
    };
}

weighted_event_synapse!(Nmda, "NMDA");
weighted_event_synapse!(DualExponClassic, "DualExponential");

/// Alpha on the presynaptic side (classic `brainpy.synapses.Alpha`): h jumps by the event.
impl EventSynapse for Alpha<Ratio> {
    fn model_name(&self) -> &'static str {
        "Alpha"
    }
    fn len(&self) -> usize {
        Alpha::len(self)
    }
    fn update(&mut self, ctx: &StepCtx, spikes: &[bool], efficacy: Option<&Column<Ratio>>) {
        Alpha::update_with(self, ctx, |k| event(spikes, efficacy, k))
    }
    fn open(&self) -> &Column<Ratio> {
        Alpha::g(self)
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        Alpha::state_vars(self)
    }
    fn reset_state(&mut self) {
        Alpha::reset_state(self)
    }
}
