//! `neurotype-explain`: makes unit errors readable. Pipe a build log through it:
//!
//! ```text
//! cargo install --path crates/units     # once
//! cargo build 2>&1 | neurotype-explain
//! ```
//!
//! Every `uom` quantity type in the log is rewritten as its name and its unit in neurotype's
//! units (`Quantity<ElectricPotential [mV]>`), every type-level integer as a number
//! (`PInt<UInt<UTerm, B1>>` → `+1`), and where rustc shortened a type and wrote the full name
//! to a file, the file's types are decoded and added as a note.

use std::io::Read;

fn main() -> std::io::Result<()> {
    let mut log = String::new();
    std::io::stdin().read_to_string(&mut log)?;
    let out = neurotype_units::decode::explain_log(&log, |path| std::fs::read_to_string(path).ok());
    print!("{out}");
    Ok(())
}
