//! Options every neuron builder shares.

use crate::neuron::SpikeReset;
use neurotype_solvers::Method;

/// Reset mode, integrator and seed of a population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Soft (default) or hard reset.
    pub reset: SpikeReset,
    /// Integrator (exponential Euler by default, as BrainPy).
    pub method: Method,
    /// Seed of the random state initialisers.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            reset: SpikeReset::Soft,
            method: Method::ExponentialEuler,
            seed: 0,
        }
    }
}

/// Adds `spk_reset`, `method` and `seed` setters to a builder with an `options` field.
macro_rules! option_setters {
    ($Builder:ident) => {
        impl $Builder {
            /// Soft (default: keeps the overshoot) or hard reset. BrainPy: `spk_reset`.
            pub fn spk_reset(mut self, reset: $crate::neuron::SpikeReset) -> Self {
                self.options.reset = reset;
                self
            }

            /// The integrator (default: exponential Euler, BrainPy's).
            pub fn method(mut self, method: neurotype_solvers::Method) -> Self {
                self.options.method = method;
                self
            }

            /// Seed for random initial states (default 0).
            pub fn seed(mut self, seed: u64) -> Self {
                self.options.seed = seed;
                self
            }
        }
    };
}

pub(crate) use option_setters;

/// Handles the keywords every neuron builder shares (`spk_reset`, `spk_fun`, `method`).
/// Returns `Ok(true)` when `name` was one of them.
pub(crate) fn set_option(
    options: &mut Options,
    owner: &str,
    name: &str,
    text: &str,
) -> Result<bool, neurotype_units::InvalidParameter> {
    use neurotype_units::InvalidParameter;
    match name {
        "spk_reset" => {
            options.reset = text
                .parse()
                .map_err(|e: InvalidParameter| InvalidParameter {
                    owner: owner.into(),
                    ..e
                })?;
            Ok(true)
        }
        // Every surrogate spike function of braintools is the Heaviside step in the forward
        // pass; only gradients differ, and neurotype does not train.
        "spk_fun" => Ok(true),
        "method" => {
            options.method = text
                .parse()
                .map_err(|e: InvalidParameter| InvalidParameter {
                    owner: owner.into(),
                    ..e
                })?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Parses BrainPy's boolean option text (`"true"`/`"false"`, `"True"`/`"False"`).
pub(crate) fn parse_bool(
    owner: &str,
    name: &str,
    text: &str,
) -> Result<bool, neurotype_units::InvalidParameter> {
    match text {
        "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        other => Err(neurotype_units::InvalidParameter::new(
            owner,
            name,
            format!("\"{other}\""),
            "must be true or false",
        )),
    }
}

/// Implements [`ModelBuilder`](crate::neuron::ModelBuilder) for a builder with `params` and
/// `options` fields and an inherent `build`. `extra(builder, name, text) { ... }` handles
/// model-specific keywords and evaluates to `Result<bool, InvalidParameter>`.
macro_rules! model_builder {
    (
        $Builder:ident => $Model:ident, owner($ob:ident) $owner:expr, $Params:ident
        $(, extra($b:ident, $name:ident, $text:ident) $extra:block)?
    ) => {
        impl $crate::neuron::ModelBuilder for $Builder {
            type Model = $Model;

            fn set(
                mut self,
                name: &str,
                text: &str,
            ) -> Result<Self, neurotype_units::InvalidParameter> {
                let owner: &'static str = {
                    let $ob = &self;
                    $owner
                };
                if $crate::options::set_option(&mut self.options, owner, name, text)? {
                    return Ok(self);
                }
                $(
                    {
                        let $b = &mut self;
                        let $name = name;
                        let $text = text;
                        let handled: Result<bool, neurotype_units::InvalidParameter> = $extra;
                        if handled? {
                            return Ok(self);
                        }
                    }
                )?
                let known = self.params.set_by_name(name, text).map_err(|e| {
                    neurotype_units::InvalidParameter::new(owner, name, text, e.to_string())
                })?;
                if known {
                    Ok(self)
                } else {
                    Err($crate::options::unknown_parameter(owner, name, $Params::NAMES))
                }
            }

            fn build(self) -> Result<$Model, neurotype_units::InvalidParameter> {
                $Builder::build(self)
            }
        }
    };
}

pub(crate) use model_builder;

/// Parses a parameter's text into a quantity, as an `InvalidParameter` on failure.
pub(crate) fn parse_param<Q: neurotype_units::Unitful>(
    owner: &str,
    name: &str,
    text: &str,
) -> Result<Q, neurotype_units::InvalidParameter> {
    Q::parse(text)
        .map_err(|e| neurotype_units::InvalidParameter::new(owner, name, text, e.to_string()))
}

