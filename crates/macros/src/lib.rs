//! # neurotype-macros
//!
//! The equation DSL of neurotype: [`neuron!`] and [`synapse!`] declare a model from its
//! parameters, state, equations and events, and generate a model with the interface of the
//! built-in ones. Use them through `neurotype::prelude` (the generated code refers to the
//! `neurotype` facade as `::neurotype`).
//!
//! While expanding, the macros compute the dimension of every sub-expression from the declared
//! quantity types and the unit literals (the table of `neurotype_units::dimension`) and report
//! a mismatch as a sentence over the sub-expression at fault: a right-hand side that is not a
//! rate of its variable, `exp` of a voltage, a threshold compared with a current, a reset to a
//! time, a time added to a voltage. Every expression is then emitted as a typed `uom`
//! expression made of the modeller's own tokens, with their spans, so that rustc's type check
//! backs this up for types the table does not know. Exponential Euler uses the exact
//! derivative of each right-hand side with respect to its own variable, obtained here by
//! symbolic differentiation.
//!
//! The book chapter "Writing your own model" has the grammar, a worked example and a guide to
//! the error messages.
#![deny(missing_docs)]

use proc_macro::TokenStream;
use syn::parse_macro_input;

mod channel;
mod codegen;
mod diff;
mod expr;
mod model;
mod units;

/// Declares a neuron model.
///
/// ```text
/// neuron! {
///     /// Documentation of the model.
///     pub Name {
///         params { name: Type = default [where constraint], ... }
///         state { name: Type = initial value, ... }
///         input i: Type [frozen];
///         [potential v;]                 // default: the first state variable
///         [order sequential;]            // exponential Euler in declaration order
///         let name[: Type] = expression;
///         d(v)/dt = expression;
///         spike [rising] condition;
///         reset v = expression;          // or reset { v = ...; w += ...; }
///         refractory tau_ref: Time = value;
///     }
/// }
/// ```
///
/// Generates `Name` (implementing `neurotype::models::Neuron`), `NameParams`, `NameScalar`,
/// `NameBuilder`, `NameInits` and `NameColumns`. A constraint is `> 0`, `>= 0`, `!= 0`, or
/// `<`, `<=`, `>`, `>=` another parameter; several are joined with `&&`. Expressions use
/// `+ - * /`, parentheses, numbers with units (`-65.0 mV`), unit constants, `exp`, `expm1`,
/// `exprel`, `ln`, `sqrt`, `tanh`, `cosh`, `sigmoid` (of dimensionless ratios), `powi(x, n)`,
/// `min`, `max`, `abs`, `if c { a } else { b }`, the time `t` and the step `dt`.
#[proc_macro]
pub fn neuron(input: TokenStream) -> TokenStream {
    let model::NeuronInput(m) = parse_macro_input!(input as model::NeuronInput);
    codegen::generate(&m).into()
}

/// Declares a synapse model.
///
/// ```text
/// synapse! {
///     pub Name {
///         params { ... }
///         state { g: Type = initial value, ... }
///         d(g)/dt = expression;
///         on_pre g += w;           // increments (AlignPostProj): after integration, w = Σ weights
///         on_spike x = t;          // or presynaptic spikes (AlignPreProj): before integration
///         output g;
///     }
/// }
/// ```
///
/// With `on_pre` the model implements `IncrementSynapse` (its `G` is the output's type, and
/// `w` has that type); with `on_spike` it implements `EventSynapse` (the output is an open
/// fraction, a `Ratio`). An increment synapse with one state variable, `on_pre g += w;` and
/// `d(g)/dt = c * g` (`c` built from parameters and constants) also implements
/// `IncrementSynapse::channel`, so that the postsynaptic population advances it inside its own
/// loop, as it does the built-in `Expon`.
#[proc_macro]
pub fn synapse(input: TokenStream) -> TokenStream {
    let model::SynapseInput(m) = parse_macro_input!(input as model::SynapseInput);
    codegen::generate(&m).into()
}
