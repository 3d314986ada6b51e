//! A run's records in one self-describing file: every monitor's arrays, named, with their
//! units and the run's metadata, as a NumPy `.npz` archive.
//!
//! [`Network::save_results`](crate::Network::save_results) writes it;
//! `numpy.load("run.npz")` opens it in Python, and [`Results::load`] reads it back in Rust.
//! Arrays are named after what they record:
//!
//! | array | dtype | holds |
//! |---|---|---|
//! | `E.spike.step`, `E.spike.t_ms`, `E.spike.neuron` | u64, f64, i64 | every spike of population `E` |
//! | `E.V` | f64, rows × neurons | state `V` of the recorded neurons, in its unit (mV) |
//! | `E.V.step`, `E.V.t_ms`, `E.V.neuron` | u64, f64, i64 | the rows' steps and times, the recorded neurons |
//! | `E.rate`, `E.rate.count`, `E.rate.step`, `E.rate.t_ms` | f64 (Hz), u64, u64, f64 | the population rate per step |
//! | `E->E#0.g` (and `.step`, `.t_ms`, `.neuron`) | as a state | a projection's synapse state; `E->E#0` is projection 0, from `E` to `E` |
//! | `meta` | unicode string | JSON: neurotype version, precision, dt, seed, ranks, steps, populations, projections, the unit and meaning of every array |
//!
//! Times are the steps' times `step·dt`, computed from the step index as the decimal number
//! they are (`0.3`, not `3 × 0.1 = 0.30000000000000004`), the same in every array and file.

use crate::error::NetworkError;
use npyz::WriterBuilder;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};
use std::path::Path;

/// One named array of a results file.
#[derive(Debug, Clone, PartialEq)]
pub enum Array {
    /// Floating-point values (states, times, rates).
    F64 {
        /// Its shape (row-major).
        shape: Vec<u64>,
        /// Its values.
        data: Vec<f64>,
    },
    /// Signed integers (neuron indices).
    I64 {
        /// Its shape.
        shape: Vec<u64>,
        /// Its values.
        data: Vec<i64>,
    },
    /// Unsigned integers (steps, counts).
    U64 {
        /// Its shape.
        shape: Vec<u64>,
        /// Its values.
        data: Vec<u64>,
    },
}

impl Array {
    /// Its shape.
    pub fn shape(&self) -> &[u64] {
        match self {
            Array::F64 { shape, .. } | Array::I64 { shape, .. } | Array::U64 { shape, .. } => shape,
        }
    }
}

/// What an array holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrayMeta {
    /// Unit of its values (`"mV"`, `"ms"`, `"Hz"`; empty for indices and counts).
    pub unit: String,
    /// What it is, in words.
    pub about: String,
}

/// A population of the network that wrote the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationMeta {
    /// Its name (`"E"`).
    pub name: String,
    /// Its model (BrainPy's class name, `"LIF"`; `"PoissonGroup"` for a source).
    pub model: String,
    /// Its number of neurons.
    pub size: usize,
}

/// A projection of the network that wrote the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectionMeta {
    /// How its arrays are named: `pre->post#k`, k its index in connection order.
    pub label: String,
    /// Its kind (`"AlignPostProj"`).
    pub kind: String,
    /// Its presynaptic population.
    pub pre: String,
    /// Its postsynaptic population.
    pub post: String,
    /// Its number of synapses (of this process).
    pub synapses: usize,
}

/// The run a results file comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    /// The neurotype version that wrote it.
    pub neurotype: String,
    /// The floating-point precision of the simulation (`"f64"` or `"f32"`).
    pub precision: String,
    /// The time step, in ms.
    pub dt_ms: f64,
    /// The network's seed.
    pub seed: u64,
    /// The number of MPI ranks of the run (1 without ranks).
    #[serde(default = "one")]
    pub ranks: usize,
    /// Steps simulated when it was saved.
    pub steps: u64,
    /// Simulated time when it was saved, in ms.
    pub t_ms: f64,
    /// The populations, in the order they were added.
    pub populations: Vec<PopulationMeta>,
    /// The projections, in the order they were connected.
    #[serde(default)]
    pub projections: Vec<ProjectionMeta>,
    /// Unit and meaning of every array, by name.
    pub arrays: BTreeMap<String, ArrayMeta>,
}

