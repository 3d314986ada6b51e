//! Decoding `uom`/`typenum` types in compiler messages.
//!
//! A unit mistake is reported by rustc in terms of the type-level integers that encode each
//! dimension exponent, e.g. `PInt<UInt<UInt<UTerm, B1>, B0>>` for +2. [`explain`] rewrites a
//! compiler message so that every quantity type reads as its dimension and, where it has one,
//! its name:
//!
//! ```
//! use neurotype_units::decode::explain;
//! let msg = "expected `NInt<UInt<UInt<UTerm, B1>, B1>>`, found `PInt<UInt<UTerm, B1>>`";
//! assert_eq!(explain(msg), "expected `-3`, found `+1`");
//! ```
//!
//! `cargo build 2>&1 | neurotype-explain` (this crate's binary: `cargo install --path crates/units`) applies
//! [`explain_log`] to a whole build log.

/// Exponents of the seven base dimensions, in uom's order: length, mass, time, current,
/// temperature, amount, luminous intensity.
pub type Exponents = [i32; 7];

const SYMBOLS: [&str; 7] = ["L", "M", "T", "I", "Th", "N", "J"];

fn narrow(exponents: &Exponents) -> Option<crate::dimension::Exponents> {
    let mut out = [0i8; 7];
    for (o, e) in out.iter_mut().zip(exponents) {
        *o = i8::try_from(*e).ok()?;
    }
    Some(out)
}

/// The quantity type of a dimension (from [`crate::dimension::KINDS`]), if it has one.
pub fn name_of(exponents: &Exponents) -> Option<&'static str> {
    crate::dimension::kind_of(&narrow(exponents)?).map(|k| k.ty)
}

/// The dimension in neurotype's units (`mV/ms`), see [`crate::dimension::unit_formula`].
pub fn unit_formula(exponents: &Exponents) -> String {
    match narrow(exponents) {
        Some(e) => crate::dimension::unit_formula(&e),
        None => format_dimension(exponents),
    }
}

/// Writes exponents as `L²·M·T⁻³·I⁻¹` (`1` when dimensionless).
pub fn format_dimension(exponents: &Exponents) -> String {
    let parts: Vec<String> = exponents
        .iter()
        .zip(SYMBOLS)
        .filter(|(e, _)| **e != 0)
        .map(|(e, s)| {
            if *e == 1 {
                s.to_string()
            } else {
                format!("{s}{}", superscript(*e))
            }
        })
        .collect();
    if parts.is_empty() {
        "1".to_string()
    } else {
        parts.join("·")
    }
}

fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// Rewrites a compiler message: quantity types become `Quantity<Name [dimension]>` and bare
/// typenum integers become numbers.
pub fn explain(message: &str) -> String {
    let text = strip_paths(message);
    let text = replace_quantities(&text);
    replace_integers(&text)
}

/// Rewrites a whole build log with [`explain`], and follows rustc's long-type files: where
/// rustc shortens a type to `Quantity<..., ..., f64>` and notes "the full name for the type has
/// been written to 'FILE'", the types of that file are read with `read` and added, decoded,
/// as a note under it.
pub fn explain_log(log: &str, read: impl Fn(&str) -> Option<String>) -> String {
    const MARK: &str = "has been written to '";
    let mut out = String::with_capacity(log.len());
    for line in log.split_inclusive('\n') {
        out.push_str(&explain(line));
        let Some(start) = line.find(MARK).map(|k| k + MARK.len()) else {
            continue;
        };
        let Some(len) = line[start..].find('\'') else {
            continue;
        };
        let Some(text) = read(&line[start..start + len]) else {
            continue;
        };
        let types: Vec<String> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("`{}`", explain(l.trim())))
            .collect();
        if types.is_empty() {
            continue;
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        out.push_str(&format!(
            "{indent}= note: in full, in the order rustc names them: {}\n",
            types.join(", ")
        ));
    }
    out
}

fn strip_paths(s: &str) -> String {
    let mut out = s.to_string();
    for prefix in [
        "typenum::int::",
        "typenum::uint::",
        "typenum::bit::",
        "uom::si::",
        "uom::",
    ] {
        out = out.replace(prefix, "");
    }
    out
}

