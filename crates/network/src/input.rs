//! Inputs: current waveforms, Poisson spike sources, Poisson background input, spike times.

use crate::error::NetworkError;
use crate::population::{AnyPopulation, Pop, Population, collect_spikes};
use crate::projection::post_population;
use crate::wiring::InputOf;
use core::any::Any;
use neurotype_models::neuron::{StateVar, StateVarMut};
use neurotype_models::rng::{self, Rng};
use neurotype_models::{Column, Neuron, Param, StepCtx};
use neurotype_solvers::TimeStep;
use neurotype_units::prelude::*;
use neurotype_units::{InvalidParameter, check};
use neurotype_units::{Real, narrow, wide};
use rand::RngExt;
use rand_distr::{Binomial, Distribution, Normal};

/// A time course of an input quantity (BrainPy's `SectionInput`, `ConstantInput`, `StepInput`,
/// `RampInput`, `SinusoidalInput`), evaluated at `t = i·dt`.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// // RampInput from 0 to 1 nA over 100 ms: halfway at 50 ms
/// let ramp = Waveform::Ramp { start: 0.0 * nA, end: 1.0 * nA,
///     duration: 100.0 * ms, t_start: 0.0 * ms };
/// assert!((in_units(ramp.at(50.0 * ms), nA) - 0.5).abs() < 1e-6);
/// // StepInput: nothing, then 0.3 nA from 50 ms on
/// let step = Waveform::Step { amplitudes: vec![0.0 * nA, 0.3 * nA],
///     times: vec![0.0 * ms, 50.0 * ms] };
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let e = net.add("E", Lif::builder(10).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
/// net.input(ExternalCurrent::new(e, step)?)?;
/// let spikes = net.monitor_spikes(e)?;
/// net.run(100.0 * ms)?;
/// let first = net.record(spikes)?.times_ms()[0];
/// assert!(first > 50.0 && first < 70.0, "first spike at {first} ms");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Waveform<Q> {
    /// `value` while `t < duration` (for ever without a duration), then 0.
    Constant {
        /// The value.
        value: Q,
        /// How long (`None`: the whole run).
        duration: Option<Time>,
    },
    /// Piecewise constant: `values[k]` during the k-th section `[start_k, start_k + durations[k])`,
    /// then 0.
    Section {
        /// Value of each section.
        values: Vec<Q>,
        /// Length of each section.
        durations: Vec<Time>,
    },
    /// `amplitudes[k]` from `times[k]` on (the last step is held); 0 before the first time.
    Step {
        /// Amplitudes.
        amplitudes: Vec<Q>,
        /// Start of each (increasing).
        times: Vec<Time>,
    },
    /// Linear from `start` to `end` during `[t_start, t_start + duration)`, 0 outside.
    Ramp {
        /// Value at `t_start`.
        start: Q,
        /// Value approached at the end.
        end: Q,
        /// Length of the ramp.
        duration: Time,
        /// Start time.
        t_start: Time,
    },
    /// `amplitude·sin(2πf·t) + bias` during `[0, duration)`, 0 after.
    Sinusoidal {
        /// Amplitude.
        amplitude: Q,
        /// Frequency.
        frequency: Frequency,
        /// How long (`None`: the whole run).
        duration: Option<Time>,
        /// Offset.
        bias: Q,
    },
}

impl<Q> Waveform<Q> {
    /// The same time course with every value passed through `f`.
    pub fn map<R>(self, f: impl Fn(Q) -> R) -> Waveform<R> {
        match self {
            Waveform::Constant { value, duration } => Waveform::Constant {
                value: f(value),
                duration,
            },
            Waveform::Section { values, durations } => Waveform::Section {
                values: values.into_iter().map(f).collect(),
                durations,
            },
            Waveform::Step { amplitudes, times } => Waveform::Step {
                amplitudes: amplitudes.into_iter().map(f).collect(),
                times,
            },
            Waveform::Ramp {
                start,
                end,
                duration,
                t_start,
            } => Waveform::Ramp {
                start: f(start),
                end: f(end),
                duration,
                t_start,
            },
            Waveform::Sinusoidal {
                amplitude,
                frequency,
                duration,
                bias,
            } => Waveform::Sinusoidal {
                amplitude: f(amplitude),
                frequency,
                duration,
                bias: f(bias),
            },
        }
    }
}

