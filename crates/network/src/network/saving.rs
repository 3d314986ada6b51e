//! A run's records in one self-describing file (see [`crate::results`]).

use super::Network;
use crate::error::NetworkError;
use crate::monitor::{Names, stamp_ms};
use crate::results::{PopulationMeta, Results, RunMeta};
use neurotype_units::wide;

impl Network {
    /// Every monitor's record as named arrays, with their units and the run's metadata
    /// (neurotype version, precision, dt, seed, steps, populations): what
    /// [`Network::save_results`] writes.
    pub fn results(&self) -> Results {
        let dt_ms = wide(self.dt.get().value);
        let pops: Vec<String> = self.pops.iter().map(|p| p.name().to_string()).collect();
        let projections: Vec<String> = self
            .projections
            .iter()
            .map(|p| {
                let (pre, post) = (self.pops[p.pre()].name(), self.pops[p.post()].name());
                format!("{pre}_to_{post}")
            })
            .collect();
        let meta = RunMeta {
            neurotype: env!("CARGO_PKG_VERSION").to_string(),
            precision: if cfg!(feature = "f32") { "f32" } else { "f64" }.to_string(),
            dt_ms,
            seed: self.seed,
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
            arrays: Default::default(),
        };
        let mut out = Results::new(meta);
        let names = Names {
            pops: &pops,
            projections: &projections,
        };
        for m in &self.monitors {
            m.export(&names, &mut out);
        }
        out
    }

    /// Saves every monitor's record, with units and the run's metadata, to one NumPy `.npz`
    /// archive: `numpy.load(path)` opens it, [`Results::load`] reads it back.
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
        self.results().save(path)
    }
}
