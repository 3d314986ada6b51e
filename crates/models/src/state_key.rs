//! Typed handles to state variables: a misspelt state or a quantity of the wrong kind is a
//! compile error, not a run-time lookup failure.

use core::fmt;
use core::marker::PhantomData;

/// A typed handle to state variable `Q` (a quantity type, e.g. `ElectricPotential`) of
/// `owner` (in a network, the population handle).
///
/// Every model's state struct declares one per variable, as a field of its keys struct
/// ([`StateColumns::Keys`](crate::column::StateColumns::Keys)): `LifKeys { v }`, `HhKeys { v,
/// m, h, n }`. A network hands them out per population (`pop.state().v`), and monitors and
/// inputs take them instead of BrainPy's string names, so that
///
/// - a state the model does not have is a missing field, found by the compiler;
/// - a monitor's trace comes back as `Vec<Q>`, and an input's weight must be a `Q`.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_models::column::StateColumns;
/// use neurotype_models::neurons::lif::LifState;
/// use neurotype_units::prelude::*;
///
/// let keys = LifState::keys("E");
/// let v: StateKey<&str, ElectricPotential> = keys.v;
/// assert_eq!((*v.owner(), v.name()), ("E", "V"));
/// ```
pub struct StateKey<O, Q> {
    owner: O,
    name: &'static str,
    _q: PhantomData<fn() -> Q>,
}

impl<O, Q> StateKey<O, Q> {
    /// The handle to the variable BrainPy calls `name`, of `owner`.
    pub const fn new(owner: O, name: &'static str) -> Self {
        Self {
            owner,
            name,
            _q: PhantomData,
        }
    }

    /// Whose state it is.
    pub fn owner(&self) -> &O {
        &self.owner
    }

    /// The variable's BrainPy name (`"V"`, `"w"`, `"m"`).
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<O: Clone, Q> Clone for StateKey<O, Q> {
    fn clone(&self) -> Self {
        Self::new(self.owner.clone(), self.name)
    }
}

impl<O: Copy, Q> Copy for StateKey<O, Q> {}

impl<O: fmt::Debug, Q> fmt::Debug for StateKey<O, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StateKey")
            .field("owner", &self.owner)
            .field("name", &self.name)
            .field("quantity", &core::any::type_name::<Q>())
            .finish()
    }
}
