//! A membrane potential's trace read as currents.
use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    let mut net = Network::new(0.1 * ms)?;
    let e = net.add("E", Lif::builder(10).build()?);
    let v = net.monitor(e.state().v, vec![0], 1)?;
    net.run(1.0 * ms)?;
    let _i: Vec<ElectricCurrent> = net.record(v)?.trace(0)?;
    Ok(())
}
