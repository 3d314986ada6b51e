//! DSL twins of built-in models: each is declared with `neuron!`/`synapse!` in the algebraic
//! form the built-in model's code uses, stepped side by side with it for 10⁴ steps under the
//! same input, and compared on every state variable at every step.
//!
//! Tolerance: |dsl − builtin| ≤ 1e-12 · max(1, |builtin|) in stored units (mV, µA, ms, ...), i.e.
//! relative for values above 1 and absolute below. In practice the twins agree bit for bit,
//! which the tests also report.

#![deny(missing_docs)]

use neurotype::prelude::*;

const STEPS: u64 = 10_000;
const TOL: f64 = 1e-12;

/// Worst difference seen between two models, over every variable, element and step.
#[derive(Default, Debug)]
struct Worst {
    abs: f64,
    scaled: f64,
    spikes: usize,
    differing_bits: usize,
    compared: usize,
}

impl Worst {
    fn see(&mut self, a: f64, b: f64) {
        let d = (a - b).abs();
        self.abs = self.abs.max(d);
        self.scaled = self.scaled.max(d / b.abs().max(1.0));
        if a.to_bits() != b.to_bits() {
            self.differing_bits += 1;
        }
        self.compared += 1;
    }

    fn check(&self, what: &str) {
        eprintln!(
            "{what}: worst |Δ| = {:e}, worst |Δ|/max(1,|x|) = {:e}, {} of {} values not bit-identical, {} spikes",
            self.abs, self.scaled, self.differing_bits, self.compared, self.spikes
        );
        assert!(self.scaled <= TOL, "{what}: {:e} > {TOL:e}", self.scaled);
    }
}

/// Compares the named state variables of two populations.
fn compare_vars<A: Neuron, B: Neuron>(a: &A, b: &B, names: &[(&str, &str)], worst: &mut Worst) {
    let (va, vb) = (a.state_vars(), b.state_vars());
    for (na, nb) in names {
        let x = va
            .iter()
            .find(|v| v.name == *na)
            .expect("variable of the DSL model");
        let y = vb
            .iter()
            .find(|v| v.name == *nb)
            .expect("variable of the built-in model");
        assert_eq!(x.raw.len(), y.raw.len());
        for (p, q) in x.raw.iter().zip(y.raw) {
            worst.see(*p, *q);
        }
    }
}

/// The same input for both drives, as stored numbers: a constant current per element, and
/// (when `conductance`) a time-varying conductance `g` towards `e` through the synaptic
/// columns (`I_syn = g·E − g·V`).
fn fill_drive<N: Neuron>(
    d: &mut Drive<N>,
    step: u64,
    current: &[f64],
    conductance: Option<(f64, f64)>,
) {
    d.clear();
    d.ext_mut().raw_mut().copy_from_slice(current);
    if let Some((g0, e)) = conductance {
        let (i_syn, g_syn) = d.syn_mut(true);
        for k in 0..current.len() {
            let g = g0 * (1.0 + (0.001 * step as f64 + k as f64).sin());
            i_syn.raw_mut()[k] = g * e;
            g_syn.raw_mut()[k] = g;
        }
    }
}

/// Steps two neuron populations side by side and compares them at every step.
fn twin_neurons<A: Neuron, B: Neuron>(
    what: &str,
    mut a: A,
    mut b: B,
    names: &[(&str, &str)],
    current: &[f64],
    conductance: Option<(f64, f64)>,
    dt: Time,
) -> Worst {
    let dt = TimeStep::new(dt).unwrap();
    let n = a.len();
    assert_eq!(n, b.len());
    let (mut da, mut db) = (Drive::<A>::new(n), Drive::<B>::new(n));
    let mut worst = Worst::default();
    compare_vars(&a, &b, names, &mut worst);
    for step in 0..STEPS {
        let ctx = StepCtx::new(step, dt);
        fill_drive(&mut da, step, current, conductance);
        fill_drive(&mut db, step, current, conductance);
        a.step(&ctx, &da);
        b.step(&ctx, &db);
        assert_eq!(
            a.spikes(),
            b.spikes(),
            "{what}: spikes differ at step {step}"
        );
        worst.spikes += a.spikes().iter().filter(|s| **s).count();
        compare_vars(&a, &b, names, &mut worst);
    }
    worst.check(what);
    worst
}

