//! The system of units neurotype computes in, and the quantity types a modeller uses.
//!
//! Every quantity is a [`uom`] quantity over `f64` whose dimension is part of its type. The
//! numbers are stored in a coherent "neuro" system of base units chosen so that the usual
//! magnitudes of neuroscience are stored as they are written:
//!
//! | quantity | stored in |
//! |---|---|
//! | time | ms |
//! | voltage | mV |
//! | current | µA |
//! | conductance | mS |
//! | capacitance | µF |
//! | resistance | kΩ |
//! | concentration | mM (mol/m³) |
//! | area | µm² |
//! | frequency | kHz (1/ms) |
//!
//! (This follows from the base units µm, mg, ms, µA and amol.) Because times are stored in
//! milliseconds, `t = i · dt` is computed with exactly the floating-point values BrainPy uses
//! (`i * 0.1`), so strict comparisons such as `t − t_spike < τ_ref` fall on the same side of the
//! limit as in BrainPy. The choice of storage unit never shows in the API: `0.1 * ms`,
//! `100.0 * us` and `1e-4 * second` are the same quantity.

use uom::si::ISQ;
use uom::system_quantities;
use uom::typenum::{N1, N2, N3, N4, P1, P2, P3, P4, Z0};

uom::ISQ!(
    uom::si,
    crate::Real,
    (
        micrometer,
        milligram,
        millisecond,
        microampere,
        kelvin,
        attomole,
        candela
    )
);

/// The generic quantity type of this system: dimension `D`, neuro base units, [`Real`](crate::Real) storage.
pub type Quantity<D> = uom::si::Quantity<D, Units, crate::Real>;

/// Conductance per membrane area (e.g. `36.0 * mS_per_cm2`).
pub type ConductanceDensity = Quantity<ISQ<N4, N1, P3, P2, Z0, Z0, Z0>>;
/// Capacitance per membrane area (e.g. `1.0 * uF_per_cm2`).
pub type CapacitanceDensity = Quantity<ISQ<N4, N1, P4, P2, Z0, Z0, Z0>>;
/// Current per membrane area (e.g. `10.0 * uA_per_cm2`). Same type as uom's
/// `ElectricCurrentDensity`.
pub type CurrentDensity = Quantity<ISQ<N2, Z0, Z0, P1, Z0, Z0, Z0>>;
/// A rate constant, 1/time (e.g. `0.18 * per_ms`). The type of every diagonal entry of a
/// Jacobian ∂(dx/dt)/∂x, whatever the unit of x.
pub type Rate = Frequency;
/// A binding rate per concentration, 1/(concentration·time) (e.g. AMPA's
/// `0.98 * per_mM_per_ms`).
pub type ConcentrationRate = Quantity<ISQ<P3, Z0, N1, Z0, Z0, N1, Z0>>;
/// 1/voltage (e.g. the Mg²⁺ block slope `0.062 * per_mV`).
pub type InverseVoltage = Quantity<ISQ<N2, N1, P3, P1, Z0, Z0, Z0>>;
/// 1/(voltage·time) (e.g. Izhikevich's `p1 = 0.04 * per_mV_per_ms`).
pub type InverseVoltageTime = Quantity<ISQ<N2, N1, P2, P1, Z0, Z0, Z0>>;
/// Voltage per time, dV/dt (e.g. Izhikevich's input `10.0 * mV_per_ms`).
pub type VoltageRate = Quantity<ISQ<P2, P1, N4, N1, Z0, Z0, Z0>>;
/// Current per time, dI/dt.
pub type CurrentRate = Quantity<ISQ<Z0, Z0, N1, P1, Z0, Z0, Z0>>;
/// Conductance per time, dg/dt.
pub type ConductanceRate = Quantity<ISQ<N2, N1, P2, P2, Z0, Z0, Z0>>;
/// Concentration per time, d\[C\]/dt.
pub type ConcentrationPerTime = Quantity<ISQ<N3, Z0, N1, Z0, Z0, P1, Z0>>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::*;

    #[test]
    fn base_units_are_the_neuro_units() {
        assert_eq!((1.0 * ms).value, 1.0);
        assert_eq!((1.0 * mV).value, 1.0);
        assert_eq!((1.0 * mS).value, 1.0);
        assert_eq!((1.0 * uA).value, 1.0);
        assert_eq!((1.0 * uF).value, 1.0);
        assert_eq!((1.0 * kohm).value, 1.0);
        assert_eq!((1.0 * mM).value, 1.0);
        // derived ones are coherent: mS·mV = µA, µF·mV/ms = µA, mV/µA = kΩ
        let i: ElectricCurrent = (2.0 * mS) * (3.0 * mV);
        assert_eq!(i.value, 6.0);
        let c_dv: ElectricCurrent = (1.0 * uF) * (5.0 * mV) / (1.0 * ms);
        assert_eq!(c_dv.value, 5.0);
        let r: ElectricalResistance = (1.0 * mV) / (1.0 * uA);
        assert_eq!(r.value, 1.0);
    }

    #[test]
    fn derived_aliases_are_the_products_they_name() {
        fn same<T>(_: T, _: T) {}
        same((1.0 * mS) / (1.0 * cm2), 1.0 * mS_per_cm2);
        same((1.0 * uF) / (1.0 * cm2), 1.0 * uF_per_cm2);
        same((1.0 * uA) / (1.0 * cm2), 1.0 * uA_per_cm2);
        same(1.0 / ((1.0 * mM) * (1.0 * ms)), 1.0 * per_mM_per_ms);
        same(1.0 / (1.0 * mV), 1.0 * per_mV);
        same(1.0 / ((1.0 * mV) * (1.0 * ms)), 1.0 * per_mV_per_ms);
        same((1.0 * mV) / (1.0 * ms), 1.0 * mV_per_ms);
        let _: CurrentRate = (1.0 * uA) / (1.0 * ms);
        let _: ConductanceRate = (1.0 * mS) / (1.0 * ms);
        let _: ConcentrationPerTime = (1.0 * mM) / (1.0 * ms);
        let _: Rate = 1.0 / (1.0 * ms);
    }

    #[test]
    fn uom_units_agree_with_constants() {
        use uom::si::{electric_potential::volt, time::second};
        let t = Time::new::<second>(0.02);
        assert!((t - 20.0 * ms).abs().value < 1e-12);
        let v = ElectricPotential::new::<volt>(-0.065);
        assert!((v - (-65.0) * mV).abs().value < 1e-12);
    }
}
