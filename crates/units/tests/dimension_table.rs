//! The plain-data table of `neurotype_units::dimension` agrees with uom's types and with the
//! unit constants.

use neurotype_units::dimension::{self, Exponents, KINDS, UNITS};
use neurotype_units::*;
use std::marker::PhantomData;
use uom::typenum::Integer;

fn exponents<D: uom::si::Dimension + ?Sized>(_: PhantomData<Quantity<D>>) -> Exponents {
    [
        D::L::to_i8(),
        D::M::to_i8(),
        D::T::to_i8(),
        D::I::to_i8(),
        D::Th::to_i8(),
        D::N::to_i8(),
        D::J::to_i8(),
    ]
}

macro_rules! check_kinds {
    ($($ty:ident),* $(,)?) => {{
        let mut seen = Vec::new();
        $(
            let k = dimension::kind_of_type(stringify!($ty))
                .unwrap_or_else(|| panic!("{} is missing from KINDS", stringify!($ty)));
            assert_eq!(k.exponents, exponents(PhantomData::<$ty>), "{}", stringify!($ty));
            seen.push(stringify!($ty));
        )*
        seen
    }};
}

#[test]
fn every_kind_has_the_dimension_of_its_type() {
    let seen = check_kinds!(
        Ratio,
        Time,
        Frequency,
        Rate,
        ElectricPotential,
        ElectricCurrent,
        ElectricalConductance,
        ElectricalResistance,
        Capacitance,
        ElectricCharge,
        MolarConcentration,
        Area,
        Length,
        ConductanceDensity,
        CapacitanceDensity,
        CurrentDensity,
        ConcentrationRate,
        InverseVoltage,
        InverseVoltageTime,
        VoltageRate,
        CurrentRate,
        ConductanceRate,
        ConcentrationPerTime,
    );
    let mut listed: Vec<&str> = KINDS.iter().map(|k| k.ty).collect();
    listed.sort_unstable();
    let mut seen = seen;
    seen.sort_unstable();
    assert_eq!(listed, seen, "every kind of the table is checked here");
}

#[test]
fn every_unit_constant_is_listed_with_its_type() {
    let source = include_str!("../src/constants.rs");
    let block = source
        .split("unit_constants! {")
        .nth(1)
        .expect("the invocation of unit_constants!");
    let block = &block[..block.find("\n}").expect("end of the invocation")];
    let mut declared: Vec<(String, String)> = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && l.contains(':'))
        .map(|l| {
            let (name, rest) = l.split_once(':').expect("name: Type");
            let ty = rest.split('=').next().expect("a type").trim();
            (name.trim().to_string(), ty.to_string())
        })
        .collect();
    let mut listed: Vec<(String, String)> = UNITS
        .iter()
        .map(|(u, t)| ((*u).to_string(), (*t).to_string()))
        .collect();
    declared.sort();
    listed.sort();
    assert_eq!(declared, listed);
}

#[test]
fn unit_formulas_read_in_neuro_units() {
    let v = dimension::kind_of_type("ElectricPotential")
        .unwrap()
        .exponents;
    let t = dimension::kind_of_type("Time").unwrap().exponents;
    assert_eq!(dimension::unit_formula(&v), "mV");
    assert_eq!(
        dimension::unit_formula(&dimension::combine(&v, &t, 1)),
        "mV·ms"
    );
    assert_eq!(
        dimension::unit_formula(&dimension::combine(&dimension::combine(&v, &t, -1), &t, -1)),
        "mV/ms²"
    );
    assert_eq!(dimension::words(&v), "a voltage");
    assert_eq!(
        dimension::words(&dimension::combine(&v, &t, 1)),
        "a quantity in mV·ms"
    );
    assert_eq!(dimension::unit_for(&v), Some("mV"));
}