// ------------------------------------------------------------------------------------------
// LIF

neuron! {
    /// The built-in LIF, as equations: soft reset, BrainPy's defaults.
    pub DslLif {
        params {
            /// Membrane resistance.
            r: ElectricalResistance = 1.0 ohm,
            tau: Time = 5.0 ms where > 0,
            v_th: ElectricPotential = 1.0 mV,
            v_reset: ElectricPotential = 0.0 mV where < v_th,
            v_rest: ElectricPotential = 0.0 mV,
        }
        state { v: ElectricPotential = 0.0 mV }
        input i: ElectricCurrent;
        d(v)/dt = (-v + v_rest + r * i) / tau;
        spike v >= v_th;
        reset v = v - (v_th - v_reset);
    }
}

neuron! {
    /// The built-in LIFRef with a hard reset.
    pub DslLifRef {
        params {
            r: ElectricalResistance = 1.0 ohm,
            tau: Time = 5.0 ms where > 0,
            v_th: ElectricPotential = 1.0 mV,
            v_reset: ElectricPotential = 0.0 mV where < v_th,
            v_rest: ElectricPotential = 0.0 mV,
        }
        state { v: ElectricPotential = v_rest }
        input i: ElectricCurrent;
        d(v)/dt = (-v + v_rest + r * i) / tau;
        spike v >= v_th;
        reset v = v_reset;
        refractory tau_ref: Time = 5.0 ms;
    }
}

const LIF_CURRENT: [f64; 6] = [1.0e-3, 1.6e-3, 2.0e-3, 2.5e-3, 3.5e-3, 6.0e-3]; // µA: 1 to 6 nA

#[test]
fn lif_twin_matches_every_method() {
    for method in Method::ALL {
        let dsl = DslLif::builder(6)
            .r(10.0 * Mohm)
            .tau(10.0 * ms)
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
            .seed(3)
            .method(method)
            .build()
            .unwrap();
        let builtin = Lif::builder(6)
            .r(10.0 * Mohm)
            .tau(10.0 * ms)
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(Init::uniform(-70.0 * mV, -50.0 * mV))
            .seed(3)
            .method(method)
            .build()
            .unwrap();
        let w = twin_neurons(
            &format!("LIF {}", method.name()),
            dsl,
            builtin,
            &[("v", "V")],
            &LIF_CURRENT,
            Some((5e-6, 0.0)), // 5 nS towards 0 mV
            0.1 * ms,
        );
        assert!(w.spikes > 100);
    }
}

#[test]
fn lif_ref_twin_matches_with_per_element_parameters() {
    let taus: Vec<Time> = (0..6).map(|k| (8.0 + k as f64) * ms).collect();
    for method in [Method::ExponentialEuler, Method::Euler, Method::Rk4] {
        let dsl = DslLifRef::builder(6)
            .r(10.0 * Mohm)
            .tau(taus.clone())
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .tau_ref(2.0 * ms)
            .method(method)
            .build()
            .unwrap();
        let builtin = Lif::builder(6)
            .r(10.0 * Mohm)
            .tau(taus.clone())
            .v_rest(-65.0 * mV)
            .v_reset(-70.0 * mV)
            .v_th(-50.0 * mV)
            .v_init(-65.0 * mV)
            .tau_ref(2.0 * ms)
            .spk_reset(SpikeReset::Hard)
            .method(method)
            .build()
            .unwrap();
        let w = twin_neurons(
            &format!("LIFRef {}", method.name()),
            dsl,
            builtin,
            &[("v", "V"), ("last_spike_time", "last_spike_time")],
            &LIF_CURRENT,
            Some((5e-6, 0.0)),
            0.1 * ms,
        );
        assert!(w.spikes > 100);
    }
}

