//! Monitors: what a run records, and how it is saved.
//!
//! - [`SpikeRecord`]: every spike as (step, neuron) — sparse.
//! - [`StateRecord`]: a state variable of chosen neurons every `every` steps.
//! - [`RateRecord`]: the population's spike count per step (its instantaneous rate).
//!
//! Records save as `.npy` (loads with `numpy.load`) and CSV.

use crate::error::NetworkError;
use crate::population::AnyPopulation;
use crate::projection::Projection;
use crate::results::{Array, Results};
use core::any::Any;
use core::marker::PhantomData;
use neurotype_models::StepCtx;
use neurotype_models::neuron::StateVar;
use neurotype_solvers::TimeStep;
use neurotype_units::prelude::*;
use neurotype_units::{Real, narrow, wide};
use npyz::WriterBuilder;
use std::io::Write;
use std::path::Path;

/// A typed handle to a monitor's record.
pub struct MonitorId<R> {
    pub(crate) net: u64,
    pub(crate) index: usize,
    _r: PhantomData<fn() -> R>,
}

impl<R> MonitorId<R> {
    pub(crate) fn new(net: u64, index: usize) -> Self {
        Self {
            net,
            index,
            _r: PhantomData,
        }
    }
}

impl<R> core::fmt::Debug for MonitorId<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MonitorId({})", self.index)
    }
}

impl<R> Clone for MonitorId<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for MonitorId<R> {}

/// Where a state monitor reads: a population or a projection (its synapse state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Population index.
    Population(usize),
    /// Projection index.
    Projection(usize),
}

/// What monitors read after a step.
pub struct World<'a> {
    /// Populations (with their synapse groups).
    pub pops: &'a [Box<dyn AnyPopulation>],
    /// Projections.
    pub projections: &'a [Box<dyn Projection>],
}

impl<'a> World<'a> {
    /// The state variables of a target: a population's, or a projection's own followed by
    /// those of the synapse group it feeds.
    pub fn state_vars(&self, target: Target) -> Vec<StateVar<'a>> {
        match target {
            Target::Population(p) => self.pops[p].state_vars(),
            Target::Projection(p) => {
                let proj = &self.projections[p];
                let mut vars = proj.state_vars();
                if let crate::projection::Landing::Group(g) = proj.landing() {
                    vars.extend(self.pops[proj.post()].group_state_vars(g));
                }
                vars
            }
        }
    }
}

/// The time of step `step` in ms, `step·dt`, as the decimal number it is: with dt = 0.01 ms,
/// step 35 is at 0.35 ms (not `35.0 * 0.01` = 0.35000000000000003). When dt is a decimal
/// with at most 6 digits after the point (`k / 10^d` ms), the time is `step·k / 10^d`, one
/// rounding of the exact value; otherwise `step·dt`.
pub fn stamp_ms(step: u64, dt: f64) -> f64 {
    let mut den = 1.0;
    for _ in 0..=6 {
        let k = dt * den;
        let whole = k.round();
        // a whole number up to the rounding of the stored dt (an f32 dt is the f32 nearest
        // the decimal written: within a few f32 epsilons of it)
        let slack = 8.0 * wide(Real::EPSILON) * whole;
        if whole >= 1.0 && (k - whole).abs() <= slack {
            let exact = step as f64 * whole;
            if exact < 9_007_199_254_740_992.0 {
                return exact / den;
            }
            break;
        }
        den *= 10.0;
    }
    step as f64 * dt
}

/// Names of what monitors record, for a results file.
pub struct Names<'a> {
    /// Per population, its name.
    pub(crate) pops: &'a [String],
    /// Per projection, its name.
    pub(crate) projections: &'a [String],
}

fn f64s(shape: Vec<u64>, data: Vec<f64>) -> Array {
    Array::F64 { shape, data }
}

fn i64s(shape: Vec<u64>, data: Vec<i64>) -> Array {
    Array::I64 { shape, data }
}

fn u64s(shape: Vec<u64>, data: Vec<u64>) -> Array {
    Array::U64 { shape, data }
}

