use neurotype::prelude::*;

fn main() {
    // BrainPy accepted `tau=5.0` and crashed mid-run; here a bare number is not a time.
    let _dt = TimeStep::new(5.0);
}
