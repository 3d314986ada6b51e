use neurotype::prelude::*;

fn main() {
    // BrainPy's MgBlock default did this at run time: exp(alpha * V) with V in mV.
    let v = -65.0 * mV;
    let _block = exp(v);
}
