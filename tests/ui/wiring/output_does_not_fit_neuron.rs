//! A COBA output with a reversal potential in millivolts onto FitzHugh-Nagumo, whose
//! potential is dimensionless.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(PoissonGroup::new(100, 10.0 * Hz, 1)?);
    let post = net.add("post", FitzHughNagumo::builder(10).build()?);
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::event_fixed_prob(100, 10, 0.1, ratio(0.1)))
            .syn(Expon::builder(10).tau(5.0 * ms).build()?)
            .out(Coba::new(0.0 * mV)?),
    )?;
    Ok(())
}
