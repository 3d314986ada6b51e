//! Weights in millivolts on a projection whose synapse feeds a COBA output.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(PoissonGroup::new(100, 10.0 * Hz, 1)?);
    let post = net.add("post", Lif::builder(10).build()?);
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::event_fixed_prob(100, 10, 0.1, 0.6 * mV))
            .syn(Expon::builder(10).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    Ok(())
}