/// What the network needs of a monitor.
pub trait Monitor: Send {
    /// Adds its record to a results file, its arrays named after what it monitors.
    fn export(&self, names: &Names<'_>, out: &mut crate::results::Results);
    /// Records after a step.
    fn record(&mut self, ctx: &StepCtx, world: &World<'_>);
    /// Makes room for `steps` more steps; an error (naming the size) when that much memory
    /// cannot be had, before the run starts.
    fn reserve(&mut self, steps: usize) -> Result<(), NetworkError>;
    /// Forgets everything recorded.
    fn clear(&mut self);
    /// Hands what it has recorded to `v`, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor);
    /// For downcasting to the record.
    fn as_any(&self) -> &dyn Any;
    /// What a stream file of this monitor starts with; `None` if it cannot be streamed.
    fn stream_header(&self) -> Option<crate::stream::Header> {
        None
    }
    /// Hands over the rows recorded since the last call and forgets them (keeping the memory
    /// for the next ones), for a stream.
    fn take_rows(&mut self) -> crate::stream::Rows {
        crate::stream::Rows::default()
    }
    /// Completes the record of a distributed run with what the other ranks recorded of their
    /// own neurons (a collective: every rank calls it for every monitor, in the same order).
    /// Spike records need nothing: every rank already holds every spike.
    fn gather(&mut self, _gathering: &mut Gathering<'_>) {}
    /// The population whose spikes it records, if it records spikes (a distributed run hands
    /// it the spikes of every rank once they are exchanged).
    fn spike_source(&self) -> Option<usize> {
        None
    }
}

/// What a monitor needs to gather its record across ranks.
pub struct Gathering<'a> {
    pub(crate) ranks: &'a mut dyn crate::ranks::Exchange,
    /// Per population: its size when its neurons are shared out among the ranks.
    pub(crate) shared: &'a [Option<usize>],
}

fn write_npy(
    path: &Path,
    shape: &[u64],
    data: impl IntoIterator<Item = f64>,
) -> Result<(), NetworkError> {
    let file = std::fs::File::create(path).map_err(|e| NetworkError::io(path, e))?;
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(shape)
        .writer(std::io::BufWriter::new(file))
        .begin_nd()
        .map_err(|e| NetworkError::io(path, e))?;
    w.extend(data).map_err(|e| NetworkError::io(path, e))?;
    w.finish().map_err(|e| NetworkError::io(path, e))
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, NetworkError> {
    Ok(std::io::BufWriter::new(
        std::fs::File::create(path).map_err(|e| NetworkError::io(path, e))?,
    ))
}

/// Every spike of a population: `(step, neuron)` pairs in time order.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let e = net.add("E", Lif::builder(20).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
/// net.input(ExternalCurrent::constant(e, 0.25 * nA)?)?;
/// let spikes = net.monitor_spikes(e)?; // BrainPy's monitors=['E.spike']
/// net.run(100.0 * ms)?;
/// let rec = net.record(spikes)?;
/// // identical neurons under the same current fire together, about every 10 ms
/// assert!(rec.counts().iter().all(|&c| c == rec.counts()[0]));
/// assert!(rec.times_ms().windows(2).all(|w| w[0] <= w[1]));
/// let rate = in_units(rec.mean_rate(0.0 * ms, 100.0 * ms)?, Hz);
/// assert!(rate > 70.0 && rate < 120.0, "{rate} Hz");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SpikeRecord {
    pop: usize,
    /// First element of the monitored slice (0 for a whole population).
    offset: usize,
    n: usize,
    dt: f64,
    /// Step of each spike.
    pub steps: Vec<u64>,
    /// Neuron of each spike.
    pub neurons: Vec<u32>,
}

impl SpikeRecord {
    /// A record read back from a stream file.
    pub(crate) fn from_stream(n: usize, dt: f64, steps: Vec<u64>, neurons: Vec<u32>) -> Self {
        Self {
            pop: 0,
            offset: 0,
            n,
            dt,
            steps,
            neurons,
        }
    }

    pub(crate) fn new(pop: usize, range: core::ops::Range<usize>, dt: TimeStep) -> Self {
        Self {
            pop,
            offset: range.start,
            n: range.len(),
            dt: wide(dt.get().value),
            ..Default::default()
        }
    }

    /// Number of spikes.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there were none.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Size of the monitored population (or slice; neuron k of a slice is element
    /// `start + k` of its population).
    pub fn population_size(&self) -> usize {
        self.n
    }

    /// Spike times (`step·dt`).
    pub fn times(&self) -> impl Iterator<Item = Time> + '_ {
        let dt = self.dt;
        self.steps
            .iter()
            .map(move |&s| Time::from_raw(narrow(stamp_ms(s, dt))))
    }

    /// Spike times in ms (`step·dt`, as [`StateRecord::times_ms`] gives its rows).
    pub fn times_ms(&self) -> Vec<f64> {
        self.steps.iter().map(|&s| stamp_ms(s, self.dt)).collect()
    }

    /// Spikes per neuron.
    pub fn counts(&self) -> Vec<usize> {
        let mut c = vec![0; self.n];
        for &i in &self.neurons {
            c[i as usize] += 1;
        }
        c
    }

    /// Mean rate over neurons between two times (`from < to`, both finite).
    pub fn mean_rate(&self, from: Time, to: Time) -> Result<Frequency, NetworkError> {
        let owner = "SpikeRecord::mean_rate";
        neurotype_units::check::finite(owner, "from", from)?;
        neurotype_units::check::finite(owner, "to", to)?;
        neurotype_units::check::less_than(owner, "from", from, "to", to)?;
        let (a, b) = (wide(from.value) / self.dt, wide(to.value) / self.dt);
        // a step on the edge counts from `from` on: within 1e-9 steps, or within the rounding
        // of an f32 time (a few 1e-7 of it)
        let edge = |x: f64| {
            x - if cfg!(feature = "f32") {
                1e-6 * x.abs().max(1.0)
            } else {
                1e-9
            }
        };
        let (a, b) = (edge(a), edge(b));
        let count = (self.steps.iter())
            .filter(|&&s| (s as f64) >= a && (s as f64) < b)
            .count();
        let span = wide((to - from).value);
        Ok(Frequency::from_raw(narrow(
            count as f64 / (self.n as f64 * span),
        )))
    }

    /// Saves `spikes.npy`-style: an (n_spikes × 2) array of `[time_ms, neuron]`.
    pub fn save_npy(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let rows = self.steps.len() as u64;
        let dt = self.dt;
        write_npy(
            path.as_ref(),
            &[rows, 2],
            self.steps
                .iter()
                .zip(&self.neurons)
                .flat_map(move |(&s, &i)| [stamp_ms(s, dt), i as f64]),
        )
    }

    /// Saves a CSV with columns `t_ms,neuron`.
    pub fn save_csv(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let mut f = create(path)?;
        let io = |e| NetworkError::io(path, e);
        writeln!(f, "t_ms,neuron").map_err(io)?;
        for (&s, &i) in self.steps.iter().zip(&self.neurons) {
            writeln!(f, "{},{i}", stamp_ms(s, self.dt)).map_err(io)?;
        }
        f.flush().map_err(io)
    }
}

impl Monitor for SpikeRecord {
    fn export(&self, names: &Names<'_>, out: &mut Results) {
        let p = out.unique(&format!("{}.spike", names.pops[self.pop]));
        let n = self.steps.len() as u64;
        // indices in the whole population, as a state record's columns are
        let first = self.offset as i64;
        let neurons = self.neurons.iter().map(|&i| first + i64::from(i)).collect();
        let of_what = format!("of each spike of `{}`", names.pops[self.pop]);
        out.insert_steps(&p, self.steps.clone(), self.dt, &of_what);
        let about = format!("neuron (index in the population) {of_what}");
        out.insert(format!("{p}.neuron"), i64s(vec![n], neurons), "", about);
    }
    fn record(&mut self, ctx: &StepCtx, world: &World<'_>) {
        let pops = world.pops;
        let spiked = pops[self.pop].spiked();
        if self.offset == 0 && self.n == pops[self.pop].len() {
            self.steps.extend(core::iter::repeat_n(ctx.i, spiked.len()));
            self.neurons.extend_from_slice(spiked);
        } else {
            for &i in spiked {
                let k = (i as usize).wrapping_sub(self.offset);
                if k < self.n {
                    self.steps.push(ctx.i);
                    self.neurons.push(k as u32);
                }
            }
        }
    }
    fn reserve(&mut self, _steps: usize) -> Result<(), NetworkError> {
        Ok(())
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.list_u64("steps", &mut self.steps);
        v.list_u32("neurons", &mut self.neurons);
    }
    fn clear(&mut self) {
        self.steps.clear();
        self.neurons.clear();
    }
    fn spike_source(&self) -> Option<usize> {
        Some(self.pop)
    }
    fn stream_header(&self) -> Option<crate::stream::Header> {
        Some(crate::stream::Header::Spikes {
            n: self.n,
            dt: self.dt,
        })
    }
    fn take_rows(&mut self) -> crate::stream::Rows {
        let rows = crate::stream::Rows {
            steps: self.steps.clone(),
            neurons: self.neurons.clone(),
            values: Vec::new(),
        };
        self.clear();
        rows
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A state variable of chosen neurons, sampled every `every` steps. Recorded by name
/// ([`Network::monitor_state`](crate::Network::monitor_state), below) it gives numbers in a
/// unit named by text; recorded from a typed handle
/// ([`Network::monitor`](crate::Network::monitor)) it gives quantities.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let e = net.add("E", Lif::builder(4).v_rest(-60.0 * mV).v_th(-50.0 * mV)
///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
/// net.input(ExternalCurrent::constant(e, 0.05 * nA)?)?; // R·I = 5 mV: stays below threshold
/// let v = net.monitor_state(e, "V", vec![0, 3], 10)?; // V of neurons 0 and 3, every 1 ms
/// net.run(100.0 * ms)?;
/// let rec = net.record(v)?;
/// let (t, v_mv) = (rec.times_ms(), rec.trace_in(1, "mV")?);
/// assert_eq!((t.len(), v_mv.len()), (100, 100));
/// assert!((t[1] - t[0] - 1.0).abs() < 1e-9);
/// // after five membrane time constants V has relaxed to V_rest + R·I = −55 mV
/// assert!((v_mv[99] + 55.0).abs() < 0.1, "{} mV", v_mv[99]);
/// assert!((rec.trace_in(1, "V")?[99] + 0.055).abs() < 1e-4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct StateRecord<Q = Named> {
    target: Target,
    /// The variable's BrainPy name.
    pub var: String,
    /// Canonical unit of the recorded values.
    pub unit: &'static str,
    /// Which neurons.
    pub indices: Vec<usize>,
    every: u64,
    dt: f64,
    /// Steps at which a row was recorded (the state after that step).
    pub steps: Vec<u64>,
    /// Row-major stored numbers (the run copies them as they are): `raw[row * indices.len() + k]`.
    raw: Vec<Real>,
    /// `indices` as one range, when they are one: a row is then one copy of the column.
    run: Option<core::ops::Range<usize>>,
    /// Converts a stored number into a named unit.
    convert: fn(Real, &str) -> Option<f64>,
    _q: PhantomData<fn() -> Q>,
}

/// The quantity of a [`StateRecord`] whose state was named by text (BrainPy's `"V"`): its
/// values come back as numbers, in the canonical unit or in a unit named by text. A record
/// made from a typed handle ([`Network::monitor`](crate::Network::monitor)) has the state's
/// quantity instead, and gives quantities.
#[derive(Debug, Clone, Copy)]
pub enum Named {}

impl<Q> StateRecord<Q> {
    pub(crate) fn new(
        target: Target,
        var: &StateVar<'_>,
        indices: Vec<usize>,
        every: u64,
        dt: TimeStep,
    ) -> Self {
        let run = Self::run_of(&indices);
        Self {
            target,
            var: var.name.to_string(),
            unit: var.unit,
            indices,
            every,
            dt: wide(dt.get().value),
            steps: Vec::new(),
            raw: Vec::new(),
            run,
            convert: var.convert,
            _q: PhantomData,
        }
    }

