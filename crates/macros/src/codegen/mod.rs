//! Code generation: the parameter set, the builder, the model with its columns, the typed
//! equations as an `Ode`/`Linearised` implementation, the per-element kernel, and the
//! `Neuron` / `IncrementSynapse` / `EventSynapse` implementations.
//!
//! [`generate`] derives the names every artefact shares once (a [`Ctx`]) and concatenates the
//! artefacts, one function each:
//!
//! - [`params`]: the parameter set, its per-element scalar and their `ParamSet` impl;
//! - [`state`]: the initialisers and state columns, the initial-value functions and
//!   `__reset_state`;
//! - [`clauses`]: the discrete clauses (`spike`, `reset`, `on_pre`, `on_spike`) as functions;
//! - [`ode`]: the equations as an `Ode` / `Linearised` struct;
//! - [`step`]: the per-element integration step that the synapse kernel and a neuron's
//!   `Dynamics::integrate` share;
//! - [`kernel`]: a synapse's loop over its elements;
//! - [`dynamics`]: a neuron's `Dynamics` impl, the hooks of the stepper of `neurotype-models`;
//! - [`builder`]: the builder and its `ModelBuilder` impl;
//! - [`model_type`]: the model struct and its inherent impl;
//! - [`traits`]: the `Neuron` / `IncrementSynapse` / `EventSynapse` impls;
//! - [`docs`]: the declaration as documentation text.

mod builder;
mod clauses;
mod docs;
mod dynamics;
mod exact;
mod kernel;
mod model_type;
mod ode;
mod params;
mod rule;
mod state;
mod step;
mod traits;

use crate::expr::{NameKind, Visit};
use crate::model::{Constraint, Kind, Model};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The path of the runtime support.
fn rt() -> TokenStream {
    quote!(::neurotype::dsl::__rt)
}

fn call_site(id: &Ident) -> Ident {
    Ident::new(&id.to_string(), Span::call_site())
}

/// Lets used (transitively) by the given expressions, in declaration order.
fn needed_lets(m: &Model, visit: &dyn Fn(&mut Visit)) -> Vec<usize> {
    let mut need = vec![false; m.lets.len()];
    visit(&mut |_, k| {
        if let NameKind::Let(j) = k {
            need[j] = true;
        }
    });
    for j in (0..m.lets.len()).rev() {
        if need[j] {
            m.lets[j].expr.visit_names(&mut |_, k| {
                if let NameKind::Let(i) = k {
                    need[i] = true;
                }
            });
        }
    }
    (0..m.lets.len()).filter(|&j| need[j]).collect()
}

