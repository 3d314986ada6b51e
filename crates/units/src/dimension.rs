//! The one table of quantity kinds and unit constants, in plain data.
//!
//! Each quantity type of the prelude is listed with its dimension (the exponents of length,
//! mass, time, current, temperature, amount and luminous intensity, in uom's order) and the
//! words a message uses for it ("a voltage"); each unit constant is listed with its quantity
//! type. The equation DSL's macros read this file to check the dimensions of a model's
//! equations while they expand, and the compiler-message decoder ([`crate::decode`]) reads it
//! to name the dimensions in rustc's messages. Tests check it against uom's types and against
//! [`crate::constants`].
//!
//! This file depends on nothing, so that the proc-macro crate can include it as a module.

/// Exponents of the seven base dimensions: length, mass, time, current, temperature, amount,
/// luminous intensity.
pub type Exponents = [i8; 7];

/// A named quantity kind.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The quantity type's name in `neurotype::units` (`"ElectricPotential"`).
    pub ty: &'static str,
    /// How a sentence names a value of this kind (`"a voltage"`).
    pub words: &'static str,
    /// Its dimension.
    pub exponents: Exponents,
}

const fn kind(ty: &'static str, words: &'static str, exponents: Exponents) -> Kind {
    Kind {
        ty,
        words,
        exponents,
    }
}

/// Every quantity type of `neurotype_units::prelude`, with uom's `Length` (for areas' square
/// roots). Where two types share a dimension (`Frequency` and `Rate`), the first names it.
pub const KINDS: &[Kind] = &[
    kind("Ratio", "a dimensionless number", [0, 0, 0, 0, 0, 0, 0]),
    kind("Time", "a time", [0, 0, 1, 0, 0, 0, 0]),
    kind("Frequency", "a rate (1/time)", [0, 0, -1, 0, 0, 0, 0]),
    kind("Rate", "a rate (1/time)", [0, 0, -1, 0, 0, 0, 0]),
    kind("ElectricPotential", "a voltage", [2, 1, -3, -1, 0, 0, 0]),
    kind("ElectricCurrent", "a current", [0, 0, 0, 1, 0, 0, 0]),
    kind(
        "ElectricalConductance",
        "a conductance",
        [-2, -1, 3, 2, 0, 0, 0],
    ),
    kind(
        "ElectricalResistance",
        "a resistance",
        [2, 1, -3, -2, 0, 0, 0],
    ),
    kind("Capacitance", "a capacitance", [-2, -1, 4, 2, 0, 0, 0]),
    kind("ElectricCharge", "a charge", [0, 0, 1, 1, 0, 0, 0]),
    kind(
        "MolarConcentration",
        "a concentration",
        [-3, 0, 0, 0, 0, 1, 0],
    ),
    kind("Area", "an area", [2, 0, 0, 0, 0, 0, 0]),
    kind("Length", "a length", [1, 0, 0, 0, 0, 0, 0]),
    kind(
        "ConductanceDensity",
        "a conductance per area",
        [-4, -1, 3, 2, 0, 0, 0],
    ),
    kind(
        "CapacitanceDensity",
        "a capacitance per area",
        [-4, -1, 4, 2, 0, 0, 0],
    ),
    kind(
        "CurrentDensity",
        "a current per area",
        [-2, 0, 0, 1, 0, 0, 0],
    ),
    kind(
        "ConcentrationRate",
        "a rate per concentration (1/(concentration·time))",
        [3, 0, -1, 0, 0, -1, 0],
    ),
    kind(
        "InverseVoltage",
        "an inverse voltage (1/voltage)",
        [-2, -1, 3, 1, 0, 0, 0],
    ),
    kind(
        "InverseVoltageTime",
        "a 1/(voltage·time)",
        [-2, -1, 2, 1, 0, 0, 0],
    ),
    kind("VoltageRate", "a voltage per time", [2, 1, -4, -1, 0, 0, 0]),
    kind("CurrentRate", "a current per time", [0, 0, -1, 1, 0, 0, 0]),
    kind(
        "ConductanceRate",
        "a conductance per time",
        [-2, -1, 2, 2, 0, 0, 0],
    ),
    kind(
        "ConcentrationPerTime",
        "a concentration per time",
        [-3, 0, -1, 0, 0, 1, 0],
    ),
];

