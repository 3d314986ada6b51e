//! The trait impls that make the model usable where the built-in ones are: `NeuronUnits` and
//! `Neuron` for a neuron; for a synapse its `step`/`update` (dispatching to the kernel on the
//! integrator) and `IncrementSynapse` (with `channel` for an exponential channel) or
//! `EventSynapse`.

use super::{Ctx, call_site, rt};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};

/// `NeuronUnits` and `Neuron`.
pub(super) fn neuron(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        name,
        name_str,
        pot_name,
        pot_ty,
        ..
    } = cx;
    let in_ty = &m.input.as_ref().expect("neuron input").ty;
    quote! {
        impl #rt::NeuronUnits for #name {
            type Potential = #pot_ty;
            type Input = #in_ty;
            type Conductance = <#in_ty as ::core::ops::Div<#pot_ty>>::Output;
            type Jump = #pot_ty;
        }

        impl #rt::Neuron for #name {
            fn model_name(&self) -> &'static str {
                #name_str
            }
            fn potential(&self) -> &#rt::Column<#pot_ty> {
                &self.core.state.#pot_name
            }
            fn reset_state(&mut self) {
                self.__reset_state()
            }
        }
    }
}

/// The arms of a `match` on the integrator, each calling `call` with the kernel's constant.
fn method_arms(rt: &TokenStream, call: &dyn Fn(u8) -> TokenStream) -> TokenStream {
    let a = [
        (quote!(ExponentialEuler), 0u8),
        (quote!(Euler), 1),
        (quote!(Rk2), 2),
        (quote!(Midpoint), 3),
        (quote!(Rk4), 4),
    ];
    let arms = a.iter().map(|(v, k)| {
        let c = call(*k);
        quote!(#rt::Method::#v => #c,)
    });
    quote!(#( #arms )*)
}

/// The kernel call for the synapse's integrator: a `match` on it, or for `method exact` the
/// propagator refreshed and the one exact kernel.
fn dispatch(cx: &Ctx, call: &dyn Fn(u8) -> TokenStream) -> TokenStream {
    if cx.exact {
        let c = call(0);
        quote! {
            self.__exact_refresh(ctx);
            #c
        }
    } else {
        let arms = method_arms(&cx.rt, call);
        quote!(match self.method { #arms })
    }
}

/// A synapse driven by increments: `pending_mut`, `step` and `update`, and
/// `IncrementSynapse`.
pub(super) fn increment_synapse(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        name,
        name_str,
        ode_ty,
        out_ty,
        ..
    } = cx;
    let out = call_site(&m.state[m.output_index].name);
    let dispatch_step = dispatch(cx, &|k| quote!(self.__kernel::<#k>(ctx)));
    // an exact synapse keeps its own step: the channel's arithmetic is exponential Euler's
    let (channel_helper, channel_fn, channel_step) =
        if crate::channel::is_exp_channel(m) && !cx.exact {
            let (helper, channel) = exp_channel_fns(ode_ty, &out_ty.to_token_stream(), &out);
            let step = quote! {
                if let ::core::option::Option::Some(__decay) = self.__channel_decay(ctx) {
                    return self.__channel_step(__decay);
                }
            };
            (helper, channel, step)
        } else {
            (quote!(), quote!(), quote!())
        };
    quote! {
        impl #name {
            /// Increments queued for the next step (`w` of `on_pre`).
            pub fn pending_mut(&mut self) -> &mut #rt::Column<#out_ty> {
                &mut self.pending
            }

            /// One step: integrate, then apply `on_pre` with the queued increments.
            pub fn step(&mut self, ctx: &#rt::StepCtx) {
                #channel_step
                #dispatch_step
            }

            #channel_helper

            /// Queues `x` (one increment per element) and steps.
            pub fn update(&mut self, ctx: &#rt::StepCtx, x: &[#out_ty]) {
                ::core::assert_eq!(x.len(), self.n, "one increment per element");
                for (__k, __x) in x.iter().enumerate() {
                    self.pending.add(__k, *__x);
                }
                self.step(ctx);
            }
        }

        impl #rt::Snapshot for #name {
            fn visit_state(&mut self, v: &mut dyn #rt::StateVisitor) {
                #rt::visit_vars(v, #rt::StateColumns::vars_mut(&mut self.state));
                v.floats("pending", self.pending.raw_mut());
            }
        }

        impl #rt::IncrementSynapse for #name {
            type G = #out_ty;
            fn model_name(&self) -> &'static str {
                #name_str
            }
            fn len(&self) -> usize {
                self.n
            }
            fn pending_mut(&mut self) -> &mut #rt::Column<#out_ty> {
                &mut self.pending
            }
            fn step(&mut self, ctx: &#rt::StepCtx) {
                #name::step(self, ctx)
            }
            fn g(&self) -> &#rt::Column<#out_ty> {
                &self.state.#out
            }
            fn state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                self.__state_vars()
            }
            fn reset_state(&mut self) {
                self.__reset_state()
            }
            fn same_dynamics(&self, other: &Self) -> bool {
                (&self.params, self.method, &self.inits, self.seed)
                    == (&other.params, other.method, &other.inits, other.seed)
            }
            #channel_fn
        }
    }
}

