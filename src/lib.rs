//! neurotype: spiking neural networks whose physical units are checked by the compiler.
pub use neurotype_units as units;
pub mod prelude {
    pub use neurotype_units::prelude::*;
}