/// `let name: Type = value;` for each let in `which`.
fn let_bindings(m: &Model, which: &[usize]) -> TokenStream {
    let mut out = TokenStream::new();
    for &j in which {
        let l = &m.lets[j];
        let name = call_site(&l.name);
        let value = l.expr.typed();
        out.extend(match &l.ty {
            Some(ty) => quote!(let #name: #ty = #value;),
            None => quote!(let #name = #value;),
        });
    }
    out
}

/// The names, types and flags of a model that the artefacts share, derived once.
struct Ctx<'a> {
    m: &'a Model,
    /// The path of the runtime support.
    rt: TokenStream,
    name: &'a Ident,
    vis: &'a syn::Visibility,
    name_str: String,
    params_ty: Ident,
    scalar_ty: Ident,
    builder_ty: Ident,
    ode_ty: Ident,
    inits_ty: Ident,
    cols_ty: Ident,
    view_ty: Ident,
    /// The typed handles to the state variables (`<Model>Keys<O>`).
    keys_ty: Ident,
    neuron: bool,
    /// Where the model keeps its parameters, state, integrator and seed: a neuron in its
    /// `NeuronCore` (what the stepper reads), a synapse in its own fields.
    me: TokenStream,
    refractory: bool,
    /// A synapse with `on_pre` (an `IncrementSynapse`).
    increment: bool,
    /// A synapse with `on_spike` (an `EventSynapse`).
    event: bool,
    p_names: Vec<Ident>,
    p_strs: Vec<String>,
    p_types: Vec<&'a syn::Type>,
    /// Each parameter's documentation: the user's, then its default and constraints.
    p_docs: Vec<TokenStream>,
    s_names: Vec<Ident>,
    s_strs: Vec<String>,
    s_types: Vec<&'a syn::Type>,
    /// State variables with an equation, in equation order.
    integrated: Vec<usize>,
    /// State variables without one (set by clauses only).
    constants: Vec<usize>,
    /// The ODE struct's fields holding the constants.
    const_fields: Vec<Ident>,
    /// The declaration, as text.
    eq_text: String,
    /// Parameter destructuring, shared by the helper functions.
    bind_params: TokenStream,
    /// The type of the output variable (of `w` in `on_pre`).
    out_ty: &'a syn::Type,
    pot_name: Ident,
    pot_ty: &'a syn::Type,
    /// The input is frozen at the start of the step (declared so, or `method exact`).
    frozen: bool,
    /// `method exact;`: stepped by the propagator of the linear equations.
    exact: bool,
}

impl<'a> Ctx<'a> {
    fn new(m: &'a Model) -> Self {
        let name = &m.name;
        let neuron = m.kind == Kind::Neuron;
        let me = if neuron {
            quote!(self.core)
        } else {
            quote!(self)
        };
        let p_names: Vec<Ident> = m.params.iter().map(|p| call_site(&p.name)).collect();
        let s_names: Vec<Ident> = m.state.iter().map(|s| call_site(&s.name)).collect();
        let s_types: Vec<&syn::Type> = m.state.iter().map(|s| &s.ty).collect();
        let constants = m.constants();
        let const_fields = constants
            .iter()
            .map(|&k| format_ident!("__c_{}", m.state[k].name))
            .collect();
        let scalar_ty = format_ident!("{}Scalar", name);
        let bind_params = quote!(let #scalar_ty { #( #p_names ),* } = *__p;);
        Ctx {
            m,
            rt: rt(),
            name,
            vis: &m.vis,
            name_str: name.to_string(),
            params_ty: format_ident!("{}Params", name),
            scalar_ty,
            builder_ty: format_ident!("{}Builder", name),
            ode_ty: format_ident!("__{}Ode", name),
            inits_ty: format_ident!("{}Inits", name),
            cols_ty: format_ident!("{}Columns", name),
            view_ty: format_ident!("{}ColumnsView", name),
            keys_ty: format_ident!("{}Keys", name),
            neuron,
            me,
            refractory: m.refractory.is_some(),
            increment: m.kind == Kind::Synapse && !m.on_pre.is_empty(),
            event: m.kind == Kind::Synapse && !m.on_spike.is_empty(),
            p_strs: m.params.iter().map(|p| p.name.to_string()).collect(),
            p_types: m.params.iter().map(|p| &p.ty).collect(),
            p_docs: param_docs(m),
            p_names,
            s_strs: m.state.iter().map(|s| s.name.to_string()).collect(),
            pot_name: s_names[m.potential_index].clone(),
            pot_ty: s_types[m.potential_index],
            s_names,
            s_types,
            integrated: m.integrated(),
            constants,
            const_fields,
            eq_text: docs::equations_text(m),
            bind_params,
            out_ty: &m.state[m.output_index].ty,
            frozen: m.input.as_ref().is_some_and(|i| i.frozen) || m.exact.is_some(),
            exact: m.exact.is_some(),
        }
    }

    /// Whether one variable is integrated (the ODE's state is then that variable, not a
    /// tuple).
    fn single(&self) -> bool {
        self.integrated.len() == 1
    }
}

/// Each parameter's documentation: the user's attributes, then a line with its default and
/// constraints.
fn param_docs(m: &Model) -> Vec<TokenStream> {
    m.params
        .iter()
        .map(|p| {
            let attrs = &p.attrs;
            let user_doc = attrs.iter().any(|a| a.path().is_ident("doc"));
            let mut line = format!("`{}`: default `{}`", p.name, p.default.text());
            if !p.constraints.is_empty() {
                let c: Vec<String> = p.constraints.iter().map(Constraint::text).collect();
                line.push_str(&format!(", must be {}", c.join(" and ")));
            }
            line.push('.');
            if user_doc {
                quote!(#(#attrs)* #[doc = ""] #[doc = #line])
            } else {
                quote!(#(#attrs)* #[doc = #line])
            }
        })
        .collect()
}

/// Generates everything for a model.
pub fn generate(m: &Model) -> TokenStream {
    let cx = Ctx::new(m);
    if let Some(r) = &m.rule {
        return rule::generate(&cx, r);
    }
    let step = step::Step::new(&cx);
    let params_def = params::definitions(&cx);
    let state_structs = state::structs(&cx);
    let ode_def = ode::definition(&cx);
    let model_struct = model_type::model_struct(&cx);
    let builder = builder::builder(&cx);
    // the model's private helpers, in its inherent impl
    let helpers = [
        state::reset_state_fn(&cx),
        state::init_fns(&cx),
        clauses::spike_fn(&cx),
        clauses::reset_fn(&cx),
        clauses::on_pre_fn(&cx),
        clauses::on_spike_fn(&cx),
        if cx.neuron {
            TokenStream::new()
        } else {
            kernel::synapse_kernel(&cx, &step)
        },
        if cx.exact {
            exact::helpers(&cx)
        } else {
            TokenStream::new()
        },
        if cx.exact && !cx.neuron {
            exact::synapse_refresh(&cx)
        } else {
            TokenStream::new()
        },
    ];
    let inherent = model_type::inherent_impl(&cx, &helpers);
    let traits = if cx.neuron {
        traits::neuron(&cx)
    } else if cx.increment {
        traits::increment_synapse(&cx)
    } else {
        traits::event_synapse(&cx)
    };
    let dynamics = if cx.neuron {
        dynamics::neuron_dynamics(&cx, &step)
    } else {
        TokenStream::new()
    };
    quote! {
        #params_def
        #state_structs
        #ode_def
        #model_struct
        #builder
        #inherent
        #traits
        #dynamics
    }
}
