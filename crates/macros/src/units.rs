//! The quantity kinds and unit constants of `neurotype-units`, from its one table
//! (`crates/units/src/dimension.rs`, a dependency-free file included here as a module).

#[path = "../../units/src/dimension.rs"]
#[allow(dead_code)]
pub mod table;

/// Whether `name` is a constant of `neurotype_units::constants`.
pub fn is_unit(name: &str) -> bool {
    table::UNITS.iter().any(|(u, _)| *u == name)
}
