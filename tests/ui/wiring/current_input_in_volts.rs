//! A constant input in millivolts onto LIF neurons, whose input is a current.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let cells = net.add("cells", Lif::builder(10).build()?);
    net.input(ExternalCurrent::constant(cells, 20.0 * mV)?)?;
    Ok(())
}
