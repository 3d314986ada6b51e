//! What bounds the CUBA neuron loop at N = 4000 on this machine (issue 12): the loop as
//! neurotype compiles it (two exponential channels summed into a current, exponential Euler
//! for V, a reset, a refractory byte and a spike byte per neuron) against variants with fewer
//! floating-point multiplications, fewer stores, or both (the conductances not written back,
//! as a representation that scales g instead of decaying it would allow), and the COBA loop
//! (Euler, conductances into reversal potentials) with and without the conductances written
//! back. Same columns (V, ge, gi: 8 bytes each; two
//! flag bytes), same 4000 elements, one step = one pass. Prints the best of 9 rounds of each
//! variant in ns per neuron-step and in cycles per 8 neurons at `GHZ` (default 2.6).
//!
//!   rustc -C opt-level=3 -C target-cpu=native tools/lif_floor.rs -o /tmp/lif_floor
//!   taskset -c 0 /tmp/lif_floor [GHZ]
use std::time::Instant;

const N: usize = 4000;
const STEPS: usize = 5000;

/// The constants of a step: decay factors, channel scales, threshold, reset, external
/// current, V_rest, R, 1/τ, the exponential-Euler factor.
type Consts = [f64; 11];

/// V after one step from `x0` (after the reset), given the conductances `g0`, `g1` after
/// their decay.
#[inline(always)]
fn lif(g0: f64, g1: f64, x0: f64, c: &Consts) -> f64 {
    let [_, e0, _, e1, _, _, ext, v_rest, r, rate, phi] = *c;
    let i = ext + g1.mul_add(e1, g0 * e0);
    phi.mul_add(r.mul_add(i, v_rest - x0) * rate, x0)
}

/// [`lif`] regrouped: 3 multiplications (the two decays and one FMA) instead of 7.
#[inline(always)]
fn lif_3_mul(g0: f64, g1: f64, x0: f64, c: &Consts) -> f64 {
    let [.., v_rest, _, _, phi] = *c;
    phi.mul_add((v_rest + (g0 + g1)) - x0, x0)
}

/// The COBA step (Euler, conductances into reversal potentials `ee`, `ei`).
#[inline(always)]
fn coba(g0: f64, g1: f64, x0: f64, c: &Consts) -> f64 {
    let [_, ee, _, ei, _, _, ext, v_rest, r, rate, phi] = *c;
    let g_syn = g0 + g1;
    let i_syn = g1.mul_add(ei, g0 * ee);
    let i = ext + (-g_syn).mul_add(x0, i_syn);
    (phi * rate).mul_add(r.mul_add(i, v_rest - x0), x0)
}

/// A loop over the elements: decay, reset, `$v` for V, refractoriness, spike; with or
/// without the conductances and the spike bytes written back.
macro_rules! variant {
    ($name:ident, $v:ident, $store_g:expr, $store_spike:expr) => {
        #[inline(never)]
        fn $name(
            v: &mut [f64],
            ge: &mut [f64],
            gi: &mut [f64],
            held: &[bool],
            spikes: &mut [bool],
            c: &Consts,
        ) {
            let [fe, _, fi, _, v_th, v_reset, ..] = *c;
            let n = v.len();
            let (ge, gi, held, spikes) = (&mut ge[..n], &mut gi[..n], &held[..n], &mut spikes[..n]);
            let mut sink = 0u64;
            for k in 0..n {
                let g0 = ge[k] * fe;
                let g1 = gi[k] * fi;
                if $store_g {
                    ge[k] = g0;
                    gi[k] = g1;
                } else {
                    // read every step, as a scaled g would be (otherwise the compiler loads g
                    // only where it is used, under the refractory mask)
                    sink |= (g0 + g1).to_bits();
                }
                let x0 = if v[k] >= v_th { v_reset } else { v[k] };
                let x1 = $v(g0, g1, x0, c);
                let new = if held[k] { x0 } else { x1 };
                v[k] = new;
                if $store_spike {
                    spikes[k] = new >= v_th;
                } else {
                    spikes[0] |= new >= v_th;
                }
            }
            std::hint::black_box(sink);
        }
    };
}

variant!(as_compiled, lif, true, true);
variant!(no_spike_store, lif, true, false);
variant!(fewer_mul, lif_3_mul, true, true);
variant!(fewer_mul_no_spike_store, lif_3_mul, true, false);
variant!(fewer_mul_no_g_store, lif_3_mul, false, true);
variant!(no_g_store, lif, false, true);
variant!(coba_as_compiled, coba, true, true);
variant!(coba_no_g_store, coba, false, true);

type Step = fn(&mut [f64], &mut [f64], &mut [f64], &[bool], &mut [bool], &Consts);

fn main() {
    let ghz: f64 = std::env::args()
        .nth(1)
        .map_or(2.6, |s| s.parse().expect("GHz"));
    let c: Consts = std::hint::black_box([
        0.98, 1.0, 0.99, 1.0, -50.0, -60.0, 0.0, -49.0, 1.0, 0.05, 0.1,
    ]);
    let mut v: Vec<f64> = (0..N).map(|k| -55.0 + (k % 10) as f64 * 0.1).collect();
    let (mut ge, mut gi) = (vec![1.0; N], vec![1.0; N]);
    let held: Vec<bool> = (0..N).map(|k| k % 50 == 0).collect();
    let mut spikes = vec![false; N];
    let variants: [(&str, Step); 8] = [
        (
            "as compiled (7 mul/FMA, 3 vector stores + spike bytes)",
            as_compiled,
        ),
        ("without the spike-byte store", no_spike_store),
        ("3 mul/FMA instead of 7", fewer_mul),
        (
            "3 mul/FMA, without the spike-byte store",
            fewer_mul_no_spike_store,
        ),
        ("3 mul/FMA, ge gi not stored", fewer_mul_no_g_store),
        ("7 mul/FMA, ge gi not stored (scaled g alone)", no_g_store),
        ("COBA (Euler) as compiled", coba_as_compiled),
        ("COBA (Euler), ge gi not stored (scaled g)", coba_no_g_store),
    ];
    let mut best = [f64::INFINITY; 8];
    for _ in 0..9 {
        for (b, (_, step)) in best.iter_mut().zip(&variants) {
            let t = Instant::now();
            for _ in 0..STEPS {
                step(&mut v, &mut ge, &mut gi, &held, &mut spikes, &c);
            }
            *b = b.min(t.elapsed().as_secs_f64());
        }
    }
    for (b, (name, _)) in best.iter().zip(&variants) {
        let ns = b / (STEPS * N) as f64 * 1e9;
        println!(
            "{:>6.3} ns per neuron-step, {:>5.2} cycles per 8 at {ghz} GHz: {name}",
            ns,
            ns * ghz * 8.0
        );
    }
    println!(
        "(checksum {})",
        v.iter().sum::<f64>() + ge[0] + gi[0] + spikes.iter().filter(|&&s| s).count() as f64
    );
}
