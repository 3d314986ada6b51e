use neurotype::prelude::*;

fn main() -> Result<(), NetworkError> {
    let mut net = Network::new(0.1 * ms)?;
    let p = net.add("P", Lif::builder(10).build()?);
    // a noise term in the membrane equation has the unit of V (the LIF's jumps); a current
    // amplitude belongs in a NoiseCurrent, and here it does not compile
    net.input(MembraneNoise::new(p, 2.0 * nA, 10.0 * ms, 1)?)?;
    Ok(())
}
