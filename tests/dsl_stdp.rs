//! A plasticity rule declared with `synapse!` runs through the same projection loops as the
//! built-in `Stdp`: pair STDP written in the DSL gives the built-in rule's weights, traces and
//! spikes, bit for bit, over 10 s of Song, Miller & Abbott's (2000) experiment.

use neurotype::models::synapses::PlasticityRule;
use neurotype::prelude::*;

// the rule and the network are the bench's (`benches/dsl_stdp.rs` times the two rules)
#[allow(dead_code)]
#[path = "../benches/src/dsl_stdp.rs"]
mod dsl_stdp;
use dsl_stdp::{PairStdp, Rule, song2000};

#[test]
fn dsl_pair_stdp_is_the_built_in_rule_bit_for_bit() {
    let mut a = song2000(1000, 1, 7, Rule::Builtin).unwrap();
    let mut b = song2000(1000, 1, 7, Rule::Dsl).unwrap();
    let w0 = a.net.projection_values(a.proj, "w", "mS").unwrap();
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for elapsed in 1..=10 {
        a.net.run(1.0 * second).unwrap();
        b.net.run(1.0 * second).unwrap();
        let value = |n: &dsl_stdp::PlasticNet, var: &str| {
            bits(
                &n.net
                    .projection_values(n.proj, var, "1")
                    .unwrap_or_default(),
            )
        };
        let (wa, wb) = (
            a.net.projection_values(a.proj, "w", "mS").unwrap(),
            b.net.projection_values(b.proj, "w", "mS").unwrap(),
        );
        assert!(bits(&wa) == bits(&wb), "weights differ after {elapsed} s");
        // the traces, by their names on each side
        assert!(
            value(&a, "pre_trace") == value(&b, "x"),
            "after {elapsed} s"
        );
        assert!(
            value(&a, "post_trace") == value(&b, "y"),
            "after {elapsed} s"
        );
    }
    let (ra, rb) = (
        a.net.record(a.spikes).unwrap(),
        b.net.record(b.spikes).unwrap(),
    );
    assert_eq!(ra.steps, rb.steps);
    assert!(ra.steps.len() > 50, "{} output spikes", ra.steps.len());
    let w = a.net.projection_values(a.proj, "w", "mS").unwrap();
    let moved = w.iter().zip(&w0).filter(|(x, y)| x != y).count();
    assert!(moved > 900, "{moved} weights changed");
}

#[test]
fn a_rule_refuses_what_it_cannot_hold() {
    let e = PairStdp::builder().tau_pre(0.0 * ms).build().unwrap_err();
    assert!(e.to_string().contains("tau_pre"), "{e}");
    let e = PairStdp::builder()
        .w_min(2.0 * nS)
        .w_max(1.0 * nS)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("w_max"), "{e}");
    assert_eq!(<PairStdp as PlasticityRule>::PRE_VARS, &["x"]);
    assert_eq!(<PairStdp as PlasticityRule>::POST_VARS, &["y"]);
    assert!(PairStdp::EQUATIONS.contains("on_post: y += 1.0"));
}