    /// The recorded neurons as one range `a..b` when they are `a, a+1, …, b-1`.
    fn run_of(indices: &[usize]) -> Option<core::ops::Range<usize>> {
        let a = *indices.first()?;
        let contiguous = indices.iter().enumerate().all(|(k, &i)| i == a + k);
        contiguous.then_some(a..a + indices.len())
    }

    /// Every recorded value in the canonical unit, row-major.
    fn canonical(&self) -> Vec<f64> {
        self.raw
            .iter()
            .map(|&x| (self.convert)(x, self.unit).unwrap_or(wide(x)))
            .collect()
    }

    /// The stored numbers of the k-th recorded neuron, one per row; an error naming `k` when
    /// fewer neurons were recorded.
    fn column(&self, k: usize) -> Result<impl Iterator<Item = Real> + '_, NetworkError> {
        let m = self.indices.len();
        if k >= m {
            return Err(neurotype_units::InvalidParameter::new(
                "StateRecord",
                "k",
                k.to_string(),
                format!("must be below the number of recorded neurons, {m}"),
            )
            .into());
        }
        Ok(self.raw.iter().skip(k).step_by(m).copied())
    }

    /// The trace of the k-th recorded neuron in the unit named `unit`.
    fn trace_named(&self, k: usize, unit: &str) -> Result<Vec<f64>, NetworkError> {
        self.column(k)?
            .map(|x| {
                (self.convert)(x, unit).ok_or_else(|| {
                    NetworkError::from(neurotype_units::InvalidParameter::new(
                        "StateRecord",
                        "unit",
                        unit,
                        format!("is not a unit of `{}` ({})", self.var, self.unit),
                    ))
                })
            })
            .collect()
    }