fn one() -> usize {
    1
}

/// A run's records: named arrays with their units, and the run's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The run's metadata, with the unit and meaning of every array.
    pub meta: RunMeta,
    arrays: BTreeMap<String, Array>,
}

/// Name of the metadata entry of the archive.
const META: &str = "meta";

impl Results {
    pub(crate) fn new(meta: RunMeta) -> Self {
        Self {
            meta,
            arrays: BTreeMap::new(),
        }
    }

    /// `prefix`, or `prefix#2`, `prefix#3`, … if a record was already saved under it (two
    /// monitors of the same state).
    pub(crate) fn unique(&self, prefix: &str) -> String {
        let taken =
            |p: &str| self.arrays.contains_key(p) || self.arrays.contains_key(&format!("{p}.step"));
        if !taken(prefix) {
            return prefix.to_string();
        }
        (2..)
            .map(|k| format!("{prefix}#{k}"))
            .find(|p| !taken(p))
            .expect("some suffix is free")
    }

    /// Adds an array with its unit and meaning.
    pub(crate) fn insert(&mut self, name: String, array: Array, unit: &str, about: String) {
        self.meta.arrays.insert(
            name.clone(),
            ArrayMeta {
                unit: unit.to_string(),
                about,
            },
        );
        self.arrays.insert(name, array);
    }

    /// Adds `<prefix>.step` and `<prefix>.t_ms`: the steps of a record's rows and their
    /// times (`step·dt` as decimals), described as the step and time `of_what`.
    pub(crate) fn insert_steps(
        &mut self,
        prefix: &str,
        steps: Vec<u64>,
        dt_ms: f64,
        of_what: &str,
    ) {
        let n = vec![steps.len() as u64];
        let times = steps
            .iter()
            .map(|&s| crate::monitor::stamp_ms(s, dt_ms))
            .collect();
        let times = Array::F64 {
            shape: n.clone(),
            data: times,
        };
        let about = format!("time {of_what} (step·dt)");
        self.insert(format!("{prefix}.t_ms"), times, "ms", about);
        let steps = Array::U64 {
            shape: n,
            data: steps,
        };
        self.insert(
            format!("{prefix}.step"),
            steps,
            "",
            format!("step {of_what}"),
        );
    }