/// A synapse driven by presynaptic spikes: `update`, and `EventSynapse`.
pub(super) fn event_synapse(cx: &Ctx) -> TokenStream {
    let Ctx {
        m,
        rt,
        name,
        name_str,
        ..
    } = cx;
    let out = call_site(&m.state[m.output_index].name);
    let out_span = m.output.as_ref().map_or(Span::call_site(), Ident::span);
    let dispatch_update = dispatch(cx, &|k| quote!(self.__kernel::<#k>(ctx, spikes)));
    let open = quote_spanned!(out_span=> &self.state.#out);
    quote! {
        impl #name {
            /// One step with the presynaptic spikes of each element: `on_spike` where
            /// there is one, then integrate.
            pub fn update(&mut self, ctx: &#rt::StepCtx, spikes: &[bool]) {
                ::core::assert_eq!(spikes.len(), self.n, "one spike flag per element");
                #dispatch_update
            }
        }

        impl #rt::Snapshot for #name {
            fn visit_state(&mut self, v: &mut dyn #rt::StateVisitor) {
                #rt::visit_vars(v, #rt::StateColumns::vars_mut(&mut self.state));
            }
        }

        impl #rt::EventSynapse for #name {
            fn model_name(&self) -> &'static str {
                #name_str
            }
            fn len(&self) -> usize {
                self.n
            }
            fn update(
                &mut self,
                ctx: &#rt::StepCtx,
                spikes: &[bool],
                _efficacy: ::core::option::Option<&#rt::Column<#rt::Ratio>>,
            ) {
                #name::update(self, ctx, spikes)
            }
            fn open(&self) -> &#rt::Column<#rt::Ratio> {
                #open
            }
            fn state_vars(&self) -> ::std::vec::Vec<#rt::StateVar<'_>> {
                self.__state_vars()
            }
            fn reset_state(&mut self) {
                self.__reset_state()
            }
        }
    }
}

/// For a synapse that is an exponential channel (see [`crate::channel`]): the inherent
/// `__channel_decay`, the step's decay when its equation is `dg/dt = j·g` with one `j` for
/// every element, and `IncrementSynapse::channel`, which lends g with that decay (a network
/// folds the increments into g before it, see `ExpChannel`). The step itself advances g by
/// the same decay, `g ← f·g` with `f = e^{dt·j}` for exponential Euler (exact on this
/// equation) and `1 + dt·j` for forward Euler, so lent or not the bits are the same. No decay
/// for per-element parameters and for the other integrators, nor when `f(1)` is not the
/// slope itself (the equation is not `j·g`): then the step is the integrator's.
fn exp_channel_fns(ode_ty: &Ident, g_ty: &TokenStream, g: &Ident) -> (TokenStream, TokenStream) {
    let rt = rt();
    let helper = quote! {
        /// The decay of this step when g's equation is `j·g` with one `j` (see `channel`).
        #[allow(unused_variables, clippy::all)]
        fn __channel_decay(&self, ctx: &#rt::StepCtx) -> ::core::option::Option<#rt::Decay> {
            let __exponential = match self.method {
                #rt::Method::ExponentialEuler => true,
                #rt::Method::Euler => false,
                _ => return ::core::option::Option::None,
            };
            let __shared = self.params.uniform()?;
            let __dt = ctx.dt.get();
            let __ode = #ode_ty { __p: &__shared, __k: 0, __dt };
            let __one: #g_ty = #rt::Raw::from_raw(1.0);
            let (__f, __j) = #rt::Linearised::rhs_and_slope(&__ode, ctx.t, &__one);
            let (__f, __j) = (#rt::Raw::raw(__f), #rt::Raw::raw(__j));
            // f(g) = j·g: f(1) is the slope itself, to the last bit
            if __f.to_bits() != __j.to_bits() {
                return ::core::option::Option::None;
            }
            let __z = #rt::Raw::raw(__dt) * __j;
            ::core::option::Option::Some(if __exponential {
                #rt::Decay::exact(__z)
            } else {
                #rt::Decay::euler(__z)
            })
        }

        /// One step by the decay (`on_pre` is `g += w`: the queued increments after it).
        fn __channel_step(&mut self, __decay: #rt::Decay) {
            let __g = self.state.#g.raw_mut();
            let __pending = self.pending.raw_mut();
            for (__g, __w) in __g.iter_mut().zip(__pending.iter_mut()) {
                *__g = __decay.step(*__g, *__w);
                *__w = 0.0;
            }
        }
    };
    let channel = quote! {
        #[allow(unused_variables, clippy::all)]
        fn channel(
            &mut self,
            ctx: &#rt::StepCtx,
            out: #rt::Affine,
        ) -> ::core::option::Option<#rt::ExpChannel<'_>> {
            let __decay = self.__channel_decay(ctx)?;
            #rt::ExpChannel::new(self.state.#g.raw_mut(), __decay, out)
        }
    };
    (helper, channel)
}