impl<Q: Unitful + PartialOrd> Waveform<Q> {
    /// A constant input for the whole run.
    pub fn constant(value: Q) -> Self {
        Waveform::Constant {
            value,
            duration: None,
        }
    }

    /// Checks lengths, signs and finiteness.
    pub fn check(&self) -> Result<(), InvalidParameter> {
        let owner = "Waveform";
        match self {
            Waveform::Constant { value, duration } => {
                check::finite(owner, "value", *value)?;
                if let Some(d) = duration {
                    check::non_negative(owner, "duration", *d)?;
                }
            }
            Waveform::Section { values, durations } => {
                if values.len() != durations.len() {
                    return Err(InvalidParameter::new(
                        "SectionInput",
                        "durations",
                        format!("{} durations", durations.len()),
                        format!("must match the {} values", values.len()),
                    ));
                }
                for (k, d) in durations.iter().enumerate() {
                    check::non_negative("SectionInput", &format!("durations[{k}]"), *d)?;
                }
                for (k, v) in values.iter().enumerate() {
                    check::finite("SectionInput", &format!("values[{k}]"), *v)?;
                }
            }
            Waveform::Step { amplitudes, times } => {
                if amplitudes.len() != times.len() {
                    return Err(InvalidParameter::new(
                        "StepInput",
                        "step_times",
                        format!("{} times", times.len()),
                        format!("must match the {} amplitudes", amplitudes.len()),
                    ));
                }
                for (k, a) in amplitudes.iter().enumerate() {
                    check::finite("StepInput", &format!("amplitudes[{k}]"), *a)?;
                }
                for (k, t) in times.iter().enumerate() {
                    check::non_negative("StepInput", &format!("step_times[{k}]"), *t)?;
                }
                if times.windows(2).any(|w| w[1] < w[0]) {
                    return Err(InvalidParameter::new(
                        "StepInput",
                        "step_times",
                        "(unsorted)",
                        "must increase",
                    ));
                }
            }
            Waveform::Ramp {
                start,
                end,
                duration,
                t_start,
            } => {
                check::finite("RampInput", "c_start", *start)?;
                check::finite("RampInput", "c_end", *end)?;
                check::positive("RampInput", "duration", *duration)?;
                check::non_negative("RampInput", "t_start", *t_start)?;
            }
            Waveform::Sinusoidal {
                amplitude,
                frequency,
                duration,
                bias,
            } => {
                check::finite("SinusoidalInput", "amplitude", *amplitude)?;
                check::finite("SinusoidalInput", "frequency", *frequency)?;
                check::finite("SinusoidalInput", "bias", *bias)?;
                if let Some(d) = duration {
                    check::non_negative("SinusoidalInput", "duration", *d)?;
                }
            }
        }
        Ok(())
    }

    /// The value at time `t`.
    pub fn at(&self, t: Time) -> Q {
        let zero = Q::from_raw(0.0);
        match self {
            Waveform::Constant { value, duration } => match duration {
                Some(d) if t >= *d => zero,
                _ => *value,
            },
            Waveform::Section { values, durations } => {
                let mut end = 0.0 * ms;
                for (v, d) in values.iter().zip(durations) {
                    end += *d;
                    if t < end {
                        return *v;
                    }
                }
                zero
            }
            Waveform::Step { amplitudes, times } => times
                .iter()
                .rposition(|s| *s <= t)
                .map_or(zero, |k| amplitudes[k]),
            Waveform::Ramp {
                start,
                end,
                duration,
                t_start,
            } => {
                if t < *t_start || t >= *t_start + *duration {
                    zero
                } else {
                    let f = ((t - *t_start) / *duration).value;
                    Q::from_raw(start.raw() + (end.raw() - start.raw()) * f)
                }
            }
            Waveform::Sinusoidal {
                amplitude,
                frequency,
                duration,
                bias,
            } => match duration {
                Some(d) if t >= *d => zero,
                _ => {
                    let phase = 2.0 * core::f64::consts::PI * wide((*frequency * t).value);
                    Q::from_raw(amplitude.raw() * narrow(phase.sin()) + bias.raw())
                }
            },
        }
    }
}

