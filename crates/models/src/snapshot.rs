//! One walk over a component's run-time state, used both to save it and to restore it.
//!
//! A checkpoint (see `neurotype_network::checkpoint`) must hold everything that changes
//! while a network runs, and nothing else: parameters, connectivity and plans are rebuilt by
//! the code that built the network. Each stateful component lists its state once, in
//! `visit_state`, by handing each piece to a [`StateVisitor`]; a saving visitor copies it
//! out, a restoring visitor copies a saved value in. Because both directions walk the same
//! list, a field cannot be saved and then forgotten on restore.

use crate::neuron::StateVarMut;
use crate::rng::Rng;
use neurotype_units::Real;

/// What a component hands its run-time state to. Names are relative to the enclosing
/// [`enter`](StateVisitor::enter)ed parts, and each name is used once per part.
pub trait StateVisitor {
    /// Numbers of fixed count (a state column, in stored units).
    fn floats(&mut self, name: &str, data: &mut [Real]);
    /// Flags of fixed count.
    fn flags(&mut self, name: &str, data: &mut [bool]);
    /// Counters of fixed count (a single counter is a one-element slice).
    fn counters(&mut self, name: &str, data: &mut [u64]);
    /// A list whose length is itself state (a spike list, a record).
    fn list_u32(&mut self, name: &str, data: &mut Vec<u32>);
    /// A list of 64-bit counters whose length is state.
    fn list_u64(&mut self, name: &str, data: &mut Vec<u64>);
    /// A list of numbers whose length is state.
    fn list_f64(&mut self, name: &str, data: &mut Vec<Real>);
    /// A random generator, so that a restored run draws the numbers the saved run would have.
    fn rng(&mut self, name: &str, rng: &mut Rng);
    /// Enters the part called `name`.
    fn enter(&mut self, name: &str);
    /// Leaves the part last entered.
    fn leave(&mut self);
}

/// Hands each named column of `vars` to `v`.
pub fn visit_vars(v: &mut dyn StateVisitor, vars: Vec<StateVarMut<'_>>) {
    for var in vars {
        v.floats(var.name, var.raw);
    }
}

/// A component whose run-time state can be saved and restored.
pub trait Snapshot {
    /// Hands every piece of run-time state to `v`, always in the same order.
    fn visit_state(&mut self, v: &mut dyn StateVisitor);
}

impl<N: crate::stepper::Dynamics> Snapshot for crate::stepper::NeuronCore<N> {
    fn visit_state(&mut self, v: &mut dyn StateVisitor) {
        use crate::column::StateColumns;
        visit_vars(v, self.state.vars_mut());
        if let Some(r) = &mut self.refractory {
            let mut vars = Vec::new();
            r.push_vars_mut(&mut vars);
            visit_vars(v, vars);
        }
        v.flags("spikes", &mut self.spikes);
    }
}

/// Implements [`Snapshot`] for a type whose run-time state is a fixed list of columns:
/// `snapshot_columns!(Type; field => "name", …)` (generic types: `for [G: Bound] Type<G>; …`).
macro_rules! snapshot_columns {
    (for [$($gen:tt)*] $T:ty; $($field:ident => $name:literal),+ $(,)?) => {
        impl<$($gen)*> $crate::snapshot::Snapshot for $T {
            fn visit_state(&mut self, v: &mut dyn $crate::snapshot::StateVisitor) {
                $( v.floats($name, self.$field.raw_mut()); )+
            }
        }
    };
    ($T:ty; $($field:ident => $name:literal),+ $(,)?) => {
        impl $crate::snapshot::Snapshot for $T {
            fn visit_state(&mut self, v: &mut dyn $crate::snapshot::StateVisitor) {
                $( v.floats($name, self.$field.raw_mut()); )+
            }
        }
    };
}
pub(crate) use snapshot_columns;
