//! The typed integrator loop costs the same as a raw `f64` loop.
//!
//! 4000 leaky membranes with a conductance-based input, advanced by exponential Euler with the
//! conductance inside the Jacobian (one `exprel` per neuron per step), 1000 steps:
//! - **typed**: columns of `ElectricPotential` / `ElectricalConductance`, the step written with
//!   quantities and `State::exp_advance`;
//! - **raw**: the same arithmetic on `Vec<f64>` in the same stored units.
//!
//! Run: `cargo bench -p neurotype-benches --bench typed_vs_raw`. Prints criterion's report for
//! each, then `typed/raw ratio` from an interleaved measurement.

use criterion::Criterion;
use neurotype::prelude::*;
use neurotype::units::math::scalar;
use neurotype_benches::interleaved_ratio;
use std::hint::black_box;

const N: usize = 4000;
const STEPS: usize = 1000;

struct Typed {
    v: Vec<ElectricPotential>,
    g: Vec<ElectricalConductance>,
}

struct Raw {
    v: Vec<f64>,
    g: Vec<f64>,
}

struct Params {
    v_rest: ElectricPotential,
    e_syn: ElectricPotential,
    r: ElectricalResistance,
    i_ext: ElectricCurrent,
    tau: Time,
    tau_g: Time,
    dt: Time,
}

fn params() -> Params {
    Params {
        v_rest: -60.0 * mV,
        e_syn: 0.0 * mV,
        r: 100.0 * Mohm,
        i_ext: 0.1 * nA,
        tau: 20.0 * ms,
        tau_g: 5.0 * ms,
        dt: 0.1 * ms,
    }
}

fn initial() -> (Vec<f64>, Vec<f64>) {
    let v = (0..N)
        .map(|k| -60.0 + 10.0 * (k as f64 / N as f64))
        .collect();
    let g = (0..N).map(|k| 1e-6 * (k % 7) as f64).collect();
    (v, g)
}

fn run_typed(state: &mut Typed, p: &Params) {
    let decay = exp(-p.dt / p.tau_g);
    for _ in 0..STEPS {
        for (v, g) in state.v.iter_mut().zip(state.g.iter_mut()) {
            *g = *g * decay;
            let f = (p.v_rest - *v + p.r * (*g * (p.e_syn - *v) + p.i_ext)) / p.tau;
            let j = -(ratio(1.0) + p.r * *g) / p.tau;
            *v = v.exp_advance(p.dt, &f, &j);
        }
        black_box(&state.v);
    }
}

fn run_raw(state: &mut Raw, p: &Params) {
    let (v_rest, e_syn, r, i_ext) = (p.v_rest.value, p.e_syn.value, p.r.value, p.i_ext.value);
    let (tau, dt) = (p.tau.value, p.dt.value);
    let decay = (-dt / p.tau_g.value).exp();
    for _ in 0..STEPS {
        for (v, g) in state.v.iter_mut().zip(state.g.iter_mut()) {
            *g *= decay;
            let f = (v_rest - *v + r * (*g * (e_syn - *v) + i_ext)) / tau;
            let j = -(1.0 + r * *g) / tau;
            *v += (dt * scalar::exprel(dt * j)) * f;
        }
        black_box(&state.v);
    }
}

fn typed_state() -> Typed {
    let (v, g) = initial();
    Typed {
        v: v.into_iter().map(|x| x * mV).collect(),
        g: g.into_iter().map(|x| x * mS).collect(),
    }
}

fn raw_state() -> Raw {
    let (v, g) = initial();
    Raw { v, g }
}

fn main() {
    let p = params();

    // Same numbers, first of all.
    let (mut typed, mut raw) = (typed_state(), raw_state());
    run_typed(&mut typed, &p);
    run_raw(&mut raw, &p);
    for (a, b) in typed.v.iter().zip(&raw.v) {
        assert_eq!(a.value, *b, "typed and raw loops disagree");
    }

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("lif_coba_4000x1000");
    group.sample_size(20);
    group.bench_function("typed", |b| {
        b.iter_batched_ref(
            typed_state,
            |s| run_typed(s, &p),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("raw_f64", |b| {
        b.iter_batched_ref(
            raw_state,
            |s| run_raw(s, &p),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
    c.final_summary();

    let (mut typed, mut raw) = (typed_state(), raw_state());
    let (t_typed, t_raw, ratio) =
        interleaved_ratio(31, || run_typed(&mut typed, &p), || run_raw(&mut raw, &p));
    println!(
        "typed/raw ratio: {ratio:.3} (typed {:.3} ms, raw {:.3} ms per {STEPS} steps of {N} neurons; \
         median of 31 interleaved rounds)",
        t_typed * 1e3,
        t_raw * 1e3
    );
}
