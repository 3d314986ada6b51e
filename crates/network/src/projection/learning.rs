//! Spike-timing-dependent plasticity as a projection applies it: the element variables (traces)
//! and the weight updates at presynaptic arrivals and postsynaptic spikes, for any
//! [`PlasticityRule`] (the built-in [`Stdp`](neurotype_models::synapses::Stdp), or a rule
//! declared with `synapse!`).

use super::Arrivals;
use crate::comm::Connections;
use crate::delay::SpikeHistory;
use crate::error::NetworkError;
use neurotype_models::neuron::StateVar;
use neurotype_models::snapshot::StateVisitor;
use neurotype_models::synapses::PlasticityRule;
use neurotype_solvers::TimeStep;
use neurotype_units::Real;
use neurotype_units::{Ratio, Raw};

/// A projection's plasticity state under rule `R`: the variables of each presynaptic element
/// of its slice and of each postsynaptic neuron (`R::PRE_VARS.len()` and `R::POST_VARS.len()`
/// numbers per element, one after another), and the initial weights (for a reset).
pub(crate) struct Learning<R: PlasticityRule> {
    name: &'static str,
    kernel: R::Kernel,
    post: usize,
    pre_vars: Vec<Real>,
    post_vars: Vec<Real>,
    /// The variables and weights the projection was built with.
    initial: (Vec<Real>, Vec<Real>, Vec<Real>),
}

/// A rule as a projection holds it before it is built (any [`PlasticityRule`] with weights
/// `W`).
pub(crate) trait MakeLearning<W>: Send + Sync {
    /// Makes `connections`' weights plastic under the rule; the weights must be ones the rule
    /// accepts.
    fn make(
        &self,
        owner: &str,
        dt: TimeStep,
        post: (usize, usize),
        connections: &mut Connections<W>,
    ) -> Result<Box<dyn Learn<W>>, NetworkError>;
}

impl<R: PlasticityRule> MakeLearning<R::W> for R {
    fn make(
        &self,
        owner: &str,
        dt: TimeStep,
        post: (usize, usize),
        connections: &mut Connections<R::W>,
    ) -> Result<Box<dyn Learn<R::W>>, NetworkError> {
        connections.make_plastic(owner)?;
        let w = connections
            .plastic_weights()
            .expect("just made plastic")
            .to_vec();
        for (k, &x) in w.iter().enumerate() {
            self.check_weight(owner, &format!("weights[{k}]"), R::W::from_raw(x))?;
        }
        let (np, nq) = (R::N_PRE, R::N_POST);
        let mut pre_vars = vec![0.0; connections.n_pre() * np];
        let mut post_vars = vec![0.0; post.1 * nq];
        if np > 0 {
            pre_vars.chunks_exact_mut(np).for_each(|x| self.init_pre(x));
        }
        if nq > 0 {
            post_vars
                .chunks_exact_mut(nq)
                .for_each(|y| self.init_post(y));
        }
        Ok(Box::new(Learning::<R> {
            name: self.name(),
            kernel: self.kernel(dt.get()),
            post: post.0,
            initial: (pre_vars.clone(), post_vars.clone(), w),
            pre_vars,
            post_vars,
        }))
    }
}

/// A built rule, as a projection steps it (one call per step; the loops inside are compiled
/// for the rule).
pub(crate) trait Learn<W>: Send + Sync {
    /// One step, before delivery, in the order of [`neurotype_models::synapses::rule`]: the
    /// variables advance; the postsynaptic spikes of the last step reach their elements; each
    /// arrival reaches its element and updates its synapses; each postsynaptic spike updates
    /// its afferent synapses. The spikes are then delivered with the new weights.
    fn step(
        &mut self,
        arrivals: &Arrivals,
        histories: &[SpikeHistory],
        connections: &mut Connections<W>,
    );

    /// Back to the initial weights and variables.
    fn reset(&mut self, connections: &mut Connections<W>);

    /// The variables and weights, for checkpoints.
    fn visit_state(&mut self, v: &mut dyn StateVisitor, connections: &mut Connections<W>);

    /// Views: `w` (one per synapse, connectivity order), then the element variables.
    fn state_vars<'a>(&'a self, connections: &'a Connections<W>) -> Vec<StateVar<'a>>;
}

