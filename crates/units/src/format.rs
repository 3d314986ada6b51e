//! Human display and parsing of quantities: `"20 ms"`, `"-65 mV"`, `"36 mS/cm^2"`.
//!
//! ```
//! use neurotype_units::prelude::*;
//! let tau = Time::parse("20 ms").unwrap();
//! assert_eq!(tau, 20.0 * ms);
//! assert_eq!(format!("{}", (-65.0 * mV).show()), "-65 mV");
//! assert_eq!(format!("{}", (6.0 * nS).show()), "6 nS");
//! assert_eq!(format!("{:.1}", (0.25 * ms).show()), "0.2 ms");
//! ```
//!
//! Each quantity type has a canonical unit (the one neuroscientists write: ms, mV, mS, µA, µF,
//! kΩ, mM, Hz, µm², mS/cm², …). Display uses it while the number is in [0.1, 1000); otherwise
//! it moves along the SI-prefix family (6e-6 mS is shown as `6 nS`, 2000 µA as `2 mA`).

use crate::Raw;
use crate::system::*;
use core::fmt;

/// A quantity type with a known set of unit symbols.
pub trait Unitful: Raw {
    /// Plain-language name of the quantity kind, used in error messages ("time", "voltage").
    const KIND: &'static str;
    /// Index into [`Unitful::FAMILY`] of the canonical display unit.
    const CANONICAL: usize;
    /// The SI-prefix family, in increasing size: `(symbol, stored value of one unit)`.
    const FAMILY: &'static [(&'static str, f64)];
    /// Other accepted spellings when parsing.
    const ALIASES: &'static [(&'static str, f64)];

    /// A value that formats itself as `"<number> <unit>"`.
    fn show(self) -> Show<Self> {
        Show(self)
    }

    /// Parses `"<number> <unit>"` (`"20 ms"`, `"-65mV"`, `"1e-3 s"`, `"0.5 µs"`).
    fn parse(text: &str) -> Result<Self, ParseQuantityError> {
        parse_quantity(text)
    }

    /// The canonical unit symbol (`"ms"` for a time).
    fn canonical_symbol() -> &'static str {
        Self::FAMILY[Self::CANONICAL].0
    }

    /// The value expressed in the canonical unit (`20.0` for 20 ms).
    fn in_canonical(self) -> f64 {
        crate::wide(self.raw()) / Self::FAMILY[Self::CANONICAL].1
    }
}

/// Display adapter returned by [`Unitful::show`].
#[derive(Clone, Copy)]
pub struct Show<Q>(pub Q);

impl<Q: Unitful> fmt::Display for Show<Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = crate::wide(self.0.raw());
        let (symbol, factor) = display_unit::<Q>(raw);
        let number = raw / factor;
        let text = match f.precision() {
            Some(p) => format!("{number:.p$}"),
            None => format_significant(number, 12),
        };
        let text = if symbol.is_empty() {
            text
        } else {
            format!("{text} {symbol}")
        };
        pad(f, &text)
    }
}

/// Applies width, fill and alignment (but not precision, already used for the number).
fn pad(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let len = text.chars().count();
    let width = f.width().unwrap_or(0);
    if len >= width {
        return f.write_str(text);
    }
    let fill = f.fill().to_string();
    let gap = width - len;
    let (left, right) = match f.align() {
        Some(fmt::Alignment::Left) => (0, gap),
        Some(fmt::Alignment::Center) => (gap / 2, gap - gap / 2),
        _ => (gap, 0),
    };
    write!(f, "{}{text}{}", fill.repeat(left), fill.repeat(right))
}

