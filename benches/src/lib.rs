//! neurotype's benchmarks and what they share.
//!
//! - [`networks`]: the COBA, CUBA and COBA-HH networks of the shared benchmark specification,
//!   built once for the benchmarks, the `neurotype-bench` binary and the examples that run
//!   them;
//! - [`dsl_coba`]: COBA with DSL models, next to the built-in one;
//! - [`dsl_stdp`]: pair STDP declared with `synapse!`, next to the built-in rule;
//! - an interleaved timer that measures two implementations side by side and reports their
//!   ratio, which is robust on a shared, noisy machine where absolute times drift.
//!
//! The benchmarks themselves are the `[[bench]]` targets of this package (`cargo bench -p
//! neurotype-benches`), kept out of the `cargo test` build.
#![deny(missing_docs)]

use std::time::Instant;

pub mod dsl_coba;
pub mod dsl_stdp;
pub mod networks;

/// Median wall time (seconds) of `a` and `b` measured in alternation over `rounds` rounds
/// (which one goes first alternates too, so cache and frequency effects fall on both), and the
/// ratio `a / b`.
pub fn interleaved_ratio(
    rounds: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (f64, f64, f64) {
    let mut ta = Vec::with_capacity(rounds);
    let mut tb = Vec::with_capacity(rounds);
    a();
    b();
    for round in 0..rounds {
        if round % 2 == 0 {
            ta.push(time(&mut a));
            tb.push(time(&mut b));
        } else {
            tb.push(time(&mut b));
            ta.push(time(&mut a));
        }
    }
    let (ma, mb) = (median(&mut ta), median(&mut tb));
    (ma, mb, ma / mb)
}

fn time(f: &mut impl FnMut()) -> f64 {
    let t0 = Instant::now();
    f();
    t0.elapsed().as_secs_f64()
}

/// Median of a sample (sorts it).
pub fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        0.5 * (xs[n / 2 - 1] + xs[n / 2])
    }
}
