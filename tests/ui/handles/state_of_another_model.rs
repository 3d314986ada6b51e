//! A LIF neuron has no gating variable `m` (Hodgkin-Huxley's sodium activation).
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let e = net.add("E", Lif::builder(10).build()?);
    let _m = net.monitor(e.state().m, vec![0], 1)?;
    Ok(())
}