/// Something applied to one population before every step.
pub trait Input: Send {
    /// The network of the target handle.
    fn network(&self) -> u64;
    /// The index of the target population.
    fn target(&self) -> usize;
    /// Applies this step's input to the target population.
    fn apply(&mut self, ctx: &StepCtx, pop: &mut dyn AnyPopulation);
    /// Applies this step's input given every population (an input that reads one
    /// population's state and drives others, such as a gap junction); by default
    /// [`Input::apply`] on the target.
    fn apply_to_network(&mut self, ctx: &StepCtx, pops: &mut [Box<dyn AnyPopulation>]) {
        let target = self.target();
        self.apply(ctx, pops[target].as_mut());
    }
    /// Whether it reads the state of neurons other than those it drives (then it needs every
    /// neuron's state, which a rank of a distributed run does not have).
    fn reads_other_neurons(&self) -> bool {
        false
    }
    /// Back to the initial state (reseeds random inputs).
    fn reset(&mut self);
    /// Hands its run-time state (a random generator) to `v`, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor);
}

/// A current (the model's input quantity) injected into a population each step, BrainPy's
/// `inputs=[('pop.input', value)]` or a `...Input` generator.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let e = net.add("E", Lif::builder(10).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
/// // 0.25 nA into the first five neurons only (R·I = 25 mV lifts them above threshold)
/// net.input(ExternalCurrent::constant(e, 0.25 * nA)?.indices(vec![0, 1, 2, 3, 4])?)?;
/// let spikes = net.monitor_spikes(e)?;
/// net.run(100.0 * ms)?;
/// let counts = net.record(spikes)?.counts();
/// assert!(counts[..5].iter().all(|&c| c > 0));
/// assert!(counts[5..].iter().all(|&c| c == 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ExternalCurrent<N: Neuron> {
    target: Pop<N>,
    indices: Option<Vec<usize>>,
    wave: Waveform<N::Input>,
}

impl<N: Neuron> ExternalCurrent<N>
where
    N::Input: PartialOrd,
{
    /// The waveform injected into every neuron of `target` (of the slice, for a slice).
    pub fn new<I: InputOf<N>>(target: Pop<N>, wave: Waveform<I>) -> Result<Self, NetworkError> {
        let wave = I::into_wave(wave);
        wave.check()?;
        let indices = target.is_slice().then(|| target.range().collect());
        Ok(Self {
            target,
            indices,
            wave,
        })
    }

    /// The same value for the whole run.
    pub fn constant<I: InputOf<N>>(target: Pop<N>, value: I) -> Result<Self, NetworkError> {
        Self::new(target, Waveform::constant(value.into_input()))
    }

    /// Only into these neurons (indices within `target`: for a slice, k is element
    /// `start + k` of the population).
    pub fn indices(mut self, indices: Vec<usize>) -> Result<Self, NetworkError> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= self.target.len) {
            return Err(InvalidParameter::new(
                "ExternalCurrent",
                "indices",
                bad.to_string(),
                format!("must be below the target's size {}", self.target.len),
            )
            .into());
        }
        let offset = self.target.offset;
        self.indices = Some(indices.into_iter().map(|i| i + offset).collect());
        Ok(self)
    }
}

impl<N: Neuron> Input for ExternalCurrent<N>
where
    N::Input: PartialOrd + Send,
{
    fn network(&self) -> u64 {
        self.target.net
    }
    fn target(&self) -> usize {
        self.target.index
    }
    fn apply(&mut self, ctx: &StepCtx, pop: &mut dyn AnyPopulation) {
        let value = self.wave.at(ctx.t).raw();
        if value == 0.0 {
            return;
        }
        let pop: &mut Population<N> = post_population(pop);
        match &self.indices {
            None => pop.drive.add_external_uniform(N::Input::from_raw(value)),
            Some(ix) => {
                let ext = pop.drive.ext_mut().raw_mut();
                ix.iter().for_each(|&i| ext[i] += value);
            }
        }
    }
    fn visit_state(&mut self, _v: &mut dyn neurotype_models::snapshot::StateVisitor) {}
    fn reset(&mut self) {}
}