    /// Number of recorded rows (time points).
    pub fn rows(&self) -> usize {
        self.steps.len()
    }

    /// The stored numbers (base units of the state's quantity, row-major:
    /// `raw()[row * indices.len() + k]`), as the run copied them.
    pub fn raw(&self) -> &[Real] {
        &self.raw
    }

    /// Times of the rows in ms: the row of step i is labelled `t_i = i·dt`, as BrainPy's
    /// `runner.mon.ts` labels it (the values are the state after that step).
    pub fn times_ms(&self) -> Vec<f64> {
        self.steps.iter().map(|&s| stamp_ms(s, self.dt)).collect()
    }

    /// Saves an (n_rows × n_neurons) array in the canonical unit.
    pub fn save_npy(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        write_npy(
            path.as_ref(),
            &[self.steps.len() as u64, self.indices.len() as u64],
            self.canonical(),
        )
    }

    /// Saves a CSV: `t_ms` and one column per neuron, `<var>[<i>]_<unit>`.
    pub fn save_csv(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let mut f = create(path)?;
        let io = |e| NetworkError::io(path, e);
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!("_{}", self.unit)
        };
        write!(f, "t_ms").map_err(io)?;
        for i in &self.indices {
            write!(f, ",{}[{i}]{unit}", self.var).map_err(io)?;
        }
        writeln!(f).map_err(io)?;
        let (m, values) = (self.indices.len(), self.canonical());
        for (row, &s) in self.steps.iter().enumerate() {
            write!(f, "{}", stamp_ms(s, self.dt)).map_err(io)?;
            for v in &values[row * m..(row + 1) * m] {
                write!(f, ",{v}").map_err(io)?;
            }
            writeln!(f).map_err(io)?;
        }
        f.flush().map_err(io)
    }
}

