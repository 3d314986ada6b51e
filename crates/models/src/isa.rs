//! The instruction sets the hot loops are compiled for, and the one this processor runs.
//!
//! A crate built with default flags targets the x86-64 baseline (SSE2, no fused multiply-add),
//! on which the neuron loops run several times slower (the vectorised `exp` falls back to a
//! software `fma`). So each hot loop is compiled three times, for AVX-512, for AVX2 + FMA and
//! for the baseline, and [`level`] picks the best this processor has, once; [`dispatch`] runs
//! a loop in the chosen version (the neuron loops, the synapse groups' and the outputs' loops
//! all go through it). Every version computes the same bits: Rust never contracts `a * b + c`
//! into a fused multiply-add by itself, and the explicit `mul_add`s (every `x + h·f` of an
//! integrator, a decay or an output) round once on every path, in software on a processor
//! without FMA. `tools/fma_calls.py` lists code that would still call the library's `fma` on
//! every processor.

use core::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set level of the hot loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// x86-64 with AVX-512 (F, VL, DQ, BW), AVX2 and FMA.
    Avx512,
    /// x86-64 with AVX2 and FMA.
    Avx2,
    /// Whatever the crate was compiled for.
    Base,
}

/// Runs `f` compiled for the best instruction set this processor has ([`level`]).
///
/// `f` is inlined into three copies of this function, one built for AVX-512, one for AVX2 +
/// FMA and one for the baseline, so everything `f` inlines (give its loop body
/// `#[inline(always)]`) is compiled for that instruction set: a fused multiply-add is one
/// instruction rather than a library call, and the loop vectorises as wide as the processor
/// allows. Every copy computes the same bits. A function `f` calls without inlining it keeps
/// the baseline code.
#[inline(always)]
pub fn dispatch<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi1,bmi2,lzcnt")]
        fn avx512<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt")]
        fn avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        match level() {
            // SAFETY: `level` found these features on this processor
            Level::Avx512 => unsafe { avx512(f) },
            Level::Avx2 => unsafe { avx2(f) },
            Level::Base => f(),
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    f()
}

const UNKNOWN: u8 = u8::MAX;
static LEVEL: AtomicU8 = AtomicU8::new(UNKNOWN);

/// The best level this processor runs (detected once; `NEUROTYPE_ISA=base|avx2|avx512` caps
/// it, for tests and comparisons).
#[inline]
pub fn level() -> Level {
    match LEVEL.load(Ordering::Relaxed) {
        0 => Level::Avx512,
        1 => Level::Avx2,
        2 => Level::Base,
        _ => {
            let level = detect();
            LEVEL.store(level as u8, Ordering::Relaxed);
            level
        }
    }
}

/// Caps the level for the rest of the process at `cap` (or what the processor has, if lower),
/// and returns the level now in use: for comparing the versions of the loops.
pub fn cap(cap: Level) -> Level {
    let level = lower(found(), cap);
    LEVEL.store(level as u8, Ordering::Relaxed);
    level
}

fn detect() -> Level {
    let cap = match std::env::var("NEUROTYPE_ISA").as_deref() {
        Ok("base") => Level::Base,
        Ok("avx2") => Level::Avx2,
        _ => Level::Avx512,
    };
    lower(found(), cap)
}

/// The lower of two levels (the enum is ordered best first).
fn lower(a: Level, b: Level) -> Level {
    if (a as u8) < (b as u8) { b } else { a }
}

#[cfg(target_arch = "x86_64")]
fn found() -> Level {
    use std::arch::is_x86_feature_detected as has;
    let avx2 = has!("avx2") && has!("fma") && has!("bmi1") && has!("bmi2") && has!("lzcnt");
    let avx512 =
        avx2 && has!("avx512f") && has!("avx512vl") && has!("avx512dq") && has!("avx512bw");
    if avx512 {
        Level::Avx512
    } else if avx2 {
        Level::Avx2
    } else {
        Level::Base
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn found() -> Level {
    Level::Base
}