// ------------------------------------------------------------------------------------------
// AdExIF

neuron! {
    /// The built-in AdExIF: exponential spike initiation clipped at 20 as BrainPy does, and
    /// BrainPy's exponential-Euler order (V first, then w from the new V).
    pub DslAdEx {
        params {
            r: ElectricalResistance = 1.0 ohm,
            tau: Time = 10.0 ms where > 0,
            tau_w: Time = 30.0 ms where > 0,
            v_th: ElectricPotential = -55.0 mV,
            v_reset: ElectricPotential = -68.0 mV where < v_th,
            v_rest: ElectricPotential = -65.0 mV,
            v_t: ElectricPotential = -59.9 mV,
            delta_t: ElectricPotential = 3.48 mV where > 0,
            a: ElectricalConductance = 1.0 siemens,
            b: ElectricCurrent = 1.0 mA,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            w: ElectricCurrent = 0.0 mA,
        }
        input i: ElectricCurrent;
        order sequential;
        d(v)/dt = (-(v - v_rest) + delta_t * exp(min((v - v_t) / delta_t, 20.0)) - r * w + r * i) / tau;
        d(w)/dt = (a * (v - v_rest) - w) / tau_w;
        spike v >= v_th;
        reset {
            v = v - (v_th - v_reset);
            w += b;
        }
    }
}

#[test]
fn adex_twin_matches_every_method() {
    // currents in µA: 10 to 35 mA through R = 1 Ω
    let current = [1.0e4, 1.5e4, 2.0e4, 2.5e4, 3.5e4];
    for method in Method::ALL {
        let dsl = DslAdEx::builder(5).method(method).build().unwrap();
        let builtin = AdExIf::builder(5).method(method).build().unwrap();
        let w = twin_neurons(
            &format!("AdExIF {}", method.name()),
            dsl,
            builtin,
            &[("v", "V"), ("w", "w")],
            &current,
            Some((200.0, 0.0)), // 0.2 S towards 0 mV
            0.1 * ms,
        );
        assert!(w.spikes > 50);
    }
}

// ------------------------------------------------------------------------------------------
// Izhikevich

neuron! {
    /// The built-in Izhikevich neuron (its input is a voltage rate, as in BrainPy).
    pub DslIzhikevich {
        params {
            a: Frequency = 0.02 per_ms,
            b: Frequency = 0.2 per_ms,
            c: ElectricPotential = -65.0 mV,
            d: VoltageRate = 8.0 mV_per_ms,
            v_th: ElectricPotential = 30.0 mV,
            p1: InverseVoltageTime = 0.04 per_mV_per_ms,
            p2: Frequency = 5.0 per_ms,
            p3: VoltageRate = 140.0 mV_per_ms,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            u: VoltageRate = 0.0 mV_per_ms,
        }
        input i: VoltageRate;
        order sequential;
        d(v)/dt = p1 * v * v + p2 * v + p3 - u + i;
        d(u)/dt = a * (b * v - u);
        spike v >= v_th;
        reset {
            v = c;
            u += d;
        }
        refractory tau_ref: Time = 0.0 ms;
    }
}

