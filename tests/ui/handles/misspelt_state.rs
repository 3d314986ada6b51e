//! A LIF neuron has no state `vv`: the typed handle is a missing field, not a run-time lookup.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let e = net.add("E", Lif::builder(10).build()?);
    let _v = net.monitor(e.state().vv, vec![0], 1)?;
    Ok(())
}