    /// Names of the arrays, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.arrays.keys().map(String::as_str)
    }

    /// An array by name.
    pub fn get(&self, name: &str) -> Option<&Array> {
        self.arrays.get(name)
    }

    /// A floating-point array's values (a state in its unit, times in ms, rates in Hz).
    pub fn f64s(&self, name: &str) -> Option<&[f64]> {
        match self.arrays.get(name)? {
            Array::F64 { data, .. } => Some(data),
            _ => None,
        }
    }

    /// An index array's values (neurons).
    pub fn i64s(&self, name: &str) -> Option<&[i64]> {
        match self.arrays.get(name)? {
            Array::I64 { data, .. } => Some(data),
            _ => None,
        }
    }

    /// A step or count array's values.
    pub fn u64s(&self, name: &str) -> Option<&[u64]> {
        match self.arrays.get(name)? {
            Array::U64 { data, .. } => Some(data),
            _ => None,
        }
    }

    /// The unit of an array's values (empty for indices and counts).
    pub fn unit(&self, name: &str) -> Option<&str> {
        self.meta.arrays.get(name).map(|a| a.unit.as_str())
    }

    /// Writes the archive: one `.npy` entry per array, and `meta` (JSON, a unicode string).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let io = |e: std::io::Error| NetworkError::io(path, e);
        let zip_err = |e: zip::result::ZipError| NetworkError::io(path, std::io::Error::other(e));
        let file = std::fs::File::create(path).map_err(io)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let json = serde_json::to_string(&self.meta).map_err(|e| io(std::io::Error::other(e)))?;
        let text: Vec<char> = json.chars().collect();
        let entry = |zip: &mut zip::ZipWriter<_>, name: &str, bytes: usize| {
            let options = zip::write::FileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(bytes as u64 >= u64::from(u32::MAX) / 2);
            zip.start_file(format!("{name}.npy"), options)
                .map_err(zip_err)
        };
        entry(&mut zip, META, text.len() * 4)?;
        let dtype = npyz::DType::Plain(
            format!("<U{}", text.len().max(1))
                .parse()
                .expect("a unicode dtype"),
        );
        let mut w = npyz::WriteOptions::<Vec<char>>::new()
            .dtype(dtype)
            .shape(&[])
            .writer(&mut zip)
            .begin_nd()
            .map_err(io)?;
        w.push(&text).map_err(io)?;
        w.finish().map_err(io)?;
        for (name, array) in &self.arrays {
            match array {
                Array::F64 { shape, data } => {
                    entry(&mut zip, name, data.len() * 8)?;
                    write_array(&mut zip, shape, data).map_err(io)?;
                }
                Array::I64 { shape, data } => {
                    entry(&mut zip, name, data.len() * 8)?;
                    write_array(&mut zip, shape, data).map_err(io)?;
                }
                Array::U64 { shape, data } => {
                    entry(&mut zip, name, data.len() * 8)?;
                    write_array(&mut zip, shape, data).map_err(io)?;
                }
            }
        }
        let mut inner = zip.finish().map_err(zip_err)?;
        inner.flush().map_err(io)
    }

    /// Reads an archive written by [`Results::save`] (or by NumPy's `savez` with the same
    /// entries).
    pub fn load(path: impl AsRef<Path>) -> Result<Self, NetworkError> {
        let path = path.as_ref();
        let io = |e: std::io::Error| NetworkError::io(path, e);
        let bad = |what: String| {
            NetworkError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, what),
            )
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| bad(format!("not a .npz archive: {e}")))?;
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        let mut meta = None;
        let mut arrays = BTreeMap::new();
        for entry in names {
            let Some(name) = entry.strip_suffix(".npy") else {
                continue;
            };
            let npy = read_entry(&mut zip, &entry).map_err(|e| bad(format!("{entry}: {e}")))?;
            if name == META {
                let text = match npy {
                    Entry::Text(t) => t,
                    _ => return Err(bad("`meta` is not a string".into())),
                };
                meta =
                    Some(serde_json::from_str::<RunMeta>(&text).map_err(|e| {
                        bad(format!("`meta` is not neurotype's run metadata: {e}"))
                    })?);
            } else if let Entry::Array(a) = npy {
                arrays.insert(name.to_string(), a);
            }
        }
        let meta =
            meta.ok_or_else(|| bad("no `meta` entry: not a neurotype results file".into()))?;
        Ok(Self { meta, arrays })
    }
}

fn write_array<W: Write, T: npyz::AutoSerialize + Copy>(
    w: W,
    shape: &[u64],
    data: &[T],
) -> std::io::Result<()> {
    let mut w = npyz::WriteOptions::<T>::new()
        .default_dtype()
        .shape(shape)
        .writer(w)
        .begin_nd()?;
    w.extend(data.iter().copied())?;
    w.finish()
}

enum Entry {
    Text(String),
    Array(Array),
}

