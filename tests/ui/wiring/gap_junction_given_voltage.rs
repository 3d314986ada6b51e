use neurotype::prelude::*;

fn main() -> Result<(), NetworkError> {
    let mut net = Network::new(0.1 * ms)?;
    let p = net.add("P", Lif::builder(2).build()?);
    // a gap junction's weight is a conductance (a voltage difference becomes a current);
    // BrainPy finds a wrong unit when the currents are added, here it does not compile
    net.input(GapJunction::symmetric(p, p, &[(0, 1)], &[1.0 * mV])?)?;
    Ok(())
}
