use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let pre = net.add_source(PoissonGroup::new(10, 10.0 * Hz, 1)?);
    let post = net.add("post", Lif::builder(1).build()?);
    // STDP amplitudes have the unit of the weights: a millivolt step onto conductance weights
    // is rejected by the compiler, not found as wrong numbers after a run
    let rule = Stdp::builder(0.96 * mV, 0.53 * mV).build()?;
    net.connect(
        AlignPostProj::new(pre, post)
            .comm(Comm::all_to_all(10, 1, 0.5 * mS))
            .syn(Expon::builder(1).build()?)
            .out(Coba::new(0.0 * mV)?)
            .stdp(rule),
    )?;
    Ok(())
}