/// Index of the `>` matching the `<` at `open`.
fn matching(s: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &c) in s.iter().enumerate().skip(open) {
        match c {
            b'<' => depth += 1,
            b'>' if k > 0 && s[k - 1] == b'-' => {} // "->" in signatures
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn replace_quantities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find("Quantity<") {
        let open = pos + "Quantity".len();
        let bytes = rest.as_bytes();
        let Some(close) = matching(bytes, open) else {
            break;
        };
        let inner = &rest[open + 1..close];
        out.push_str(&rest[..pos]);
        match dimension_of(inner) {
            Some(e) => {
                let name = name_of(&e).unwrap_or("unnamed quantity");
                out.push_str(&format!("Quantity<{name} [{}]>", unit_formula(&e)));
            }
            None => out.push_str(&rest[pos..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Reads `Dimension<I = .., J = .., Kind = .., L = .., ...>` inside a quantity type.
fn dimension_of(inner: &str) -> Option<Exponents> {
    let start = inner.find("Dimension<")? + "Dimension".len();
    let close = matching(inner.as_bytes(), start)?;
    let body = &inner[start + 1..close];
    let mut exponents = [0i32; 7];
    let mut found = 0;
    for (name, value) in split_top_level(body)
        .iter()
        .filter_map(|kv| kv.split_once('='))
    {
        let name = name.trim();
        if let Some(k) = SYMBOLS.iter().position(|s| *s == name) {
            exponents[k] = parse_integer(value.trim())?;
            found += 1;
        }
    }
    (found == 7).then_some(exponents)
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (k, c) in s.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Parses `Z0`, `PInt<U>`, `NInt<U>` with `U` = `UTerm` | `UInt<U, B0|B1>`.
fn parse_integer(s: &str) -> Option<i32> {
    let s = s.trim();
    if s == "Z0" {
        return Some(0);
    }
    let (sign, rest) = if let Some(r) = s.strip_prefix("PInt<") {
        (1, r)
    } else if let Some(r) = s.strip_prefix("NInt<") {
        (-1, r)
    } else {
        return None;
    };
    let magnitude = parse_unsigned(rest.strip_suffix('>')?)?;
    Some(sign * magnitude)
}

fn parse_unsigned(s: &str) -> Option<i32> {
    let s = s.trim();
    if s == "UTerm" {
        return Some(0);
    }
    let inner = s.strip_prefix("UInt<")?.strip_suffix('>')?;
    let comma = inner.rfind(',')?;
    let high = parse_unsigned(&inner[..comma])?;
    let bit = match inner[comma + 1..].trim() {
        "B0" => 0,
        "B1" => 1,
        _ => return None,
    };
    Some(2 * high + bit)
}

fn replace_integers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let next = ["PInt<", "NInt<"].iter().filter_map(|p| rest.find(p)).min();
        let Some(pos) = next else { break };
        let open = pos + 4;
        let Some(close) = matching(rest.as_bytes(), open) else {
            break;
        };
        out.push_str(&rest[..pos]);
        match parse_integer(&rest[pos..=close]) {
            Some(n) => out.push_str(&format!("{n:+}")),
            None => out.push_str(&rest[pos..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.replace("`Z0`", "`0`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_typenum_integers() {
        assert_eq!(parse_integer("Z0"), Some(0));
        assert_eq!(parse_integer("PInt<UInt<UTerm, B1>>"), Some(1));
        assert_eq!(parse_integer("PInt<UInt<UInt<UTerm, B1>, B0>>"), Some(2));
        assert_eq!(parse_integer("NInt<UInt<UInt<UTerm, B1>, B1>>"), Some(-3));
        assert_eq!(
            parse_integer("NInt<UInt<UInt<UInt<UTerm, B1>, B0>, B0>>"),
            Some(-4)
        );
    }

    #[test]
    fn names_quantities_in_a_compiler_message() {
        let msg = "expected struct `uom::si::Quantity<(dyn uom::si::Dimension<I = typenum::int::Z0, \
            J = typenum::int::Z0, Kind = (dyn uom::Kind + 'static), L = typenum::int::Z0, \
            M = typenum::int::Z0, N = typenum::int::Z0, T = typenum::int::PInt<typenum::uint::UInt<\
            typenum::uint::UTerm, typenum::bit::B1>>, Th = typenum::int::Z0> + 'static), \
            (dyn uom::si::Units<f64, time = uom::si::time::millisecond> + 'static), f64>`";
        assert_eq!(explain(msg), "expected struct `Quantity<Time [ms]>`");
    }

    #[test]
    fn follows_long_type_files() {
        let time = "uom::si::Quantity<(dyn uom::si::Dimension<I = typenum::int::Z0, \
            J = typenum::int::Z0, Kind = (dyn uom::Kind + 'static), L = typenum::int::Z0, \
            M = typenum::int::Z0, N = typenum::int::Z0, T = typenum::int::PInt<typenum::uint::UInt<\
            typenum::uint::UTerm, typenum::bit::B1>>, Th = typenum::int::Z0> + 'static), \
            (dyn uom::si::Units<f64, time = uom::si::time::millisecond> + 'static), f64>";
        let log = "  |            ^ expected `PInt<UInt<UTerm, B1>>`, found `Z0`\n  \
                   = note: the full name for the type has been written to '/x/a.long-type-1.txt'\n";
        let out = explain_log(log, |path| {
            (path == "/x/a.long-type-1.txt").then(|| format!("{time}\n"))
        });
        assert!(out.contains("expected `+1`, found `0`"), "{out}");
        assert!(
            out.contains("= note: in full, in the order rustc names them: `Quantity<Time [ms]>`"),
            "{out}"
        );
        // an unreadable file leaves the log as it is
        assert_eq!(
            explain_log("written to '/nope'\n", |_| None),
            "written to '/nope'\n"
        );
    }

    #[test]
    fn formats_dimensions() {
        assert_eq!(format_dimension(&[2, 1, -3, -1, 0, 0, 0]), "L²·M·T⁻³·I⁻¹");
        assert_eq!(format_dimension(&[0; 7]), "1");
        assert_eq!(name_of(&[0, 0, -1, 0, 0, 0, 0]), Some("Frequency"));
        assert_eq!(unit_formula(&[2, 1, -4, -1, 0, 0, 0]), "mV/ms");
        assert_eq!(unit_formula(&[2, 1, -2, -1, 0, 0, 0]), "mV·ms");
        assert_eq!(unit_formula(&[-2, -1, 3, 2, 0, 0, 0]), "µA/mV");
    }
}
