use neurotype::prelude::*;

fn main() {
    // exprel needs dt * J (dimensionless), not dt alone.
    let dt = 0.1 * ms;
    let _factor = exprel(dt);
}