impl StateRecord<Named> {
    /// Every recorded value in the canonical unit, row-major:
    /// `values()[row * indices.len() + k]`.
    pub fn values(&self) -> Vec<f64> {
        self.canonical()
    }

    /// The trace of the k-th recorded neuron in `unit` (any unit of the variable's kind); an
    /// error when `unit` does not fit or `k` is not a recorded neuron.
    pub fn trace_in(&self, k: usize, unit: &str) -> Result<Vec<f64>, NetworkError> {
        self.trace_named(k, unit)
    }

    /// The trace of the k-th recorded neuron, in the canonical unit; an error when `k` is not
    /// a recorded neuron.
    pub fn trace(&self, k: usize) -> Result<Vec<f64>, NetworkError> {
        self.trace_named(k, self.unit)
    }
}

impl<Q: Unitful> StateRecord<Q> {
    /// Every recorded value, row-major: `values()[row * indices.len() + k]`.
    pub fn values(&self) -> Vec<Q> {
        self.raw.iter().map(|&x| Q::from_raw(x)).collect()
    }

    /// The trace of the k-th recorded neuron; an error when `k` is not a recorded neuron.
    pub fn trace(&self, k: usize) -> Result<Vec<Q>, NetworkError> {
        Ok(self.column(k)?.map(Q::from_raw).collect())
    }