impl<Q: Unitful> fmt::Debug for Show<Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn display_unit<Q: Unitful>(raw: f64) -> (&'static str, f64) {
    let canonical = Q::FAMILY[Q::CANONICAL];
    let in_canonical = (raw / canonical.1).abs();
    if !raw.is_finite() || raw == 0.0 || (0.1..1e3).contains(&in_canonical) {
        return canonical;
    }
    // Largest unit that keeps the number at or above 1; the smallest one otherwise.
    let mut best = Q::FAMILY[0];
    for &(symbol, factor) in Q::FAMILY {
        if (raw / factor).abs() >= 1.0 {
            best = (symbol, factor);
        }
    }
    best
}

/// Formats with at most `digits` significant digits, without trailing zeros or exponent for
/// ordinary magnitudes (`6`, `-65`, `0.1`, `1.5e-12`).
fn format_significant(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-5..15).contains(&magnitude) {
        let s = format!("{:.*e}", digits - 1, x);
        let (mantissa, exponent) = s.split_once('e').expect("exponent format");
        let mantissa = trim_zeros(mantissa);
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    trim_zeros(&format!("{x:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Why a string is not a quantity of the requested kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseQuantityError {
    /// No number at the start of the text.
    #[error("`{text}` does not start with a number")]
    NoNumber {
        /// The text given.
        text: String,
    },
    /// The unit is not one of this quantity kind's units.
    #[error("`{unit}` is not a unit of {kind}; expected one of {expected}")]
    UnknownUnit {
        /// The unit found.
        unit: String,
        /// The quantity kind requested.
        kind: &'static str,
        /// The accepted units.
        expected: String,
    },
}

/// Parses `"<number> <unit>"` into the quantity type `Q`.
pub fn parse_quantity<Q: Unitful>(text: &str) -> Result<Q, ParseQuantityError> {
    let trimmed = text.trim();
    let split = numeric_prefix_len(trimmed);
    let number: f64 = trimmed[..split]
        .parse()
        .map_err(|_| ParseQuantityError::NoNumber {
            text: text.to_string(),
        })?;
    let unit = normalise_unit(trimmed[split..].trim());
    let factor = Q::FAMILY
        .iter()
        .chain(Q::ALIASES)
        .find(|(symbol, _)| normalise_unit(symbol) == unit)
        .map(|&(_, factor)| factor)
        .ok_or_else(|| ParseQuantityError::UnknownUnit {
            unit: trimmed[split..].trim().to_string(),
            kind: Q::KIND,
            expected: Q::FAMILY
                .iter()
                .map(|(s, _)| if s.is_empty() { "(none)" } else { *s })
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    Ok(Q::from_raw(crate::narrow(number * factor)))
}

/// Length of the leading floating-point literal (sign, digits, point, exponent).
fn numeric_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let lower = s[i..].to_ascii_lowercase();
    for word in ["inf", "nan"] {
        if lower.starts_with(word) {
            return i + word.len();
        }
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}

/// Canonical spelling for comparison: µ/μ → u, Ω → ohm, ² → 2, `^2` → 2, no spaces or `*`.
fn normalise_unit(s: &str) -> String {
    s.replace(['µ', 'μ'], "u")
        .replace('Ω', "ohm")
        .replace('²', "2")
        .replace("^2", "2")
        .replace(['*', '·', ' '], "")
}

macro_rules! unitful {
    ($ty:ty, $kind:literal, canonical $c:literal, [$(($s:literal, $f:expr)),* $(,)?], aliases [$(($as:literal, $af:expr)),* $(,)?]) => {
        impl Unitful for $ty {
            const KIND: &'static str = $kind;
            const CANONICAL: usize = $c;
            const FAMILY: &'static [(&'static str, f64)] = &[$(($s, $f)),*];
            const ALIASES: &'static [(&'static str, f64)] = &[$(($as, $af)),*];
        }
    };
}

unitful!(Time, "time", canonical 2,
    [("ns", 1e-6), ("us", 1e-3), ("ms", 1.0), ("s", 1e3)],
    aliases [("sec", 1e3), ("min", 6e4), ("msec", 1.0)]);