/// The error for a keyword the model does not have.
pub(crate) fn unknown_parameter(
    owner: &str,
    name: &str,
    known: &[(&str, &str)],
) -> neurotype_units::InvalidParameter {
    let names: Vec<&str> = known.iter().map(|(_, bp)| *bp).collect();
    neurotype_units::InvalidParameter::new(
        owner,
        name,
        "(unknown)",
        format!("is not a parameter of {owner}; known: {}", names.join(", ")),
    )
}

/// Implements [`ModelBuilder`](crate::neuron::ModelBuilder) for a builder of a model without
/// neuron options (a synapse, a plasticity rule): only its parameters are settable by name.
/// With `method` after the parameters' type, the builder also takes classic BrainPy's
/// `method=` keyword (its `method` field, a
/// [`ClassicMethod`](neurotype_solvers::ClassicMethod)).
macro_rules! plain_builder {
    ($Builder:ident => $Model:ident, $owner:expr, $Params:ident, method) => {
        $crate::options::plain_builder!(@impl $Builder => $Model, $owner, $Params, |b: &mut $Builder, name: &str, text: &str| {
            if name != "method" {
                return Ok(false);
            }
            b.method = text.parse()?;
            Ok(true)
        });
    };
    ($Builder:ident => $Model:ident, $owner:expr, $Params:ident) => {
        $crate::options::plain_builder!(@impl $Builder => $Model, $owner, $Params, |_: &mut $Builder, _: &str, _: &str| Ok(false));
    };
    (@impl $Builder:ident => $Model:ident, $owner:expr, $Params:ident, $extra:expr) => {
        impl $crate::neuron::ModelBuilder for $Builder {
            type Model = $Model;

            fn set(
                mut self,
                name: &str,
                text: &str,
            ) -> Result<Self, neurotype_units::InvalidParameter> {
                let extra: fn(&mut $Builder, &str, &str) -> Result<bool, neurotype_units::InvalidParameter> = $extra;
                if extra(&mut self, name, text)? {
                    return Ok(self);
                }
                // classic BrainPy spells the release window `T_duration`
                let name = if name == "T_duration" { "T_dur" } else { name };
                let known = self.params.set_by_name(name, text).map_err(|e| {
                    neurotype_units::InvalidParameter::new($owner, name, text, e.to_string())
                })?;
                if known {
                    Ok(self)
                } else {
                    Err($crate::options::unknown_parameter(
                        $owner,
                        name,
                        $Params::NAMES,
                    ))
                }
            }

            fn build(self) -> Result<$Model, neurotype_units::InvalidParameter> {
                $Builder::build(self)
            }
        }
    };
}

pub(crate) use plain_builder;

/// The refractory period a builder was given: the `...Ref` variant of a model (BrainPy's
/// `tau_ref` and `ref_var` keywords), and how that variant is named.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RefractorySpec {
    /// The period, when the model is refractory.
    pub tau_ref: Option<crate::param::Param<neurotype_units::Time>>,
    /// Whether BrainPy's `refractory` flag is recorded.
    pub ref_var: bool,
}

impl RefractorySpec {
    /// `name` without, `name_ref` with a refractory period.
    pub fn owner(&self, name: &'static str, name_ref: &'static str) -> &'static str {
        if self.tau_ref.is_some() {
            name_ref
        } else {
            name
        }
    }

    /// Handles the keywords `tau_ref` and `ref_var`; `Ok(false)` for any other.
    pub fn set(
        &mut self,
        owner: &str,
        name: &str,
        text: &str,
    ) -> Result<bool, neurotype_units::InvalidParameter> {
        match name {
            "tau_ref" => {
                self.tau_ref = Some(crate::param::Param::Scalar(parse_param(owner, name, text)?));
                Ok(true)
            }
            "ref_var" => {
                self.ref_var = parse_bool(owner, name, text)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Validates τ_ref (finite, ≥ 0, one per neuron or shared) and builds the bookkeeping of
    /// `n` neurons, or `None` for the non-refractory variant.
    pub fn build(
        self,
        owner: &str,
        n: usize,
    ) -> Result<Option<crate::refractory::Refractory>, neurotype_units::InvalidParameter> {
        match self.tau_ref {
            Some(tau_ref) => {
                let r = crate::refractory::Refractory::new(n, tau_ref, self.ref_var);
                r.check(owner, n)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }
}

/// Adds `tau_ref` and `ref_var` setters to a builder with a `refractory: RefractorySpec`
/// field.
macro_rules! refractory_setters {
    ($Builder:ident) => {
        impl $Builder {
            /// Refractory period (makes the model its BrainPy `...Ref` variant).
            pub fn tau_ref(
                mut self,
                tau_ref: impl Into<$crate::param::Param<neurotype_units::Time>>,
            ) -> Self {
                self.refractory.tau_ref = Some(tau_ref.into());
                self
            }

            /// Records BrainPy's `refractory` flag (refractory or spiking) each step.
            pub fn ref_var(mut self, on: bool) -> Self {
                self.refractory.ref_var = on;
                self
            }
        }
    };
}

pub(crate) use refractory_setters;
