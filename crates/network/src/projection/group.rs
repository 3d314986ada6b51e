//! Postsynaptic synapse groups: the synapse state of the align-post projections onto one
//! population, owned by that population.

use core::any::Any;
use neurotype_models::neuron::StateVar;
use neurotype_models::synapses::{IncrementSynapse, SynapticOutput, Writer};
use neurotype_models::{Column, Drive, ExpChannel, NeuronUnits, StepCtx};
use neurotype_units::Real;

/// A synapse state sized like its postsynaptic population, possibly shared by several
/// align-post projections (BrainPy merges projections whose synapse and output describers are
/// equal), with its output.
pub trait SynapseGroup<N: NeuronUnits>: Send {
    /// Where this step's increments go (stored numbers), taken by the next advance, and the
    /// factor each is multiplied by on the way ([`IncrementSynapse::arrivals`]).
    fn arrivals(&mut self, ctx: &StepCtx) -> (&mut [Real], Real);
    /// Steps the synapse and adds its output to `drive` (`v`: the potential at the start of
    /// the step, for outputs evaluated explicitly).
    fn advance(&mut self, ctx: &StepCtx, v: &Column<N::Potential>, drive: &mut Drive<N>);
    /// The group as an exponential channel its population advances in its own loop instead
    /// of [`SynapseGroup::advance`]; `None` when it is not one.
    fn channel(&mut self, ctx: &StepCtx) -> Option<ExpChannel<'_>>;
    /// Back to the initial state.
    fn reset(&mut self);
    /// Hands the synapses' run-time state to `v`, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor);
    /// Views of the synapse state (`g`, ...).
    fn state_vars(&self) -> Vec<StateVar<'_>>;
    /// Whether a projection with synapse `syn` and output `out` shares this state: the same
    /// types with equal parameters and initial state.
    fn merges(&self, syn: &dyn Any, out: &dyn Any) -> bool;
}

/// The group of synapse `S` behind output `O`.
pub(crate) struct PostGroup<S, O> {
    pub(crate) syn: S,
    pub(crate) out: O,
    /// Identifies the group among the writers of its population's drive.
    pub(crate) writer: Writer,
}

impl<N, S, O> SynapseGroup<N> for PostGroup<S, O>
where
    N: NeuronUnits,
    S: IncrementSynapse,
    O: SynapticOutput<N, S::G> + PartialEq + Send + 'static,
{
    fn arrivals(&mut self, ctx: &StepCtx) -> (&mut [Real], Real) {
        self.syn.arrivals(ctx)
    }
    fn advance(&mut self, ctx: &StepCtx, v: &Column<N::Potential>, drive: &mut Drive<N>) {
        match <Self as SynapseGroup<N>>::channel(self, ctx) {
            // one pass: decay, add the arrivals, write the current (and conductance)
            Some(mut channel) => channel.apply(drive),
            None => {
                self.syn.step(ctx);
                self.out.apply(self.syn.g(), v, drive, self.writer);
            }
        }
    }
    fn channel(&mut self, ctx: &StepCtx) -> Option<ExpChannel<'_>> {
        let affine = self.out.affine()?;
        self.syn.channel(ctx, affine)
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        neurotype_models::snapshot::Snapshot::visit_state(&mut self.syn, v);
    }
    fn reset(&mut self) {
        self.syn.reset_state();
    }
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        self.syn.state_vars()
    }
    fn merges(&self, syn: &dyn Any, out: &dyn Any) -> bool {
        match (syn.downcast_ref::<S>(), out.downcast_ref::<O>()) {
            (Some(syn), Some(out)) => self.syn.same_dynamics(syn) && self.out == *out,
            _ => false,
        }
    }
}
