//! Unit errors are compile errors: each case under `tests/ui/` must fail to build with the
//! message recorded next to it.

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

/// Every wiring mistake is headed by neurotype's own sentence, not by a type mismatch.
#[test]
fn wiring_messages_are_sentences() {
    let mut cases = 0;
    for entry in std::fs::read_dir("tests/ui/wiring").expect("tests/ui/wiring") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let text = std::fs::read_to_string(&path).expect("a .stderr file");
            let head = text.lines().next().unwrap_or_default();
            assert!(head.starts_with("error[E0277]: "), "{}: {head}", path.display());
            assert!(!head.contains("Quantity<"), "{}: {head}", path.display());
            cases += 1;
        }
    }
    assert!(cases >= 4, "{cases} cases");
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
    let mut cases = 0;
    for entry in std::fs::read_dir("tests/ui/dsl").expect("tests/ui/dsl") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let text = std::fs::read_to_string(&path).expect("a .stderr file");
            for soup in ["typenum", "UInt<", "PInt<", "NInt<", "Quantity<"] {
                assert!(!text.contains(soup), "{}: {soup}", path.display());
            }
            cases += 1;
        }
    }
    assert!(cases >= 12, "{cases} cases");
}