    /// The trace of the k-th recorded neuron as numbers in `unit`, a quantity of the state's
    /// kind (`mV`, not `"mV"`): `trace_in(0, mV)` for plotting or saving.
    pub fn trace_in(&self, k: usize, unit: Q) -> Result<Vec<f64>, NetworkError> {
        let one = wide(unit.raw());
        Ok(self.column(k)?.map(|x| wide(x) / one).collect())
    }
}

impl<Q: 'static> Monitor for StateRecord<Q> {
    fn export(&self, names: &Names<'_>, out: &mut Results) {
        let owner = match self.target {
            Target::Population(p) => &names.pops[p],
            Target::Projection(p) => &names.projections[p],
        };
        let p = out.unique(&format!("{owner}.{}", self.var));
        let (rows, m) = (self.steps.len() as u64, self.indices.len() as u64);
        let what = format!("`{}` of `{owner}`", self.var);
        let indices = self.indices.iter().map(|&i| i as i64).collect();
        out.insert(
            p.clone(),
            f64s(vec![rows, m], self.canonical()),
            self.unit,
            format!("{what}, one row per recorded step, one column per recorded element"),
        );
        out.insert_steps(
            &p,
            self.steps.clone(),
            self.dt,
            &format!("of each row of {what}"),
        );
        let elements = format!("the element of each column of {what}");
        out.insert(format!("{p}.neuron"), i64s(vec![m], indices), "", elements);
    }
    fn gather(&mut self, gathering: &mut Gathering<'_>) {
        let Target::Population(p) = self.target else {
            return;
        };
        let Some(n) = gathering.shared[p] else {
            return;
        };
        let size = gathering.ranks.size();
        let owned: Vec<_> = (0..size).map(|r| crate::ranks::owned(n, r, size)).collect();
        // the recorded columns each rank owns
        let columns = |r: usize| -> Vec<usize> {
            (0..self.indices.len())
                .filter(|&k| owned[r].contains(&self.indices[k]))
                .collect()
        };
        let (m, rows) = (self.indices.len(), self.steps.len());
        let mine = columns(gathering.ranks.rank());
        let local: Vec<f64> = (0..rows)
            .flat_map(|row| mine.iter().map(move |&k| row * m + k))
            .map(|at| wide(self.raw[at]))
            .collect();
        let mut all = Vec::new();
        gathering.ranks.all_gather_f64(&local, &mut all);
        let mut from = all.into_iter();
        for r in 0..size {
            let theirs = columns(r);
            for row in 0..rows {
                for &k in &theirs {
                    self.raw[row * m + k] =
                        narrow(from.next().expect("every rank sends its columns"));
                }
            }
        }
    }
    fn record(&mut self, ctx: &StepCtx, world: &World<'_>) {
        if !ctx.i.is_multiple_of(self.every) {
            return;
        }
        let vars = world.state_vars(self.target);
        let Some(var) = vars.iter().find(|v| v.name == self.var) else {
            return;
        };
        self.steps.push(ctx.i);
        match self.run.clone() {
            // the usual case (every neuron, or a block of them): one copy of the column
            Some(range) => self.raw.extend_from_slice(&var.raw[range]),
            None => self.raw.extend(self.indices.iter().map(|&i| var.raw[i])),
        }
    }
    fn reserve(&mut self, steps: usize) -> Result<(), NetworkError> {
        let rows = steps / self.every as usize + 1;
        let values = rows.checked_mul(self.indices.len());
        let ok = values.is_some_and(|v| {
            self.steps.try_reserve(rows).is_ok() && self.raw.try_reserve(v).is_ok()
        });
        if ok {
            // `indices` is public: read it again before each run
            self.run = Self::run_of(&self.indices);
            crate::pages::advise_huge(&mut self.raw);
            return Ok(());
        }
        Err(too_big(
            "StateMonitor",
            steps,
            rows as f64 * self.indices.len() as f64 * 8.0,
        ))
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        v.list_u64("steps", &mut self.steps);
        v.list_f64("values", &mut self.raw);
    }
    fn clear(&mut self) {
        self.steps.clear();
        self.raw.clear();
    }
    fn stream_header(&self) -> Option<crate::stream::Header> {
        Some(crate::stream::Header::States {
            var: self.var.clone(),
            unit: self.unit.to_string(),
            indices: self.indices.clone(),
            dt: self.dt,
        })
    }
    fn take_rows(&mut self) -> crate::stream::Rows {
        let rows = crate::stream::Rows {
            steps: self.steps.clone(),
            neurons: Vec::new(),
            values: self.canonical(),
        };
        self.steps.clear();
        self.raw.clear();
        rows
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Number of spikes of a population in each step.
///
/// ```
/// use neurotype_models::prelude::*;
/// use neurotype_network::prelude::*;
///
/// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
/// let src = net.add_source(PoissonGroup::new(1000, 50.0 * Hz, 5)?);
/// let rate = net.monitor_rate(src)?;
/// net.run(100.0 * ms)?;
/// let rec = net.record(rate)?;
/// assert_eq!(rec.counts.len(), 1000); // one count per step
/// // smoothed over 10 ms bins: each bin holds about 500 spikes, so about 50 ± 2 Hz
/// let (t_ms, hz) = rec.binned_hz(10.0 * ms)?;
/// assert_eq!(t_ms.len(), 10);
/// assert!((t_ms[0] - 5.0).abs() < 1e-9); // bin centres
/// assert!(hz.iter().all(|&r| r > 35.0 && r < 65.0), "{hz:?}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RateRecord {
    pop: usize,
    /// The monitored elements of the population.
    range: core::ops::Range<usize>,
    n: usize,
    dt: f64,
    /// Step of the first count (the monitor may be added after earlier runs).
    first_step: Option<u64>,
    /// Spike count per step.
    pub counts: Vec<u32>,
}

