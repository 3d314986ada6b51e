use neurotype::prelude::*;

fn main() {
    let _i_syn: ElectricCurrent = 0.6 * mS;
}