fn read_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, entry: &str) -> std::io::Result<Entry> {
    let file = zip.by_name(entry).map_err(std::io::Error::other)?;
    let npy = npyz::NpyFile::new(file)?;
    let shape = npy.shape().to_vec();
    let descr = npy.dtype().descr();
    Ok(
        match descr.trim_matches('\'').trim_start_matches(['<', '|', '=']) {
            "f8" => Entry::Array(Array::F64 {
                shape,
                data: npy.into_vec()?,
            }),
            "i8" => Entry::Array(Array::I64 {
                shape,
                data: npy.into_vec()?,
            }),
            "u8" => Entry::Array(Array::U64 {
                shape,
                data: npy.into_vec()?,
            }),
            d if d.starts_with('U') => {
                let rows: Vec<Vec<char>> = npy.into_vec()?;
                Entry::Text(rows.concat().into_iter().collect())
            }
            other => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("dtype {other} is not one a results file holds (f8, i8, u8, U)"),
                ));
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::stamp_ms;
    use crate::prelude::*;
    use neurotype_models::prelude::*;

    #[test]
    fn times_are_the_decimal_multiples_of_dt() {
        assert_eq!(3.0 * 0.1, 0.30000000000000004);
        assert_eq!(stamp_ms(3, 0.1), 0.3);
        assert_eq!(35.0 * 0.01, 0.35000000000000003);
        assert_eq!(stamp_ms(35, 0.01), 0.35);
        assert_eq!(stamp_ms(7, 0.025), 0.175);
        assert_eq!(stamp_ms(10, 2.0), 20.0);
        // a dt as the build stores it (in f32, the nearest f32) stamps as the decimal written
        let stored = |x: f64| neurotype_units::wide(neurotype_units::narrow(x));
        assert_eq!(stamp_ms(35, stored(0.0125)), 0.4375);
        assert_eq!(stamp_ms(7, stored(0.123)), 0.861);
        assert_eq!(stamp_ms(3, stored(0.1)), 0.3);
        // not a short decimal: step·dt
        assert_eq!(stamp_ms(3, 1.0 / 3.0), 3.0 * (1.0 / 3.0));
    }

    /// Every kind of record goes through the file and comes back equal, with its units,
    /// its integer indices and the run's metadata.
    #[test]
    fn a_saved_run_loads_back_equal() -> Result<(), Box<dyn std::error::Error>> {
        let mut net = Network::new(0.1 * ms)?.seed(11).progress(Progress::Never);
        let lif = |n| {
            Lif::builder(n)
                .v_rest(-60.0 * mV)
                .v_th(-50.0 * mV)
                .v_reset(-60.0 * mV)
                .v_init(-60.0 * mV)
                .tau(20.0 * ms)
                .r(100.0 * Mohm)
                .build()
        };
        let e = net.add("E", lif(40)?);
        let i = net.add("I", lif(10)?);
        let poisson = net.add_source(PoissonGroup::new(50, 40.0 * Hz, 3)?);
        let proj = net.connect(
            AlignPostProj::new(poisson, e)
                .comm(Comm::fixed_prob(50, 40, 0.3, 2.0 * nS))
                .syn(Expon::builder(40).tau(5.0 * ms).build()?)
                .out(Coba::new(0.0 * mV)?),
        )?;
        net.input(ExternalCurrent::constant(i, 0.3 * nA)?)?;
        net.monitor_spikes(e)?;
        net.monitor_spikes(i)?;
        net.monitor(e.state().v, vec![0, 5, 39], 1)?;
        net.monitor_state(e, "V", vec![1], 2)?; // same name twice: saved as `E.V#2`
        net.monitor_projection(proj, "g", vec![0, 1], 1)?;
        let rate = net.monitor_rate(i)?;
        net.run(100.0 * ms)?;
        let path = std::env::temp_dir().join("neurotype-results-roundtrip.npz");
        net.save_results(&path)?;
        let back = Results::load(&path)?;
        std::fs::remove_file(&path)?;
        assert_eq!(back, net.results());
        assert!(back.i64s("E.spike.neuron").is_some_and(|n| !n.is_empty()));
        assert_eq!(back.i64s("E.V.neuron"), Some(&[0, 5, 39][..]));
        assert_eq!(back.get("E.V#2").map(Array::shape), Some(&[500, 1][..]));
        assert_eq!(back.f64s("E.V#2.t_ms").map(|t| t[1]), Some(0.2));
        assert_eq!(back.unit("E.V"), Some("mV"));
        assert_eq!(back.unit("I.rate"), Some("Hz"));
        assert_eq!(back.unit("I.rate.count"), Some(""));
        let g = back
            .names()
            .find(|k| k.ends_with(".g"))
            .expect("the synapse state");
        assert_eq!(back.get(g).map(Array::shape), Some(&[1000, 2][..]));
        assert_eq!(back.unit(g), Some("mS"));
        assert_eq!(back.meta.seed, 11);
        assert_eq!(back.meta.steps, 1000);
        assert_eq!(back.meta.t_ms, 100.0);
        assert_eq!(back.meta.populations.len(), 3);
        // a rate from the saved counts is the record's own
        let rates: Vec<f64> = net
            .record(rate)?
            .rates()
            .iter()
            .map(|&r| in_units(r, Hz))
            .collect();
        assert_eq!(back.f64s("I.rate"), Some(&rates[..]));
        Ok(())
    }
}
