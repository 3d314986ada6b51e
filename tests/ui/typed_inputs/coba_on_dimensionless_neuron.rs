use neurotype::prelude::*;

fn main() -> Result<(), InvalidParameter> {
    // FitzHugh-Nagumo has a dimensionless potential: a reversal potential in mV cannot
    // drive it.
    let fhn = FitzHughNagumo::builder(1).build()?;
    let mut drive = Drive::<FitzHughNagumo>::new(fhn.len());
    let g = Column::<Ratio>::zeros(1);
    let out = Coba { e: 0.0 * mV };
    out.apply(&g, fhn.potential(), &mut drive, Writer(0));
    Ok(())
}
