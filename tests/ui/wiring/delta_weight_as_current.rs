//! A δ projection onto LIF given currents; it adds its weights to V, so they are voltages.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(PoissonGroup::new(100, 10.0 * Hz, 1)?);
    let post = net.add("post", Lif::builder(10).build()?);
    net.connect(DeltaProj::new(pre, post).comm(Comm::all_to_all(100, 10, 0.1 * nA)))?;
    Ok(())
}