/// Independent Poisson spike trains (BrainPy's `PoissonSpike`): each element spikes in a step
/// with probability `1 − exp(−f·dt)`.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// // bp.dyn.PoissonGroup(500, freqs=20 Hz), with its own seed
/// let src = net.add_source(PoissonGroup::new(500, 20.0 * Hz, 3)?);
/// let spikes = net.monitor_spikes(src)?;
/// net.run(200.0 * ms)?;
/// let rate = net.record(spikes)?.mean_rate(0.0 * ms, 200.0 * ms)?;
/// // about 2000 spikes: the mean rate is within a few standard deviations (0.45 Hz) of 20 Hz
/// assert!((in_units(rate, Hz) - 20.0).abs() < 2.0, "{}", rate.show());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PoissonGroup {
    name: String,
    freqs: Param<Frequency>,
    seed: u64,
    rng: Rng,
    flags: Vec<bool>,
    spiked: Vec<u32>,
    /// Per-step probability, cached for one dt.
    p: Vec<f64>,
    p_dt: f64,
    rate: Column<Frequency>,
    /// A rate over time shared by every element, replacing `freqs` (BrainPy's `freqs` given
    /// as a Variable that the run rewrites).
    wave: Option<Waveform<Frequency>>,
}

impl PoissonGroup {
    /// `n` Poisson sources of the given rates (one, or one per source).
    pub fn new(
        n: usize,
        freqs: impl Into<Param<Frequency>>,
        seed: u64,
    ) -> Result<Self, NetworkError> {
        let freqs = freqs.into();
        check::size("PoissonSpike", "num", n)?;
        check::memory("PoissonSpike", "num", n as f64 * 24.0)?;
        freqs.check_shape("PoissonSpike", "freqs", n)?;
        freqs.check_non_negative("PoissonSpike", "freqs")?;
        Ok(Self {
            name: "PoissonSpike".into(),
            rate: Column::from_values((0..n).map(|i| freqs.at(i))),
            freqs,
            seed,
            rng: rng::stream(seed, 0x505),
            flags: vec![false; n],
            spiked: Vec::new(),
            p: vec![0.0; n],
            p_dt: f64::NAN,
            wave: None,
        })
    }

    /// Every element fires at the rate `wave` gives at each step's time, shared by all (a
    /// stimulus whose rate changes: BrainPy's `PoissonGroup(n, freqs=bm.Variable(...))` with
    /// the variable rewritten each step). The waveform is checked here: finite, rates ≥ 0.
    pub fn rate_over_time(mut self, wave: Waveform<Frequency>) -> Result<Self, NetworkError> {
        wave.check()?;
        let negative = match &wave {
            Waveform::Constant { value, .. } => value.value < 0.0,
            Waveform::Section { values, .. } => values.iter().any(|v| v.value < 0.0),
            Waveform::Step { amplitudes, .. } => amplitudes.iter().any(|v| v.value < 0.0),
            Waveform::Ramp { start, end, .. } => start.value < 0.0 || end.value < 0.0,
            Waveform::Sinusoidal {
                amplitude, bias, ..
            } => bias.value < amplitude.value.abs(),
        };
        if negative {
            return Err(InvalidParameter::new(
                "PoissonSpike",
                "rate_over_time",
                format!("{wave:?}"),
                "must give rates >= 0 Hz at every time",
            )
            .into());
        }
        self.wave = Some(wave);
        Ok(self)
    }
}

