use neurotype::prelude::*;

fn main() {
    // BrainPy's MgBlock default alpha = 0.062 is a bare number; here it must be per millivolt.
    let _block = MgBlock::new(0.0 * mV, 1.2 * mM, 0.062, 3.57 * mM, 0.0 * mV);
}
