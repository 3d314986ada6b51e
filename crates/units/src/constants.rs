//! Unit constants, so that code reads like a paper: `-65.0 * mV`, `0.1 * ms`,
//! `36.0 * mS_per_cm2`, `1.2 * mM`, `200.0 * pF`.
//!
//! Each constant is the quantity "one of that unit". Multiplying by an `f64` gives a quantity;
//! dividing a quantity by a constant gives the number of those units (a [`Ratio`]), e.g.
//! `(v / mV).get::<ratio>()` or, shorter, [`in_units`](crate::in_units)`(v, mV)`.
//! Names use ASCII: `u` stands for µ (`us`, `uA`, `uF`, `um2`) and `ohm` for Ω. The unprefixed
//! units are spelled out (`second`, `volt`, `amp`, `siemens`, `farad`, `molar`) so that no
//! one-letter constant captures a variable name such as `s` in a pattern.
#![allow(non_upper_case_globals)]

use crate::system::*;
use core::marker::PhantomData;

macro_rules! unit_constants {
    ($($(#[$meta:meta])* $name:ident : $ty:ty = $value:expr;)*) => {
        $(
            $(#[$meta])*
            pub const $name: $ty = uom::si::Quantity {
                dimension: PhantomData,
                units: PhantomData,
                value: $value,
            };
        )*
    };
}

unit_constants! {
    // time (stored in ms)
    /// second (spelled out: a constant named `s` would capture every `|s|` and `let s`)
    second: Time = 1e3;
    /// millisecond
    ms: Time = 1.0;
    /// microsecond
    us: Time = 1e-3;
    /// minute
    minute: Time = 6e4;

    // voltage (stored in mV)
    /// volt
    volt: ElectricPotential = 1e3;
    /// millivolt
    mV: ElectricPotential = 1.0;
    /// microvolt
    uV: ElectricPotential = 1e-3;

    // current (stored in µA)
    /// ampere
    amp: ElectricCurrent = 1e6;
    /// milliampere
    mA: ElectricCurrent = 1e3;
    /// microampere
    uA: ElectricCurrent = 1.0;
    /// nanoampere
    nA: ElectricCurrent = 1e-3;
    /// picoampere
    pA: ElectricCurrent = 1e-6;

    // conductance (stored in mS)
    /// siemens
    siemens: ElectricalConductance = 1e3;
    /// millisiemens
    mS: ElectricalConductance = 1.0;
    /// microsiemens
    uS: ElectricalConductance = 1e-3;
    /// nanosiemens
    nS: ElectricalConductance = 1e-6;
    /// picosiemens
    pS: ElectricalConductance = 1e-9;

    // capacitance (stored in µF)
    /// farad
    farad: Capacitance = 1e6;
    /// microfarad
    uF: Capacitance = 1.0;
    /// nanofarad
    nF: Capacitance = 1e-3;
    /// picofarad
    pF: Capacitance = 1e-6;

    // resistance (stored in kΩ)
    /// ohm
    ohm: ElectricalResistance = 1e-3;
    /// kiloohm
    kohm: ElectricalResistance = 1.0;
    /// megaohm
    Mohm: ElectricalResistance = 1e3;
    /// gigaohm
    Gohm: ElectricalResistance = 1e6;

    // concentration (stored in mM = mol/m³)
    /// molar (mol/L)
    molar: MolarConcentration = 1e3;
    /// millimolar
    mM: MolarConcentration = 1.0;
    /// micromolar
    uM: MolarConcentration = 1e-3;
    /// nanomolar
    nM: MolarConcentration = 1e-6;

    // frequency and rates (stored in 1/ms = kHz)
    /// hertz
    Hz: Frequency = 1e-3;
    /// kilohertz (= 1/ms)
    kHz: Frequency = 1.0;
    /// per millisecond (= kHz)
    per_ms: Frequency = 1.0;
    /// per second (= Hz)
    per_s: Frequency = 1e-3;
    /// per millimolar per millisecond (kinetic binding rates)
    per_mM_per_ms: ConcentrationRate = 1.0;
    /// per millivolt
    per_mV: InverseVoltage = 1.0;
    /// per millivolt per millisecond
    per_mV_per_ms: InverseVoltageTime = 1.0;
    /// millivolt per millisecond
    mV_per_ms: VoltageRate = 1.0;

    // area (stored in µm²)
    /// square micrometre
    um2: Area = 1.0;
    /// square millimetre
    mm2: Area = 1e6;
    /// square centimetre
    cm2: Area = 1e8;
    /// square metre
    m2: Area = 1e12;

    // per-area densities (Hodgkin-Huxley style parameters)
    /// millisiemens per square centimetre
    mS_per_cm2: ConductanceDensity = 1e-8;
    /// siemens per square centimetre
    S_per_cm2: ConductanceDensity = 1e-5;
    /// microfarad per square centimetre
    uF_per_cm2: CapacitanceDensity = 1e-8;
    /// microampere per square centimetre
    uA_per_cm2: CurrentDensity = 1e-8;
    /// nanoampere per square centimetre
    nA_per_cm2: CurrentDensity = 1e-11;

    // dimensionless (a plain number is `ratio(0.5)`)
    /// per cent
    percent: Ratio = 1e-2;
}

#[cfg(test)]
mod tests {
    use super::*;
    use uom::si::{
        area::square_centimeter, capacitance::picofarad, electric_current::picoampere,
        electrical_conductance::nanosiemens, electrical_resistance::megaohm, frequency::hertz,
        molar_concentration::millimole_per_liter, time::microsecond,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    }

    #[test]
    fn constants_match_uom_definitions() {
        assert!(close(us.value, Time::new::<microsecond>(1.0).value));
        assert!(close(
            pA.value,
            ElectricCurrent::new::<picoampere>(1.0).value
        ));
        assert!(close(
            nS.value,
            ElectricalConductance::new::<nanosiemens>(1.0).value
        ));
        assert!(close(pF.value, Capacitance::new::<picofarad>(1.0).value));
        assert!(close(
            Mohm.value,
            ElectricalResistance::new::<megaohm>(1.0).value
        ));
        assert!(close(
            mM.value,
            MolarConcentration::new::<millimole_per_liter>(1.0).value
        ));
        assert!(close(Hz.value, Frequency::new::<hertz>(1.0).value));
        assert!(close(cm2.value, Area::new::<square_centimeter>(1.0).value));
        assert!(close(mS_per_cm2.value, (mS / cm2).value));
        assert!(close(uF_per_cm2.value, (uF / cm2).value));
        assert!(close(uA_per_cm2.value, (uA / cm2).value));
        assert!(close(per_mM_per_ms.value, (1.0 / (mM * ms)).value));
    }
}
