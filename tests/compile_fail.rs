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

/// Mistakes in models declared with the equation DSL (`neuron!`): each error points into the
/// modeller's own equation, threshold or reset.
#[test]
fn dsl_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/dsl/*.rs");
}