/// Every constant of `neurotype_units::constants` and its quantity type (a [`Kind::ty`]); the
/// first of each type is the one suggestions use.
pub const UNITS: &[(&str, &str)] = &[
    ("ms", "Time"),
    ("second", "Time"),
    ("us", "Time"),
    ("minute", "Time"),
    ("mV", "ElectricPotential"),
    ("volt", "ElectricPotential"),
    ("uV", "ElectricPotential"),
    ("nA", "ElectricCurrent"),
    ("amp", "ElectricCurrent"),
    ("mA", "ElectricCurrent"),
    ("uA", "ElectricCurrent"),
    ("pA", "ElectricCurrent"),
    ("nS", "ElectricalConductance"),
    ("siemens", "ElectricalConductance"),
    ("mS", "ElectricalConductance"),
    ("uS", "ElectricalConductance"),
    ("pS", "ElectricalConductance"),
    ("pF", "Capacitance"),
    ("farad", "Capacitance"),
    ("uF", "Capacitance"),
    ("nF", "Capacitance"),
    ("Mohm", "ElectricalResistance"),
    ("ohm", "ElectricalResistance"),
    ("kohm", "ElectricalResistance"),
    ("Gohm", "ElectricalResistance"),
    ("mM", "MolarConcentration"),
    ("molar", "MolarConcentration"),
    ("uM", "MolarConcentration"),
    ("nM", "MolarConcentration"),
    ("Hz", "Frequency"),
    ("kHz", "Frequency"),
    ("per_ms", "Frequency"),
    ("per_s", "Frequency"),
    ("per_mM_per_ms", "ConcentrationRate"),
    ("per_mV", "InverseVoltage"),
    ("per_mV_per_ms", "InverseVoltageTime"),
    ("mV_per_ms", "VoltageRate"),
    ("um2", "Area"),
    ("mm2", "Area"),
    ("cm2", "Area"),
    ("m2", "Area"),
    ("mS_per_cm2", "ConductanceDensity"),
    ("S_per_cm2", "ConductanceDensity"),
    ("uF_per_cm2", "CapacitanceDensity"),
    ("uA_per_cm2", "CurrentDensity"),
    ("nA_per_cm2", "CurrentDensity"),
    ("percent", "Ratio"),
];

/// The kind of a quantity type's name.
pub fn kind_of_type(ty: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.ty == ty)
}

/// The first kind with these exponents.
pub fn kind_of(exponents: &Exponents) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.exponents == *exponents)
}

/// The dimension of a unit constant.
pub fn unit_exponents(unit: &str) -> Option<Exponents> {
    let (_, ty) = UNITS.iter().find(|(u, _)| *u == unit)?;
    kind_of_type(ty).map(|k| k.exponents)
}

/// The first unit constant of a dimension (`mV` for a voltage), for suggestions.
pub fn unit_for(exponents: &Exponents) -> Option<&'static str> {
    UNITS
        .iter()
        .find(|(u, ty)| {
            *u != "percent" && kind_of_type(ty).is_some_and(|k| k.exponents == *exponents)
        })
        .map(|(u, _)| *u)
}

/// `a · b` (`sign` 1) or `a / b` (`sign` −1).
pub fn combine(a: &Exponents, b: &Exponents, sign: i8) -> Exponents {
    let mut out = *a;
    for (o, e) in out.iter_mut().zip(b) {
        *o += sign * e;
    }
    out
}

/// The dimension written with neurotype's units: `mV·ms`, `mV/ms²`, `1` if dimensionless.
///
/// Mass appears in these dimensions only through the volt, so mass is read as mV, and the
/// remaining exponents of length, time, current and amount as µm, ms, µA and mol.
pub fn unit_formula(exponents: &Exponents) -> String {
    let [l, m, t, i, th, n, j] = *exponents;
    let mv = m;
    let parts: [(&str, i8); 7] = [
        ("mV", mv),
        ("µA", i + mv),
        ("µm", l - 2 * mv),
        ("ms", t + 3 * mv),
        ("mol", n),
        ("K", th),
        ("cd", j),
    ];
    let mut num = Vec::new();
    let mut den = Vec::new();
    for (s, e) in parts.iter().filter(|(_, e)| *e != 0) {
        let target = if *e > 0 { &mut num } else { &mut den };
        let p = e.unsigned_abs();
        target.push(if p == 1 {
            (*s).to_string()
        } else {
            format!("{s}{}", superscript(p))
        });
    }
    match (num.is_empty(), den.is_empty()) {
        (true, true) => "1".to_string(),
        (false, true) => num.join("·"),
        (true, false) if den.len() == 1 => format!("1/{}", den[0]),
        (true, false) => format!("1/({})", den.join("·")),
        (false, false) if den.len() == 1 => format!("{}/{}", num.join("·"), den[0]),
        (false, false) => format!("{}/({})", num.join("·"), den.join("·")),
    }
}

fn superscript(p: u8) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    p.to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect()
}

/// How a sentence names a value of this dimension: the kind's words ("a voltage"), or the
/// unit formula ("a quantity in mV·ms") when no kind has it.
pub fn words(exponents: &Exponents) -> String {
    match kind_of(exponents) {
        Some(k) => k.words.to_string(),
        None => format!("a quantity in {}", unit_formula(exponents)),
    }
}
