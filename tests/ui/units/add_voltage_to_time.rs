use neurotype::prelude::*;

fn main() {
    let v = -65.0 * mV;
    let t = 5.0 * ms;
    let _nonsense = v + t;
}