impl AnyPopulation for PoissonGroup {
    fn name(&self) -> &str {
        &self.name
    }
    fn model_name(&self) -> &'static str {
        "PoissonSpike"
    }
    fn len(&self) -> usize {
        self.flags.len()
    }
    fn advance(&mut self, ctx: &StepCtx) {
        let dt = ctx.dt.get();
        if let Some(wave) = &self.wave {
            let f = wave.at(ctx.t);
            let p = wide(-expm1(-(f * dt)).value);
            self.rate.fill(f);
            for flag in &mut self.flags {
                *flag = self.rng.random::<f64>() < p;
            }
            collect_spikes(&self.flags, &mut self.spiked);
            return;
        }
        if wide(dt.value) != self.p_dt {
            for (i, p) in self.p.iter_mut().enumerate() {
                *p = wide(-expm1(-(self.freqs.at(i) * dt)).value);
            }
            self.p_dt = wide(dt.value);
        }
        for (flag, &p) in self.flags.iter_mut().zip(&self.p) {
            *flag = self.rng.random::<f64>() < p;
        }
        collect_spikes(&self.flags, &mut self.spiked);
    }
    fn spiked(&self) -> &[u32] {
        &self.spiked
    }
    fn clear_inputs(&mut self) {}
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        vec![StateVar::of("freqs", &self.rate)]
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        Vec::new()
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.rng("rng", &mut self.rng);
        v.flags("spikes", &mut self.flags);
        v.list_u32("spiked", &mut self.spiked);
    }
    fn reset(&mut self) {
        self.rng = rng::stream(self.seed, 0x505);
        self.flags.fill(false);
        self.spiked.clear();
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// How a spike time becomes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeRounding {
    /// Nearest step (BrainPy's default `'round'`).
    #[default]
    Round,
    /// The step at or before.
    Floor,
    /// The step at or after.
    Ceil,
}

/// Spikes at given times (BrainPy's `SpikeTime(in_size, indices, times)`).
pub struct SpikeTimeGroup {
    name: String,
    n: usize,
    events: Vec<(u64, u32)>,
    times: Vec<(usize, Time)>,
    rounding: TimeRounding,
    cursor: usize,
    spiked: Vec<u32>,
    resolved_dt: f64,
}

impl SpikeTimeGroup {
    /// Element `indices[k]` spikes at `times[k]`.
    pub fn new(n: usize, indices: &[usize], times: &[Time]) -> Result<Self, NetworkError> {
        check::size("SpikeTime", "size", n)?;
        if indices.len() != times.len() {
            return Err(NetworkError::size_mismatch(
                "SpikeTime",
                "indices",
                indices.len(),
                "times",
                times.len(),
            ));
        }
        for (&i, &t) in indices.iter().zip(times) {
            if i >= n {
                return Err(InvalidParameter::new(
                    "SpikeTime",
                    "indices",
                    i.to_string(),
                    format!("must be below the group size {n}"),
                )
                .into());
            }
            check::non_negative("SpikeTime", "times", t)?;
        }
        Ok(Self {
            name: "SpikeTime".into(),
            n,
            events: Vec::new(),
            times: indices.iter().copied().zip(times.iter().copied()).collect(),
            rounding: TimeRounding::Round,
            cursor: 0,
            spiked: Vec::new(),
            resolved_dt: f64::NAN,
        })
    }

    /// How times map to steps (default: nearest).
    pub fn rounding(mut self, rounding: TimeRounding) -> Self {
        self.rounding = rounding;
        self.resolved_dt = f64::NAN;
        self
    }

    fn resolve(&mut self, dt: TimeStep) {
        self.events = self
            .times
            .iter()
            .map(|&(i, t)| {
                let x = (t / dt.get()).value;
                let step = match self.rounding {
                    TimeRounding::Round => x.round(),
                    TimeRounding::Floor => x.floor(),
                    TimeRounding::Ceil => x.ceil(),
                };
                (step as u64, i as u32)
            })
            .collect();
        self.events.sort_unstable();
        self.events.dedup();
        self.cursor = 0;
        self.resolved_dt = wide(dt.get().value);
    }
}

