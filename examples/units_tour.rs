//! A tour of typed quantities: writing them, computing with them, printing and parsing them.
//!
//! `cargo run --example units_tour`

use neurotype::prelude::*;

fn main() -> Result<(), Report> {
    // ANCHOR: write
    let v_rest = -65.0 * mV;
    let tau = 10.0 * ms;
    let c_m = 200.0 * pF;
    let g_na = 36.0 * mS_per_cm2;
    let mg = 1.2 * mM;
    let alpha = 0.98 * per_mM_per_ms; // AMPA binding rate
    // ANCHOR_END: write

    // ANCHOR: compute
    let g_leak = c_m / tau; // capacitance / time = conductance
    let i = 0.25 * nA;
    let v_inf = v_rest + i / g_leak; // current / conductance = voltage
    let area = 20_000.0 * um2;
    let g_na_total: ElectricalConductance = g_na * area; // density × area
    let binding: Frequency = alpha * mg; // 1/(mM·ms) × mM = 1/ms
    let decay = exp(-(0.1 * ms) / tau); // exp of a ratio
    // ANCHOR_END: compute

    // ANCHOR: show
    println!("g_leak       = {}", g_leak.show()); // 20 nS
    println!("V_inf        = {}", v_inf.show()); // -52.5 mV
    println!("gNa × area   = {}", g_na_total.show()); // 7.2 uS
    println!("alpha·[Mg]   = {}", binding.show()); // 1.176 kHz
    println!("decay factor = {:.6}", decay.value);
    println!("tau in s     = {}", in_units(tau, second)); // 0.01
    // ANCHOR_END: show

    // ANCHOR: parse
    let t_ref = Time::parse("2 ms")?;
    let e_gaba = ElectricPotential::parse("-80 mV")?;
    let g_k = ConductanceDensity::parse("36 mS/cm^2")?;
    assert_eq!(t_ref, 2.0 * ms);
    assert!(Time::parse("2 mV").is_err()); // not a time
    println!(
        "parsed: {}, {}, {}",
        t_ref.show(),
        e_gaba.show(),
        g_k.show()
    );
    // ANCHOR_END: parse
    Ok(())
}
