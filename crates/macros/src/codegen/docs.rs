//! The declaration as documentation text: [`equations_text`] (the model's `EQUATIONS`) and
//! the model's doc comment built from it.

use super::Ctx;
use crate::diff::{Wrt, diff};
use crate::expr::Expr;
use crate::model::{Assign, AssignOp, Constraint, Kind, Model};
use quote::ToTokens;

/// The documentation text of a model: its declaration, normalised.
pub(super) fn equations_text(m: &Model) -> String {
    let ty = |t: &syn::Type| t.to_token_stream().to_string().replace(' ', "");
    let mut lines = Vec::new();
    if !m.params.is_empty() {
        lines.push("params:".to_string());
        for (k, p) in m.params.iter().enumerate() {
            if Some(k) == m.refractory {
                continue;
            }
            let c: Vec<String> = p.constraints.iter().map(Constraint::text).collect();
            let c = if c.is_empty() {
                String::new()
            } else {
                format!("  where {}", c.join(" && "))
            };
            lines.push(format!(
                "    {}: {} = {}{c}",
                p.name,
                ty(&p.ty),
                p.default.text()
            ));
        }
    }
    let var =
        |s: &crate::model::StateDecl| format!("    {}: {} = {}", s.name, ty(&s.ty), s.init.text());
    match &m.rule {
        Some(r) => {
            lines.push("pre (each presynaptic element):".to_string());
            lines.extend(m.state[..r.n_pre].iter().map(var));
            lines.push("post (each postsynaptic element):".to_string());
            lines.extend(m.state[r.n_pre..r.weight_index()].iter().map(var));
            let w = &m.state[r.weight_index()];
            lines.push(format!("weight {}: {} (each synapse)", w.name, ty(&w.ty)));
        }
        None => {
            lines.push("state:".to_string());
            lines.extend(m.state.iter().map(var));
        }
    }
    if let Some(i) = &m.input {
        lines.push(format!(
            "input {}: {}{}",
            i.name,
            ty(&i.ty),
            if i.frozen {
                "  (frozen at the start of the step)"
            } else {
                ""
            }
        ));
    }
    for l in &m.lets {
        match &l.ty {
            Some(t) => lines.push(format!("let {}: {} = {}", l.name, ty(t), l.expr.text())),
            None => lines.push(format!("let {} = {}", l.name, l.expr.text())),
        }
    }
    for e in &m.eqs {
        lines.push(format!("d({})/dt = {}", e.var, e.rhs.text()));
    }
    if m.exact.is_some() {
        lines.push("method exact (linear equations, stepped by their propagator)".to_string());
    }
    if let Some(s) = &m.spike {
        lines.push(format!(
            "spike when {}{}",
            s.cond.text(),
            if s.rising {
                " (and it did not hold at the start of the step)"
            } else {
                ""
            }
        ));
    }
    if !m.reset.is_empty() {
        lines.push(format!("reset: {}", assigns_text(&m.reset)));
    }
    if let Some(r) = m.refractory {
        let p = &m.params[r];
        lines.push(format!(
            "refractory {}: {} = {}",
            p.name,
            ty(&p.ty),
            p.default.text()
        ));
    }
    if !m.on_pre.is_empty() {
        lines.push(format!("on_pre: {}", assigns_text(&m.on_pre)));
    }
    if !m.on_spike.is_empty() {
        lines.push(format!("on_spike: {}", assigns_text(&m.on_spike)));
    }
    if !m.on_post.is_empty() {
        lines.push(format!("on_post: {}", assigns_text(&m.on_post)));
    }
    if let Some(o) = &m.output {
        lines.push(format!("output {o}"));
    }
    if m.sequential {
        lines.push("order sequential".into());
    }
    if m.exact.is_none() {
        lines.push(String::new());
        lines.extend(slope_lines(m));
    }
    lines.join("\n")
}

/// `a = x; b += y`: a clause's assignments, as declared.
fn assigns_text(list: &[Assign]) -> String {
    list.iter()
        .map(|a| {
            let op = match a.op {
                AssignOp::Set => "=",
                AssignOp::Add => "+=",
                AssignOp::Sub => "-=",
            };
            format!("{} {op} {}", a.target, a.value.text())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The slopes exponential Euler uses: the derivative of each right-hand side with respect to
/// its own variable (`g` for a neuron's potential under a live input).
fn slope_lines(m: &Model) -> Vec<String> {
    let mut lines = vec!["exponential Euler's slopes (exact derivatives, symbolic):".to_string()];
    let lets: Vec<Expr> = m.lets.iter().map(|l| l.expr.clone()).collect();
    for e in &m.eqs {
        let wrt = Wrt {
            var: e.index,
            input_live: m.kind == Kind::Neuron
                && m.input.as_ref().is_some_and(|i| !i.frozen)
                && e.index == m.potential_index,
            lets: &lets,
        };
        let g = if wrt.input_live {
            format!(
                "  (g = -d{}/d{})",
                m.input
                    .as_ref()
                    .map_or(String::new(), |i| i.name.to_string()),
                e.var
            )
        } else {
            String::new()
        };
        lines.push(format!(
            "    d/d{v} [d({v})/dt] = {}{g}",
            diff(&e.rhs, &wrt).text(),
            v = e.var
        ));
    }
    lines
}

/// The lines of the model's doc comment, after the user's: the declaration, and whether the
/// model is an exponential channel.
pub(super) fn model_doc_lines(cx: &Ctx) -> Vec<String> {
    let mut doc_lines: Vec<String> = vec![String::new()];
    doc_lines.push("Declared with neurotype's equation DSL:".into());
    doc_lines.push(String::new());
    doc_lines.push("```text".into());
    doc_lines.extend(cx.eq_text.lines().map(str::to_string));
    doc_lines.push("```".into());
    if crate::channel::is_exp_channel(cx.m) {
        doc_lines.push(String::new());
        doc_lines.push(
            "Its equation is `c·g` with a constant `c`: with shared parameters and exponential or \
             forward Euler, each step multiplies g by the integrator's factor for it (`e^{c·dt}`, \
             exact, or `1 + c·dt`), as the built-in `Expon` does, and the postsynaptic \
             population advances it inside its own loop (an `ExpChannel`), with the same \
             arithmetic."
                .into(),
        );
    }
    doc_lines
}
