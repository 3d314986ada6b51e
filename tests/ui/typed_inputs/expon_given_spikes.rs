use neurotype::prelude::*;

fn main() -> Result<(), InvalidParameter> {
    let dt = TimeStep::new(0.1 * ms)?;
    let mut expon: Expon = Expon::builder(1).tau(5.0 * ms).build()?;
    // An exponential synapse takes a conductance increment, not a spike.
    expon.update(&StepCtx::new(0, dt), &[true]);
    Ok(())
}
