use neurotype::prelude::*;

fn main() -> Result<(), InvalidParameter> {
    let dt = TimeStep::new(0.1 * ms)?;
    let mut ampa = Ampa::builder(1).build()?;
    // BrainPy fails at run time with `mS += 1`; here a kinetic synapse takes spikes only.
    ampa.update(&StepCtx::new(0, dt), &[1.0 * mS]);
    Ok(())
}
