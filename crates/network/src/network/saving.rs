//! A run's records in one self-describing file (see [`crate::results`]).

use super::Network;
use crate::error::NetworkError;
use crate::monitor::{Names, stamp_ms};
use crate::results::{PopulationMeta, ProjectionMeta, Results, RunMeta};
use neurotype_units::wide;

impl Network {
    /// Every monitor's record as named arrays, with their units and the run's metadata
    /// (neurotype version, precision, dt, seed, steps, populations): what
    /// [`Network::save_results`] writes.
    pub fn results(&self) -> Results {
        let dt_ms = wide(self.dt.get().value);
        let pops: Vec<String> = self.pops.iter().map(|p| p.name().to_string()).collect();
        let projections: Vec<String> = (0..self.projections.len())
            .map(|k| self.projection_label(k))
            .collect();
        let meta = RunMeta {
            neurotype: env!("CARGO_PKG_VERSION").to_string(),
            precision: if cfg!(feature = "f32") { "f32" } else { "f64" }.to_string(),
            dt_ms,
            seed: self.seed,
            ranks: self.ranks.as_ref().map_or(1, |r| r.size()),
            steps: self.step,
            t_ms: stamp_ms(self.step, dt_ms),
            populations: self
                .pops
                .iter()
                .map(|p| PopulationMeta {
                    name: p.name().to_string(),
                    model: p.model_name().to_string(),
                    size: p.len(),
                })
                .collect(),
            projections: self
                .projections
                .iter()
                .zip(&projections)
                .map(|(p, label)| ProjectionMeta {
                    label: label.clone(),
                    kind: p.name().to_string(),
                    pre: self.pops[p.pre()].name().to_string(),
                    post: self.pops[p.post()].name().to_string(),
                    synapses: p.n_synapses(),
                })
                .collect(),
            arrays: Default::default(),
        };
        let mut out = Results::new(meta);
        let names = Names {
            pops: &pops,
            projections: &projections,
        };
        for (k, m) in self.monitors.iter().enumerate() {
            let before: Vec<String> = out.meta.arrays.keys().cloned().collect();
            m.export(&names, &mut out);
            if let Some(stream) = self.streams.iter().find(|s| s.monitor == k) {
                let note = format!(
                    " (streamed to {}: the file holds the record, this array only the rows not \
                     yet written)",
                    stream.path().display()
                );
                for (name, meta) in out.meta.arrays.iter_mut() {
                    if !before.contains(name) {
                        meta.about.push_str(&note);
                    }
                }
            }
        }
        out
    }

    /// Saves every monitor's record, with units and the run's metadata, to one NumPy `.npz`
    /// archive: `numpy.load(path)` opens it, [`Results::load`] reads it back. In a
    /// distributed run, call [`Network::gather_monitors`] on every rank first; rank 0 writes
    /// the file (the others write nothing), and a projection's state holds rank 0's synapses.
    /// A monitor streamed to disk ([`Network::stream_monitor`]) keeps only its last chunk in
    /// memory: its arrays hold that chunk, and its stream file holds the whole record.
    ///
    /// ```
    /// use neurotype_models::prelude::*;
    /// use neurotype_network::prelude::*;
    ///
    /// let mut net = Network::new(0.1 * ms)?.seed(7).progress(Progress::Never);
    /// let e = net.add("E", Lif::builder(20).v_rest(-60.0 * mV).v_th(-50.0 * mV)
    ///     .v_reset(-60.0 * mV).tau(20.0 * ms).r(100.0 * Mohm).build()?);
    /// net.input(ExternalCurrent::constant(e, 0.25 * nA)?)?;
    /// net.monitor_spikes(e)?;
    /// net.monitor(e.state().v, vec![0, 1], 1)?;
    /// net.run(50.0 * ms)?;
    /// let path = std::env::temp_dir().join("neurotype-doc-results.npz");
    /// net.save_results(&path)?;
    ///
    /// let run = Results::load(&path)?;
    /// assert_eq!(run.meta.seed, 7);
    /// assert_eq!(run.unit("E.V"), Some("mV"));
    /// assert_eq!(run.get("E.V").unwrap().shape(), &[500, 2]);
    /// assert_eq!(run.f64s("E.V.t_ms").unwrap()[3], 0.3); // step·dt, without float noise
    /// assert!(run.i64s("E.spike.neuron").unwrap().iter().all(|&i| (0..20).contains(&i)));
    /// # if std::env::var_os("KEEP").is_none() { std::fs::remove_file(&path)?; }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save_results(&self, path: impl AsRef<std::path::Path>) -> Result<(), NetworkError> {
        if let Some(ranks) = &self.ranks {
            // every rank holds the whole record only once gathered; rank 0 writes it
            if self.gathered_at != Some(self.step) {
                return Err(NetworkError::NotFound(format!(
                    "save_results: the monitors of this distributed run are not gathered since \
                     its last step; call gather_monitors() on every rank first (then rank 0 \
                     writes {})",
                    path.as_ref().display()
                )));
            }
            if ranks.rank() != 0 {
                return Ok(());
            }
        }
        self.results().save(path)
    }
}