impl RateRecord {
    pub(crate) fn new(pop: usize, range: core::ops::Range<usize>, dt: TimeStep) -> Self {
        Self {
            pop,
            n: range.len(),
            range,
            dt: wide(dt.get().value),
            first_step: None,
            counts: Vec::new(),
        }
    }

    /// Time (ms) of the count with index `k`: its step times dt.
    fn time_ms(&self, k: usize) -> f64 {
        stamp_ms(self.first_step.unwrap_or(0) + k as u64, self.dt)
    }

    /// `spikes / (N·span)`, per ms.
    fn per_ms(&self, spikes: f64, span_ms: f64) -> f64 {
        spikes / (self.n as f64 * span_ms)
    }

    /// Population rate per step (count / (N·dt)).
    pub fn rates(&self) -> Vec<Frequency> {
        self.counts
            .iter()
            .map(|&c| Frequency::from_raw(narrow(self.per_ms(c as f64, self.dt))))
            .collect()
    }

    /// Population rate smoothed over windows of `bin` (mean per bin, in Hz), with bin centres
    /// in ms. `bin` is at least one step (rounded to whole steps).
    pub fn binned_hz(&self, bin: Time) -> Result<(Vec<f64>, Vec<f64>), NetworkError> {
        let owner = "RateRecord::binned_hz";
        neurotype_units::check::positive(owner, "bin", bin)?;
        let steps = (wide(bin.value) / self.dt).round();
        if steps < 1.0 {
            return Err(neurotype_units::InvalidParameter::new(
                owner,
                "bin",
                bin.show().to_string(),
                format!(
                    "must be at least one step, dt = {}",
                    Time::from_raw(narrow(self.dt)).show()
                ),
            )
            .into());
        }
        let per = steps as usize;
        let mut t = Vec::new();
        let mut r = Vec::new();
        for (k, chunk) in self.counts.chunks(per).enumerate() {
            let spikes: u32 = chunk.iter().sum();
            let span = chunk.len() as f64 * self.dt;
            t.push(self.time_ms(k * per) + 0.5 * span);
            r.push(self.per_ms(spikes as f64, span) / wide(Hz.value));
        }
        Ok((t, r))
    }

