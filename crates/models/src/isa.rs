//! The instruction sets the hot loops are compiled for, and the one this processor runs.
//!
//! A crate built with default flags targets the x86-64 baseline (SSE2, no fused multiply-add),
//! on which the neuron loops run several times slower (the vectorised `exp` falls back to a
//! software `fma`). So each hot loop is compiled three times, for AVX-512, for AVX2 + FMA and
//! for the baseline, and [`level`] picks the best this processor has, once. Every version
//! computes the same bits: Rust never contracts `a * b + c` into a fused multiply-add by
//! itself, and the explicit `mul_add`s round once on every path.

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
