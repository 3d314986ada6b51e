//! Monitors: what a run records, added to the network and read back by typed handles.

use super::{Network, ProjId};
use crate::error::NetworkError;
use crate::monitor::{Monitor, MonitorId, RateRecord, SpikeRecord, StateRecord, Target, World};
use crate::population::Pop;
use neurotype_models::{Neuron, StateKey};
use neurotype_units::InvalidParameter;
use neurotype_units::prelude::*;

impl Network {
    fn add_monitor<R: Monitor + 'static>(&mut self, monitor: R) -> MonitorId<R> {
        self.monitors.push(Box::new(monitor));
        MonitorId::new(self.id, self.monitors.len() - 1)
    }

    /// Records every spike of a population.
    pub fn monitor_spikes<T>(
        &mut self,
        pop: Pop<T>,
    ) -> Result<MonitorId<SpikeRecord>, NetworkError> {
        self.owns("monitor_spikes", &pop)?;
        Ok(self.add_monitor(SpikeRecord::new(pop.index, pop.range(), self.dt)))
    }

    /// Records a state of neurons `indices` every `every` steps, named by its typed handle
    /// (`e.state().v`): the record gives the state's quantity back (`Vec<ElectricPotential>`),
    /// and a state the model does not have is a compile error. For a slice, index k is
    /// element `start + k` of the population.
    ///
    /// ```
    /// use neurotype_models::prelude::*;
    /// use neurotype_network::prelude::*;
    ///
    /// let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
    /// let e = net.add("E", Lif::builder(10).v_rest(-60.0 * mV).v_th(-50.0 * mV)
    ///     .v_reset(-60.0 * mV).v_init(-60.0 * mV).tau(20.0 * ms)
    ///     .r(100.0 * Mohm).build()?);
    /// net.input(ExternalCurrent::constant(e, 0.05 * nA)?)?;
    /// let v = net.monitor(e.state().v, vec![0, 9], 1)?;
    /// net.run(20.0 * ms)?;
    /// let trace: Vec<ElectricPotential> = net.record(v)?.trace(0)?;
    /// assert_eq!(trace.len(), 200);
    /// // below threshold, V relaxes towards V_rest + R·I = -55 mV
    /// assert!(trace[199] > -60.0 * mV && trace[199] < -55.0 * mV);
    /// let numbers = net.record(v)?.trace_in(0, mV)?;
    /// assert!((numbers[199] - in_units(trace[199], mV)).abs() < 1e-4);
    /// assert!(net.record(v)?.trace(2).is_err()); // two neurons were recorded
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn monitor<N: Neuron, Q: Unitful + 'static>(
        &mut self,
        state: StateKey<Pop<N>, Q>,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord<Q>>, NetworkError> {
        let unit = Some(Q::canonical_symbol());
        self.monitor_pop_state(
            "monitor",
            *state.owner(),
            state.name(),
            unit,
            indices,
            every,
        )
    }

    /// Records state `var` (BrainPy's name, e.g. `"V"`) of neurons `indices` every `every`
    /// steps. For a slice, index k is element `start + k` of the population. The typed
    /// [`Network::monitor`] finds a misspelt name when the program is compiled.
    pub fn monitor_state<T>(
        &mut self,
        pop: Pop<T>,
        var: &str,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord>, NetworkError> {
        self.monitor_pop_state("monitor_state", pop, var, None, indices, every)
    }

    /// A state monitor of `pop`'s state `var`, whose unit must be `unit` when one is given
    /// (a typed handle's quantity).
    fn monitor_pop_state<T, Q: 'static>(
        &mut self,
        caller: &str,
        pop: Pop<T>,
        var: &str,
        unit: Option<&str>,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord<Q>>, NetworkError> {
        self.owns(caller, &pop)?;
        if let Some(&bad) = indices.iter().find(|&&i| i >= pop.len) {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "indices",
                bad.to_string(),
                format!("must be below the size of the monitored group, {}", pop.len),
            )
            .into());
        }
        let indices = indices.into_iter().map(|i| i + pop.offset).collect();
        self.monitor_target(Target::Population(pop.index), var, unit, indices, every)
    }

    /// Records state `var` of a projection's synapses (BrainPy's `syn.g`: e.g. `"g"` of an
    /// align-post projection's synapse, sized like the postsynaptic population; `"g"` and
    /// `"g_post"` of an align-pre one; `"u"`, `"x"`, `"released"` of its short-term
    /// plasticity) at `indices` every `every` steps.
    pub fn monitor_projection(
        &mut self,
        proj: ProjId,
        var: &str,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord>, NetworkError> {
        if proj.net != self.id {
            return Err(NetworkError::ForeignHandle(
                "monitor_projection: the projection handle is of another network".into(),
            ));
        }
        self.monitor_target(Target::Projection(proj.index), var, None, indices, every)
    }

    fn monitor_target<Q: 'static>(
        &mut self,
        target: Target,
        var: &str,
        unit: Option<&str>,
        indices: Vec<usize>,
        every: u64,
    ) -> Result<MonitorId<StateRecord<Q>>, NetworkError> {
        let world = World {
            pops: &self.pops,
            projections: &self.projections,
        };
        let vars = world.state_vars(target);
        let owner = match target {
            Target::Population(p) => self.pops[p].model_name(),
            Target::Projection(p) => self.projections[p].name(),
        };
        let v = vars.iter().find(|v| v.name == var).ok_or_else(|| {
            let known: Vec<&str> = vars.iter().map(|v| v.name).collect();
            NetworkError::NotFound(format!(
                "monitor: {owner} has no state `{var}` (it has {})",
                known.join(", ")
            ))
        })?;
        if let Some(unit) = unit.filter(|&u| u != v.unit) {
            return Err(InvalidParameter::new(
                "StateMonitor",
                var,
                format!("a handle to a quantity in {unit}"),
                format!("must be a handle to the state's quantity, in {}", v.unit),
            )
            .into());
        }
        let len = v.raw.len();
        if every == 0 {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "every",
                "0 steps",
                "must be at least 1 step",
            )
            .into());
        }
        if indices.is_empty() {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "indices",
                "none",
                format!("must name at least one element of `{var}` (0..{len})"),
            )
            .into());
        }
        if let Some(&bad) = indices.iter().find(|&&i| i >= len) {
            return Err(InvalidParameter::new(
                "StateMonitor",
                "indices",
                bad.to_string(),
                format!("must be below the size of `{var}`, {len}"),
            )
            .into());
        }
        let record = StateRecord::<Q>::new(target, v, indices, every, self.dt);
        drop(vars);
        Ok(self.add_monitor(record))
    }

    /// Records the spike count of a population each step.
    pub fn monitor_rate<T>(&mut self, pop: Pop<T>) -> Result<MonitorId<RateRecord>, NetworkError> {
        self.owns("monitor_rate", &pop)?;
        Ok(self.add_monitor(RateRecord::new(pop.index, pop.range(), self.dt)))
    }

    /// A monitor's record.
    pub fn record<R: 'static>(&self, id: MonitorId<R>) -> Result<&R, NetworkError> {
        if id.net != self.id {
            return Err(NetworkError::ForeignHandle(
                "record: the monitor handle is of another network".into(),
            ));
        }
        Ok(self.monitors[id.index]
            .as_any()
            .downcast_ref::<R>()
            .expect("monitor handles are typed"))
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use neurotype_models::prelude::*;

    /// A handle made by hand with another quantity than the state's is refused, and a trace
    /// asked of a neuron that was not recorded is an error, not another neuron's values.
    #[test]
    fn typed_records_check_their_quantity_and_column() -> Result<(), Box<dyn std::error::Error>> {
        let mut net = Network::new(0.1 * ms)?.progress(Progress::Never);
        let e = net.add("E", Lif::builder(4).build()?);
        let wrong: StateKey<_, Time> = StateKey::new(e, "V");
        let err = net.monitor(wrong, vec![0], 1).unwrap_err().to_string();
        assert!(err.contains("mV"), "{err}");
        let v = net.monitor(e.state().v, vec![1, 3], 1)?;
        net.run(1.0 * ms)?;
        let record = net.record(v)?;
        assert_eq!(record.trace(1)?.len(), 10);
        assert!(record.trace(2).is_err() && record.trace_in(2, mV).is_err());
        Ok(())
    }
}
