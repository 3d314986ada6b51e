//! A `synapse!` declaration with `pre { .. }`, `post { .. }` and `weight w: Type;` is a
//! spike-timing plasticity rule: variables on each presynaptic and each postsynaptic element
//! (traces), a weight per synapse, and the updates `on_pre` (a presynaptic spike arrives) and
//! `on_post` (the postsynaptic neuron spiked).
//!
//! The element variables' equations are linear and integrated exactly (between spikes a trace
//! is the exact solution, as Brian2's event-driven traces are); each block updates its own
//! element's variables first, then the weight, which is the order a projection applies them
//! in (see `neurotype_models::synapses::rule`).

use super::*;

/// The clauses a rule does not have, and why.
fn not_in_a_rule(m: &Model) -> Option<(Span, &'static str)> {
    let why = "a plasticity rule has `pre` and `post` variables, a `weight`, equations, \
               `on_pre` and `on_post`";
    if let Some(s) = m.state.first() {
        return Some((
            s.name.span(),
            "a plasticity rule declares `pre { .. }` and `post { .. }` variables, not `state`",
        ));
    }
    if let Some(o) = &m.output {
        return Some((o.span(), why));
    }
    if let Some(a) = m.on_spike.first() {
        return Some((a.target.span(), why));
    }
    if let Some(l) = m.lets.first() {
        return Some((
            l.name.span(),
            "`let` is not available in plasticity rules yet: write the expression out",
        ));
    }
    if m.sequential {
        return Some((m.name.span(), why));
    }
    None
}

impl Model {
    /// Puts a rule's pieces together: the state becomes the presynaptic variables, the
    /// postsynaptic ones and the weight; its equations are integrated exactly.
    pub(super) fn make_rule(
        &mut self,
        pre: Option<Vec<StateDecl>>,
        post: Option<Vec<StateDecl>>,
        weight: Option<(Ident, Type)>,
    ) -> syn::Result<()> {
        if let Some((span, why)) = not_in_a_rule(self) {
            return Err(syn::Error::new(span, why));
        }
        let Some((w, ty)) = weight else {
            return Err(syn::Error::new(
                self.name.span(),
                "a plasticity rule needs its weight: `weight w: ElectricalConductance;`",
            ));
        };
        if self.on_pre.is_empty() && self.on_post.is_empty() {
            return Err(syn::Error::new(
                self.name.span(),
                "a plasticity rule needs `on_pre { .. }` or `on_post { .. }`",
            ));
        }
        let (pre, post) = (pre.unwrap_or_default(), post.unwrap_or_default());
        let (n_pre, n_post) = (pre.len(), post.len());
        self.state = pre;
        self.state.extend(post);
        let zero = Expr::Num {
            value: 0.0,
            text: "0.0".into(),
            span: w.span(),
        };
        self.state.push(StateDecl {
            attrs: Vec::new(),
            name: w.clone(),
            ty,
            init: zero,
        });
        if self.exact.is_none() {
            self.exact = Some(Ident::new("exact", self.name.span()));
        }
        self.rule = Some(RuleDecl {
            n_pre,
            n_post,
            weight: w,
        });
        Ok(())
    }

    /// With names resolved: each equation uses its own side's variables, parameters and `dt`
    /// only; each block sets its own side's variables and the weight, the variables first.
    pub(super) fn check_rule(&self) -> syn::Result<()> {
        let Some(r) = &self.rule else {
            return Ok(());
        };
        let mut errors: Vec<syn::Error> = Vec::new();
        let wi = r.weight_index();
        let integrated = self.integrated();
        for eq in &self.eqs {
            let pre = r.is_pre(eq.index);
            if eq.index == wi {
                errors.push(syn::Error::new(
                    eq.var.span(),
                    "the weight changes at spikes only (`on_pre`, `on_post`), not by an equation",
                ));
                continue;
            }
            let side = if pre { "presynaptic" } else { "postsynaptic" };
            eq.rhs.visit_names(&mut |id, kind| match kind {
                NameKind::State(k) if k == wi || r.is_pre(k) != pre => {
                    errors.push(syn::Error::new(
                        id.span(),
                        format!(
                            "the equation of a {side} variable can use that element's own \
                             variables, not `{id}`"
                        ),
                    ))
                }
                NameKind::State(k) if !integrated.contains(&k) => errors.push(syn::Error::new(
                    id.span(),
                    format!(
                        "`{id}` has no equation: it changes only at spikes, so the traces' \
                         equations (integrated exactly, once per step for every element) cannot \
                         use it"
                    ),
                )),
                NameKind::Time => errors.push(syn::Error::new(
                    id.span(),
                    "a plasticity rule's equations do not depend on `t`",
                )),
                _ => {}
            });
        }
        for (list, own, block) in [
            (&self.on_pre, true, "on_pre"),
            (&self.on_post, false, "on_post"),
        ] {
            let mut seen_weight = false;
            for a in list {
                let k = a.index;
                if k == wi {
                    seen_weight = true;
                } else if (own && !r.is_pre(k)) || (!own && !r.is_post(k)) {
                    let side = if own { "presynaptic" } else { "postsynaptic" };
                    errors.push(syn::Error::new(
                        a.target.span(),
                        format!(
                            "`{block}` sets the {side} variables and the weight; `{}` is not one",
                            a.target
                        ),
                    ));
                } else if seen_weight {
                    errors.push(syn::Error::new(
                        a.target.span(),
                        format!(
                            "set `{}` before the weight: the element takes in its spike, then its \
                             synapses change (BrainPy's order)",
                            a.target
                        ),
                    ));
                }
                a.value.visit_names(&mut |id, kind| {
                    if kind == NameKind::Time {
                        errors.push(syn::Error::new(
                            id.span(),
                            format!("`{block}` does not depend on `t`"),
                        ));
                    }
                });
            }
        }
        let mut it = errors.into_iter();
        match it.next() {
            None => Ok(()),
            Some(mut first) => {
                first.extend(it);
                Err(first)
            }
        }
    }
}
