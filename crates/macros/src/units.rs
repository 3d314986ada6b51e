//! The unit constants of `neurotype_units::constants`, which an expression may name.

/// Every constant of `neurotype_units::constants` (checked against its source by a test).
pub const UNITS: &[&str] = &[
    "second",
    "ms",
    "us",
    "minute",
    "volt",
    "mV",
    "uV",
    "amp",
    "mA",
    "uA",
    "nA",
    "pA",
    "siemens",
    "mS",
    "uS",
    "nS",
    "pS",
    "farad",
    "uF",
    "nF",
    "pF",
    "ohm",
    "kohm",
    "Mohm",
    "Gohm",
    "molar",
    "mM",
    "uM",
    "nM",
    "Hz",
    "kHz",
    "per_ms",
    "per_s",
    "per_mM_per_ms",
    "per_mV",
    "per_mV_per_ms",
    "mV_per_ms",
    "um2",
    "mm2",
    "cm2",
    "m2",
    "mS_per_cm2",
    "S_per_cm2",
    "uF_per_cm2",
    "uA_per_cm2",
    "nA_per_cm2",
    "percent",
];

#[cfg(test)]
mod tests {
    #[test]
    fn list_matches_the_units_crate() {
        let source = include_str!("../../units/src/constants.rs");
        let block = source
            .split("unit_constants! {")
            .nth(1)
            .expect("the invocation of unit_constants!");
        let block = &block[..block.find("\n}").expect("end of the invocation")];
        let mut names: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("//") && l.contains(':'))
            .map(|l| l.split(':').next().expect("a name").trim())
            .collect();
        let mut known = super::UNITS.to_vec();
        names.sort_unstable();
        known.sort_unstable();
        assert_eq!(names, known);
    }
}