impl AnyPopulation for SpikeTimeGroup {
    fn name(&self) -> &str {
        &self.name
    }
    fn model_name(&self) -> &'static str {
        "SpikeTime"
    }
    fn len(&self) -> usize {
        self.n
    }
    fn advance(&mut self, ctx: &StepCtx) {
        if wide(ctx.dt.get().value) != self.resolved_dt {
            self.resolve(ctx.dt);
        }
        while self.cursor < self.events.len() && self.events[self.cursor].0 < ctx.i {
            self.cursor += 1;
        }
        self.spiked.clear();
        while self.cursor < self.events.len() && self.events[self.cursor].0 == ctx.i {
            self.spiked.push(self.events[self.cursor].1);
            self.cursor += 1;
        }
    }
    fn spiked(&self) -> &[u32] {
        &self.spiked
    }
    fn clear_inputs(&mut self) {}
    fn state_vars(&self) -> Vec<StateVar<'_>> {
        Vec::new()
    }
    fn state_vars_mut(&mut self) -> Vec<StateVarMut<'_>> {
        Vec::new()
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        // the cursor is a cache: the next step skips the events before it from any cursor
        self.cursor = 0;
        v.list_u32("spiked", &mut self.spiked);
    }
    fn reset(&mut self) {
        self.cursor = 0;
        self.spiked.clear();
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The summed effect of `num_input` independent Poisson sources of rate `freq` on a state
/// variable of each neuron (BrainPy's `PoissonInput`): every step the state grows by
/// `k·weight` with `k ~ Binomial(num_input, p)`, `p = 1 − exp(−freq·dt)` (replaced by a rounded
/// normal of the same mean and variance when both `num_input·p` and `num_input·(1 − p)` exceed
/// 5). Applied directly to the state before the neuron's update.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let e = net.add("E", Lif::builder(100).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms).build()?);
/// // bp.dyn.PoissonInput(E.V, num_input=200, freq=10 Hz, weight=0.1 mV): on average
/// // 200 · 10 Hz · 0.1 mV = 0.2 mV/ms, which a 20 ms membrane turns into ≈ 4 mV
/// net.poisson_input(PoissonInput::on(e.state().v, 200, 10.0 * Hz, 0.1 * mV, 7)?)?;
/// net.run(100.0 * ms)?;
/// let v = net.population(e)?.model.potential();
/// let mean = v.iter().map(|v| in_units(v, mV)).sum::<f64>() / v.len() as f64;
/// assert!(mean > -57.0 && mean < -55.0, "{mean} mV");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PoissonInput {
    net: u64,
    target: usize,
    /// The elements of the target population it drives.
    range: core::ops::Range<usize>,
    state: &'static str,
    num_input: u64,
    freq: Frequency,
    weight: Real,
    seed: u64,
    rng: Rng,
}

impl PoissonInput {
    /// Adds to `state`, a typed handle (`e.state().v`), of its population; `weight` is a
    /// quantity of the state's kind, checked when the program is compiled. Add it with
    /// [`Network::poisson_input`](crate::Network::poisson_input).
    pub fn on<N: neurotype_models::Neuron, Q: Unitful>(
        state: neurotype_models::StateKey<Pop<N>, Q>,
        num_input: u64,
        freq: Frequency,
        weight: impl crate::wiring::StateWeight<Q>,
        seed: u64,
    ) -> Result<PoissonInputSpec, NetworkError> {
        let weight = weight.into_state();
        Self::spec(*state.owner(), state.name(), num_input, freq, weight, seed)
    }

    /// Adds to state `state` (BrainPy's name, e.g. `"V"`) of `target`; `weight` must have the
    /// state's unit (checked when added to the network with
    /// [`Network::poisson_input`](crate::Network::poisson_input)). [`PoissonInput::on`] takes
    /// a typed handle instead, and checks both when the program is compiled.
    pub fn spec<T, Q: Unitful>(
        target: Pop<T>,
        state: &'static str,
        num_input: u64,
        freq: Frequency,
        weight: Q,
        seed: u64,
    ) -> Result<PoissonInputSpec, NetworkError> {
        check::non_negative("PoissonInput", "freq", freq)?;
        check::finite("PoissonInput", "weight", weight)?;
        // counted in f64 (the binomial draw's n): exact up to 2^53
        if num_input > 1 << 53 {
            return Err(InvalidParameter::new(
                "PoissonInput",
                "num_input",
                num_input.to_string(),
                "must be at most 2^53 = 9007199254740992",
            )
            .into());
        }
        Ok(PoissonInputSpec {
            input: PoissonInput {
                net: target.net,
                target: target.index,
                range: target.range(),
                state,
                num_input,
                freq,
                weight: weight.raw(),
                seed,
                rng: rng::stream(seed, 0x9017),
            },
            unit: Q::canonical_symbol(),
        })
    }
}