    /// Saves the per-step rate in Hz as a 1-D array.
    pub fn save_npy(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let rates: Vec<f64> = (self.counts.iter())
            .map(|&c| self.per_ms(c as f64, self.dt) / wide(Hz.value))
            .collect();
        write_npy(path.as_ref(), &[rates.len() as u64], rates)
    }

    /// Saves a CSV `t_ms,rate_Hz`.
    pub fn save_csv(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let mut f = create(path)?;
        let io = |e| NetworkError::io(path, e);
        writeln!(f, "t_ms,rate_Hz").map_err(io)?;
        for (k, r) in self.rates().into_iter().enumerate() {
            writeln!(f, "{},{}", self.time_ms(k), in_units(r, Hz)).map_err(io)?;
        }
        f.flush().map_err(io)
    }
}

impl Monitor for RateRecord {
    fn export(&self, names: &Names<'_>, out: &mut Results) {
        let p = out.unique(&format!("{}.rate", names.pops[self.pop]));
        let rows = self.counts.len() as u64;
        let what = format!("of `{}` in each step", names.pops[self.pop]);
        let hz = self.rates().iter().map(|&r| in_units(r, Hz)).collect();
        out.insert(
            p.clone(),
            f64s(vec![rows], hz),
            "Hz",
            format!("rate {what}"),
        );
        let counts = self.counts.iter().map(|&c| u64::from(c)).collect();
        let count = format!("spike count {what}");
        out.insert(format!("{p}.count"), u64s(vec![rows], counts), "", count);
        let first = self.first_step.unwrap_or(0);
        out.insert_steps(
            &p,
            (first..first + rows).collect(),
            self.dt,
            "of each count",
        );
    }
    fn record(&mut self, ctx: &StepCtx, world: &World<'_>) {
        let spiked = world.pops[self.pop].spiked();
        let count = if self.range.start == 0 && self.n == world.pops[self.pop].len() {
            spiked.len()
        } else {
            spiked
                .iter()
                .filter(|&&i| self.range.contains(&(i as usize)))
                .count()
        };
        self.first_step.get_or_insert(ctx.i);
        self.counts.push(count as u32);
    }
    fn reserve(&mut self, steps: usize) -> Result<(), NetworkError> {
        self.counts
            .try_reserve(steps)
            .map_err(|_| too_big("RateMonitor", steps, steps as f64 * 4.0))
    }
    fn visit_state(&mut self, v: &mut dyn neurotype_models::snapshot::StateVisitor) {
        let mut first: Vec<u64> = self.first_step.into_iter().collect();
        v.list_u64("first_step", &mut first);
        self.first_step = first.first().copied();
        v.list_u32("counts", &mut self.counts);
    }
    fn clear(&mut self) {
        self.counts.clear();
        self.first_step = None;
    }
    fn spike_source(&self) -> Option<usize> {
        Some(self.pop)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The error of a monitor that cannot hold a run of `steps` steps (`bytes` needed).
fn too_big(owner: &str, steps: usize, bytes: f64) -> NetworkError {
    neurotype_units::InvalidParameter::new(
        owner,
        "duration",
        format!("{steps} steps"),
        format!(
            "must fit in memory: recording it needs {:.3} GiB, which cannot be allocated \
             (record every k steps, fewer neurons, or run in shorter runs)",
            bytes / (1u64 << 30) as f64
        ),
    )
    .into()
}

/// Counts of `values` in `bins` equal bins over `[lo, hi]` (a value equal to `hi` falls in
/// the last bin; values outside the range are not counted), e.g. a histogram of STDP weights
/// read with [`Network::projection_values`](crate::Network::projection_values).
pub fn histogram(
    values: &[f64],
    lo: f64,
    hi: f64,
    bins: usize,
) -> Result<Vec<usize>, NetworkError> {
    if bins == 0 {
        return Err(InvalidParameter::new("histogram", "bins", "0", "must be at least 1").into());
    }
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(InvalidParameter::new(
            "histogram",
            "range",
            format!("[{lo}, {hi}]"),
            "must be finite with lo < hi",
        )
        .into());
    }
    let mut counts = vec![0; bins];
    let width = (hi - lo) / bins as f64;
    for &x in values {
        if (lo..=hi).contains(&x) {
            counts[(((x - lo) / width) as usize).min(bins - 1)] += 1;
        }
    }
    Ok(counts)
}