unitful!(ElectricPotential, "voltage", canonical 2,
    [("nV", 1e-6), ("uV", 1e-3), ("mV", 1.0), ("V", 1e3)],
    aliases [("kV", 1e6)]);
unitful!(ElectricCurrent, "current", canonical 3,
    [("fA", 1e-9), ("pA", 1e-6), ("nA", 1e-3), ("uA", 1.0), ("mA", 1e3), ("A", 1e6)],
    aliases []);
unitful!(ElectricalConductance, "conductance", canonical 3,
    [("pS", 1e-9), ("nS", 1e-6), ("uS", 1e-3), ("mS", 1.0), ("S", 1e3)],
    aliases [("siemens", 1e3)]);
unitful!(Capacitance, "capacitance", canonical 2,
    [("pF", 1e-6), ("nF", 1e-3), ("uF", 1.0), ("mF", 1e3), ("F", 1e6)],
    aliases []);
unitful!(ElectricalResistance, "resistance", canonical 1,
    [("mohm", 1e-6), ("ohm", 1e-3), ("kohm", 1.0), ("Mohm", 1e3), ("Gohm", 1e6)],
    aliases [("Ohm", 1e-3), ("kOhm", 1.0), ("MOhm", 1e3), ("GOhm", 1e6)]);
unitful!(MolarConcentration, "concentration", canonical 2,
    [("nM", 1e-6), ("uM", 1e-3), ("mM", 1.0), ("M", 1e3)],
    aliases [("mol/m3", 1.0), ("mmol/L", 1.0)]);
unitful!(Frequency, "rate (1/time)", canonical 0,
    [("Hz", 1e-3), ("kHz", 1.0), ("MHz", 1e3)],
    aliases [("1/ms", 1.0), ("/ms", 1.0), ("1/s", 1e-3), ("/s", 1e-3), ("ms^-1", 1.0)]);
unitful!(Area, "area", canonical 0,
    [("um^2", 1.0), ("mm^2", 1e6), ("cm^2", 1e8), ("m^2", 1e12)],
    aliases []);
unitful!(Ratio, "dimensionless number", canonical 0,
    [("", 1.0)],
    aliases [("1", 1.0), ("%", 1e-2)]);
unitful!(ConductanceDensity, "conductance density", canonical 1,
    [("uS/cm^2", 1e-11), ("mS/cm^2", 1e-8), ("S/cm^2", 1e-5)],
    aliases [("S/m^2", 1e-9), ("mS/um^2", 1.0)]);
unitful!(CapacitanceDensity, "capacitance density", canonical 1,
    [("nF/cm^2", 1e-11), ("uF/cm^2", 1e-8)],
    aliases [("F/m^2", 1e-6)]);
unitful!(CurrentDensity, "current density", canonical 1,
    [("nA/cm^2", 1e-11), ("uA/cm^2", 1e-8), ("mA/cm^2", 1e-5)],
    aliases [("A/m^2", 1e-6)]);
unitful!(ConcentrationRate, "rate per concentration", canonical 0,
    [("1/(mM*ms)", 1.0)],
    aliases [("/mM/ms", 1.0), ("1/(ms*mM)", 1.0), ("/(mM*ms)", 1.0)]);
unitful!(InverseVoltage, "inverse voltage", canonical 0,
    [("1/mV", 1.0), ("1/V", 1e-3)],
    aliases [("/mV", 1.0), ("/V", 1e-3)]);
unitful!(InverseVoltageTime, "1/(voltage*time)", canonical 0,
    [("1/(ms*mV)", 1.0)],
    aliases [("1/(mV*ms)", 1.0), ("/mV/ms", 1.0), ("/ms/mV", 1.0)]);
unitful!(VoltageRate, "voltage per time", canonical 0,
    [("mV/ms", 1.0), ("V/s", 1.0)],
    aliases [("mV/s", 1e-3)]);
unitful!(CurrentRate, "current per time", canonical 0,
    [("uA/ms", 1.0), ("nA/ms", 1e-3), ("pA/ms", 1e-6)],
    aliases []);