/// One pass over the arrivals: each reaches its element, then updates its synapses (by the
/// postsynaptic variables, already complete). A function of its own, as [`on_post_spikes`].
#[inline(never)]
fn on_arrivals<R: PlasticityRule>(
    k: &R::Kernel,
    arrivals: &Arrivals,
    pre_history: &SpikeHistory,
    pre_vars: &mut [Real],
    post_vars: &[Real],
    connections: &mut Connections<R::W>,
) {
    let k = *k;
    arrivals.each(pre_history, move |i| {
        let x = &mut pre_vars[i * R::N_PRE..(i + 1) * R::N_PRE];
        R::pre_spike(&k, x);
        let x: &[Real] = x;
        connections.update_row(i, move |w, j| {
            R::on_pre(&k, w, x, &post_vars[j * R::N_POST..(j + 1) * R::N_POST])
        });
    });
}

/// Each postsynaptic spike updates its afferent synapses. A function of its own, so that its
/// loop gets the registers to itself: the rule's constants and the columns stay in them.
#[inline(never)]
fn on_post_spikes<R: PlasticityRule>(
    k: &R::Kernel,
    post_spikes: &[u32],
    pre_vars: &[Real],
    post_vars: &[Real],
    connections: &mut Connections<R::W>,
) {
    let k = *k;
    for &j in post_spikes {
        let j = j as usize;
        let y = &post_vars[j * R::N_POST..(j + 1) * R::N_POST];
        connections.update_afferents(j, move |w, i| {
            R::on_post(&k, w, &pre_vars[i * R::N_PRE..(i + 1) * R::N_PRE], y)
        });
    }
}

/// The name of a side's variables in views and checkpoints: the variable's own name when
/// there is one, `side` (interleaved) otherwise.
fn side_name(vars: &'static [&'static str], side: &'static str) -> &'static str {
    if vars.len() == 1 { vars[0] } else { side }
}

impl<R: PlasticityRule> Learn<R::W> for Learning<R> {
    fn step(
        &mut self,
        arrivals: &Arrivals,
        histories: &[SpikeHistory],
        connections: &mut Connections<R::W>,
    ) {
        let k = self.kernel;
        // the strides are constants of the rule; the loops over synapses are functions of
        // their own, which keep the rule's constants and the columns in registers (captured
        // by `move`, not reached through the stack each iteration): as fast as the loops of
        // the rule written by hand
        let (np, nq) = (R::N_PRE, R::N_POST);
        let pre_history = &histories[arrivals.pre];
        let post_spikes = histories[self.post].at(0);
        if np > 0 {
            for x in self.pre_vars.chunks_exact_mut(np) {
                R::advance_pre(&k, x);
            }
        }
        if nq > 0 {
            for y in self.post_vars.chunks_exact_mut(nq) {
                R::advance_post(&k, y);
            }
        }
        for &j in post_spikes {
            let j = j as usize;
            R::post_spike(&k, &mut self.post_vars[j * nq..(j + 1) * nq]);
        }
        on_arrivals::<R>(
            &k,
            arrivals,
            pre_history,
            &mut self.pre_vars,
            &self.post_vars,
            connections,
        );
        on_post_spikes::<R>(
            &k,
            post_spikes,
            &self.pre_vars,
            &self.post_vars,
            connections,
        );
    }

    fn reset(&mut self, connections: &mut Connections<R::W>) {
        self.pre_vars.copy_from_slice(&self.initial.0);
        self.post_vars.copy_from_slice(&self.initial.1);
        if let Some(w) = connections.plastic_weights_mut() {
            w.copy_from_slice(&self.initial.2);
        }
    }

    fn visit_state(&mut self, v: &mut dyn StateVisitor, connections: &mut Connections<R::W>) {
        v.enter(self.name);
        v.floats(side_name(R::PRE_VARS, "pre"), &mut self.pre_vars);
        v.floats(side_name(R::POST_VARS, "post"), &mut self.post_vars);
        if let Some(w) = connections.plastic_weights_mut() {
            v.floats("w", w);
        }
        v.leave();
    }

    fn state_vars<'a>(&'a self, connections: &'a Connections<R::W>) -> Vec<StateVar<'a>> {
        let mut vars = Vec::with_capacity(3);
        if let Some(w) = connections.plastic_weights() {
            vars.push(StateVar::of_raw::<R::W>("w", w));
        }
        vars.push(StateVar::of_raw::<Ratio>(
            side_name(R::PRE_VARS, "pre"),
            &self.pre_vars,
        ));
        vars.push(StateVar::of_raw::<Ratio>(
            side_name(R::POST_VARS, "post"),
            &self.post_vars,
        ));
        vars
    }
}
