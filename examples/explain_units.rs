//! Makes unit errors readable: pipe a build log through it.
//!
//! ```text
//! cargo build 2>&1 | cargo run --example explain_units
//! ```
//!
//! Every `uom` quantity type in the log is rewritten as its name and dimension
//! (`Quantity<ElectricPotential (voltage) [L²·M·T⁻³·I⁻¹]>`) and every type-level integer as a
//! number (`PInt<UInt<UTerm, B1>>` → `+1`).

use std::io::Read;

fn main() -> std::io::Result<()> {
    let mut log = String::new();
    std::io::stdin().read_to_string(&mut log)?;
    print!("{}", neurotype::units::decode::explain(&log));
    Ok(())
}