unitful!(ConductanceRate, "conductance per time", canonical 0,
    [("nS/ms", 1e-6), ("uS/ms", 1e-3), ("mS/ms", 1.0)],
    aliases []);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::*;

    #[test]
    fn displays_in_canonical_units() {
        assert_eq!((20.0 * ms).show().to_string(), "20 ms");
        assert_eq!((0.1 * ms).show().to_string(), "0.1 ms");
        assert_eq!((-65.0 * mV).show().to_string(), "-65 mV");
        assert_eq!((0.6 * mS).show().to_string(), "0.6 mS");
        assert_eq!((200.0 * pF).show().to_string(), "200 pF");
        assert_eq!((36.0 * mS_per_cm2).show().to_string(), "36 mS/cm^2");
        assert_eq!((1.2 * mM).show().to_string(), "1.2 mM");
        assert_eq!((20.0 * Hz).show().to_string(), "20 Hz");
        assert_eq!((0.0 * ms).show().to_string(), "0 ms");
    }

    #[test]
    fn displays_far_magnitudes_with_prefixes() {
        assert_eq!((6.0 * nS).show().to_string(), "6 nS");
        assert_eq!((67.0 * nS).show().to_string(), "67 nS");
        assert_eq!((2.0 * second).show().to_string(), "2 s");
        assert_eq!((2.0 * mA).show().to_string(), "2 mA");
        assert_eq!((20.0 * second).show().to_string(), "20 s");
        assert_eq!((5.0 * pA).show().to_string(), "5 pA");
    }

    #[test]
    fn display_respects_precision_and_width() {
        assert_eq!(format!("{:.3}", (0.1 * ms).show()), "0.100 ms");
        assert_eq!(format!("{:>8}", (5.0 * ms).show()), "    5 ms");
    }

    #[test]
    fn parses_common_spellings() {
        assert_eq!(Time::parse("20 ms").unwrap(), 20.0 * ms);
        assert_eq!(Time::parse("20ms").unwrap(), 20.0 * ms);
        assert_eq!(Time::parse(" 1e-3 s ").unwrap(), 1.0 * ms);
        assert_eq!(Time::parse("500 µs").unwrap(), 500.0 * us);
        assert_eq!(Time::parse("500 us").unwrap(), 500.0 * us);
        assert_eq!(ElectricPotential::parse("-65 mV").unwrap(), -65.0 * mV);
        assert_eq!(
            ConductanceDensity::parse("36 mS/cm²").unwrap(),
            36.0 * mS_per_cm2
        );
        assert_eq!(
            ConductanceDensity::parse("36 mS/cm^2").unwrap(),
            36.0 * mS_per_cm2
        );
        assert_eq!(ElectricalResistance::parse("1 MΩ").unwrap(), 1.0 * Mohm);
        assert_eq!(Ratio::parse("0.5").unwrap().value, 0.5);
        assert_eq!(Frequency::parse("0.18 1/ms").unwrap(), 0.18 * per_ms);
        assert_eq!(
            ConcentrationRate::parse("0.98 1/(mM*ms)").unwrap(),
            0.98 * per_mM_per_ms
        );
    }

    #[test]
    fn rejects_wrong_units_with_a_useful_message() {
        let err = Time::parse("20 mV").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`mV` is not a unit of time; expected one of ns, us, ms, s"
        );
        assert!(matches!(
            ElectricPotential::parse("mV"),
            Err(ParseQuantityError::NoNumber { .. })
        ));
    }

    #[test]
    fn display_then_parse_round_trips() {
        for q in [0.1 * ms, 1.7 * ms, 1500.0 * ms, 37.0 * second, 3.0 * us] {
            let text = q.show().to_string();
            let back = Time::parse(&text).unwrap();
            assert!((back - q).abs().value <= 1e-12 * q.value.abs(), "{text}");
        }
    }
}