#[test]
fn izhikevich_twin_matches_every_method() {
    let current = [4.0, 7.0, 10.0, 14.0, 20.0]; // mV/ms
    for method in Method::ALL {
        for tau_ref in [0.0, 1.0] {
            let dsl = DslIzhikevich::builder(5)
                .a(vec![
                    0.02 * per_ms,
                    0.1 * per_ms,
                    0.02 * per_ms,
                    0.02 * per_ms,
                    0.1 * per_ms,
                ])
                .d(vec![
                    8.0 * mV_per_ms,
                    2.0 * mV_per_ms,
                    8.0 * mV_per_ms,
                    4.0 * mV_per_ms,
                    2.0 * mV_per_ms,
                ])
                .tau_ref(tau_ref * ms)
                .method(method)
                .build()
                .unwrap();
            let builtin = Izhikevich::builder(5)
                .a(vec![
                    0.02 * per_ms,
                    0.1 * per_ms,
                    0.02 * per_ms,
                    0.02 * per_ms,
                    0.1 * per_ms,
                ])
                .d(vec![
                    8.0 * mV_per_ms,
                    2.0 * mV_per_ms,
                    8.0 * mV_per_ms,
                    4.0 * mV_per_ms,
                    2.0 * mV_per_ms,
                ])
                .tau_ref(tau_ref * ms)
                .method(method)
                .build()
                .unwrap();
            let w = twin_neurons(
                &format!("IzhikevichRef(τ_ref = {tau_ref} ms) {}", method.name()),
                dsl,
                builtin,
                &[
                    ("v", "V"),
                    ("u", "u"),
                    ("last_spike_time", "last_spike_time"),
                ],
                &current,
                Some((0.02, 0.0)), // 0.02 /ms towards 0 mV
                0.1 * ms,
            );
            assert!(w.spikes > 50);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Hodgkin-Huxley

neuron! {
    /// The built-in HH: rates at the start-of-step potential, the input frozen there, gates
    /// starting at their steady states, a spike on an upward crossing.
    pub DslHh {
        params {
            e_na: ElectricPotential = 50.0 mV,
            g_na: ElectricalConductance = 120.0 mS where >= 0,
            e_k: ElectricPotential = -77.0 mV,
            g_k: ElectricalConductance = 36.0 mS where >= 0,
            e_l: ElectricPotential = -54.387 mV,
            g_l: ElectricalConductance = 0.03 mS where >= 0,
            c: Capacitance = 1.0 uF where > 0,
            v_th: ElectricPotential = 20.0 mV,
        }
        state {
            v: ElectricPotential = -65.0 mV,
            m: Ratio = alpha_m / (alpha_m + beta_m),
            h: Ratio = alpha_h / (alpha_h + beta_h),
            n: Ratio = alpha_n / (alpha_n + beta_n),
        }
        input i: ElectricCurrent frozen;
        let alpha_m: Frequency = per_ms / exprel(-(v + 40.0 mV) / (10.0 mV));
        let beta_m: Frequency = 4.0 per_ms * exp(-(v + 65.0 mV) / (18.0 mV));
        let alpha_h: Frequency = 0.07 per_ms * exp(-(v + 65.0 mV) / (20.0 mV));
        let beta_h: Frequency = per_ms / (1.0 + exp(-(v + 35.0 mV) / (10.0 mV)));
        let alpha_n: Frequency = 0.1 per_ms / exprel(-(v + 55.0 mV) / (10.0 mV));
        let beta_n: Frequency = 0.125 per_ms * exp(-(v + 65.0 mV) / (80.0 mV));
        let g_na_open: ElectricalConductance = g_na * (m * m * m) * h;
        let n2: Ratio = n * n;
        let g_k_open: ElectricalConductance = g_k * (n2 * n2);
        d(v)/dt = (-(g_na_open * (v - e_na)) - g_k_open * (v - e_k) - g_l * (v - e_l) + i) / c;
        d(m)/dt = alpha_m * (1.0 - m) - beta_m * m;
        d(h)/dt = alpha_h * (1.0 - h) - beta_h * h;
        d(n)/dt = alpha_n * (1.0 - n) - beta_n * n;
        spike rising v >= v_th;
    }
}

#[test]
fn hh_twin_matches_every_method() {
    let current = [2.0, 5.0, 8.0, 12.0, 20.0]; // µA
    for method in Method::ALL {
        let dsl = DslHh::builder(5)
            .v_init(Init::uniform(-70.0 * mV, -60.0 * mV))
            .seed(7)
            .method(method)
            .build()
            .unwrap();
        let builtin = Hh::builder(5).seed(7).method(method).build().unwrap();
        let w = twin_neurons(
            &format!("HH {}", method.name()),
            dsl,
            builtin,
            &[("v", "V"), ("m", "m"), ("h", "h"), ("n", "n")],
            &current,
            Some((0.05, 0.0)), // 0.05 mS towards 0 mV
            0.01 * ms,         // forward Euler needs a small step for HH
        );
        assert!(w.spikes > 10);
    }
}

// ------------------------------------------------------------------------------------------
// Synapses

synapse! {
    /// The built-in Expon: exact decay, then the increments of the step.
    pub DslExpon {
        params { tau: Time = 8.0 ms where > 0 }
        state { g: ElectricalConductance = 0.0 mS }
        d(g)/dt = -1.0 / tau * g;
        on_pre g += w;
        output g;
    }
}

synapse! {
    /// The built-in AMPA: transmitter for T_dur after a presynaptic spike, first-order
    /// binding kinetics.
    pub DslAmpa {
        params {
            alpha: ConcentrationRate = 0.98 per_mM_per_ms where >= 0,
            beta: Frequency = 0.18 per_ms where >= 0,
            t_conc: MolarConcentration = 0.5 mM where >= 0,
            t_dur: Time = 0.5 ms where >= 0,
        }
        state {
            g: Ratio = 0.0,
            arrival: Time = -1e7 ms,
        }
        let transmitter: MolarConcentration = if t - arrival < t_dur { t_conc } else { 0.0 mM };
        d(g)/dt = alpha * transmitter * (1.0 - g) - beta * g;
        on_spike arrival = t;
        output g;
    }
}

/// A reproducible pseudo-random event pattern: element `k` fires at `step` with
/// probability about `p`.
fn fires(step: u64, k: usize, p: f64) -> bool {
    let mut z =
        step.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (k as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 29;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 32;
    (z as f64 / u64::MAX as f64) < p
}

fn compare_columns(a: &[f64], b: &[f64], worst: &mut Worst) {
    for (x, y) in a.iter().zip(b) {
        worst.see(*x, *y);
    }
}

#[test]
fn expon_twin_matches() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    for taus in [
        vec![5.0 * ms],
        (0..6).map(|k| (2.0 + k as f64) * ms).collect::<Vec<_>>(),
    ] {
        let tau: Param<Time> = if taus.len() == 1 {
            taus[0].into()
        } else {
            taus.clone().into()
        };
        let mut dsl = DslExpon::builder(6).tau(tau.clone()).build().unwrap();
        let mut builtin = Expon::<ElectricalConductance>::builder(6)
            .tau(tau)
            .build()
            .unwrap();
        let mut worst = Worst::default();
        for step in 0..STEPS {
            for k in 0..6 {
                if fires(step, k, 0.05) {
                    let w = (1.0 + k as f64) * 1e-6; // nS in mS
                    dsl.pending_mut().raw_mut()[k] += w;
                    builtin.pending_mut().raw_mut()[k] += w;
                    worst.spikes += 1;
                }
            }
            let ctx = StepCtx::new(step, dt);
            dsl.step(&ctx);
            builtin.step(&ctx);
            compare_columns(dsl.g().raw(), builtin.g().raw(), &mut worst);
        }
        worst.check(&format!("Expon ({} τ)", taus.len()));
    }
}

#[test]
fn ampa_twin_matches() {
    let dt = TimeStep::new(0.1 * ms).unwrap();
    let mut dsl = DslAmpa::builder(6).build().unwrap();
    let mut builtin = Ampa::builder(6).build().unwrap();
    let mut worst = Worst::default();
    let mut spikes = [false; 6];
    for step in 0..STEPS {
        for (k, s) in spikes.iter_mut().enumerate() {
            *s = fires(step, k, 0.02);
            worst.spikes += usize::from(*s);
        }
        let ctx = StepCtx::new(step, dt);
        dsl.update(&ctx, &spikes);
        builtin.update(&ctx, &spikes);
        compare_columns(dsl.g().raw(), builtin.g().raw(), &mut worst);
        compare_columns(
            dsl.arrival().raw(),
            builtin.spike_arrival_time().raw(),
            &mut worst,
        );
    }
    worst.check("AMPA");
}
