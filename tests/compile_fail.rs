//! Unit errors are compile errors: each case under `tests/ui/` must fail to build with the
//! message recorded next to it.
//!
//! The recorded messages print the types of the default (f64) build, so these cases run
//! there only.
#![cfg(not(feature = "f32"))]

#[test]
fn unit_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/units/*.rs");
    // synapses take the input of their kind: increments for exponential synapses, spikes for
    // kinetic ones; outputs fit only neurons with matching units
    t.compile_fail("tests/ui/typed_inputs/*.rs");
}

/// Wiring mistakes (weights, outputs, inputs and rules of the wrong kind) are reported at the
/// argument, with a message that names the quantities.
#[test]
fn wiring_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/wiring/*.rs");
}

/// Typed state handles: a state the model does not have, a trace read in another quantity or
/// unit, and an input's weight of another kind than its state are all compile errors.
#[test]
fn state_handle_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/handles/*.rs");
}

/// The recorded messages of the cases under `dir`, with their paths.
fn recorded_messages(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a directory of cases") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let text = std::fs::read_to_string(&path).expect("a .stderr file");
            out.push((path.display().to_string(), text));
        }
    }
    out
}

/// Every wiring mistake is headed by neurotype's own sentence, not by a type mismatch.
#[test]
fn wiring_messages_are_sentences() {
    let cases = recorded_messages("tests/ui/wiring");
    for (path, text) in &cases {
        let head = text.lines().next().unwrap_or_default();
        assert!(head.starts_with("error[E0277]: "), "{path}: {head}");
        assert!(!head.contains("Quantity<"), "{path}: {head}");
    }
    assert!(cases.len() >= 4, "{} cases", cases.len());
}

/// Mistakes in models declared with the equation DSL (`neuron!`): each error points into the
/// modeller's own equation, threshold or reset.
#[test]
fn dsl_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/dsl/*.rs");
}

/// The DSL's messages are sentences about quantities, not type-level integers.
#[test]
fn dsl_messages_name_quantities_in_words() {
    let cases = recorded_messages("tests/ui/dsl");
    for (path, text) in &cases {
        for soup in ["typenum", "UInt<", "PInt<", "NInt<", "Quantity<"] {
            assert!(!text.contains(soup), "{path}: {soup}");
        }
    }
    assert!(cases.len() >= 12, "{} cases", cases.len());
}
