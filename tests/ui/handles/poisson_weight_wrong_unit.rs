//! A Poisson background onto the membrane potential with its weight given as a conductance.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let e = net.add("E", Lif::builder(10).build()?);
    net.poisson_input(PoissonInput::on(e.state().v, 100, 10.0 * Hz, 0.5 * nS, 1)?)?;
    Ok(())
}