/// A [`PoissonInput`] waiting for its unit check.
pub struct PoissonInputSpec {
    pub(crate) input: PoissonInput,
    pub(crate) unit: &'static str,
}

impl PoissonInputSpec {
    /// Checks that the target state exists and has the weight's unit.
    pub(crate) fn validate(&self, pops: &[Box<dyn AnyPopulation>]) -> Result<(), NetworkError> {
        let pop = &pops[self.input.target];
        let vars = pop.state_vars();
        let var = vars
            .iter()
            .find(|v| v.name == self.input.state)
            .ok_or_else(|| {
                NetworkError::NotFound(format!(
                    "PoissonInput: {} has no state `{}`",
                    pop.model_name(),
                    self.input.state
                ))
            })?;
        if var.unit != self.unit {
            return Err(InvalidParameter::new(
                "PoissonInput",
                "weight",
                format!("a quantity in {}", self.unit),
                format!("must have the unit of state `{}` ({})", var.name, var.unit),
            )
            .into());
        }
        Ok(())
    }
}

impl Input for PoissonInput {
    fn network(&self) -> u64 {
        self.net
    }
    fn target(&self) -> usize {
        self.target
    }
    fn apply(&mut self, ctx: &StepCtx, pop: &mut dyn AnyPopulation) {
        let p = -(-wide((self.freq * ctx.dt.get()).value)).exp_m1();
        let n = self.num_input as f64;
        let (a, b) = (n * p, n * (1.0 - p));
        let Some(var) = pop.state_var_mut(self.state) else {
            return;
        };
        let xs = var.raw[self.range.clone()].iter_mut();
        // the distribution is built once per step (it draws nothing itself)
        if a > 5.0 && b > 5.0 {
            let d = Normal::new(a, (b * p).sqrt()).expect("finite mean and spread");
            for x in xs {
                *x += narrow(d.sample(&mut self.rng).round().max(0.0)) * self.weight;
            }
        } else {
            let d = Binomial::new(self.num_input, p.clamp(0.0, 1.0)).expect("p in [0, 1]");
            for x in xs {
                *x += narrow(d.sample(&mut self.rng) as f64) * self.weight;
            }
        }
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.rng("rng", &mut self.rng);
    }
    fn reset(&mut self) {
        self.rng = rng::stream(self.seed, 0x9017);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waveforms_follow_brainpy_time_semantics() {
        let w = Waveform::Section {
            values: vec![1.0 * nA, 2.0 * nA],
            durations: vec![10.0 * ms, 5.0 * ms],
        };
        assert_eq!(w.at(0.0 * ms), 1.0 * nA);
        assert_eq!(w.at(9.9 * ms), 1.0 * nA);
        assert_eq!(w.at(10.0 * ms), 2.0 * nA);
        assert_eq!(w.at(15.0 * ms), 0.0 * nA);
        let w = Waveform::Step {
            amplitudes: vec![1.0 * nA, 3.0 * nA],
            times: vec![5.0 * ms, 8.0 * ms],
        };
        assert_eq!(w.at(4.9 * ms), 0.0 * nA);
        assert_eq!(w.at(5.0 * ms), 1.0 * nA);
        assert_eq!(w.at(100.0 * ms), 3.0 * nA);
        let w = Waveform::Ramp {
            start: 0.0 * nA,
            end: 10.0 * nA,
            duration: 10.0 * ms,
            t_start: 5.0 * ms,
        };
        assert_eq!(w.at(4.0 * ms), 0.0 * nA);
        assert!((w.at(10.0 * ms) - 5.0 * nA).abs() < 1e-12 * nA);
        assert_eq!(w.at(15.0 * ms), 0.0 * nA);
        let w = Waveform::Sinusoidal {
            amplitude: 1.0 * nA,
            frequency: 10.0 * Hz,
            duration: None,
            bias: 0.5 * nA,
        };
        assert!((w.at(25.0 * ms) - 1.5 * nA).abs() < 1e-12 * nA);
        assert!(
            Waveform::Section {
                values: vec![1.0 * nA],
                durations: vec![]
            }
            .check()
            .is_err()
        );
    }
}
