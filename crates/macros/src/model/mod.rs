//! The declaration of a model: parsing, and the checks that need the whole declaration
//! (names, dependencies, which clause may use what).

mod check;
mod dimensions;
mod linear;
mod parse;
mod rule;

use crate::expr::{BinOp, Cond, Expr, NameKind, Visit, VisitMut, expect_end};
use crate::units::is_unit;
use proc_macro2::{Ident, Span};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Token, Type, Visibility};

/// Neuron or synapse.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Neuron,
    Synapse,
}

/// A constraint on a parameter, checked by the builder.
#[derive(Clone, Debug)]
pub enum Constraint {
    /// `> 0`
    Positive,
    /// `>= 0`
    NonNegative,
    /// `!= 0`
    NonZero,
    /// `< other`, `<= other`, `> other`, `>= other`
    Relation(&'static str, Ident),
}

impl Constraint {
    pub fn text(&self) -> String {
        match self {
            Constraint::Positive => "> 0".into(),
            Constraint::NonNegative => ">= 0".into(),
            Constraint::NonZero => "!= 0".into(),
            Constraint::Relation(op, other) => format!("{op} {other}"),
        }
    }
}

/// `name: Type = default where constraint`.
pub struct ParamDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub ty: Type,
    pub default: Expr,
    pub constraints: Vec<Constraint>,
}

/// `name: Type = initial value`.
pub struct StateDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub ty: Type,
    pub init: Expr,
}

/// `input name: Type (frozen)?;`
pub struct InputDecl {
    pub name: Ident,
    pub ty: Type,
    pub frozen: bool,
}

/// `let name (: Type)? = expr;`
pub struct LetDecl {
    pub name: Ident,
    pub ty: Option<Type>,
    pub expr: Expr,
}

/// `d(var)/dt = rhs;`
pub struct Equation {
    pub var: Ident,
    pub rhs: Expr,
    /// Declaration index of `var` (filled by the checks).
    pub index: usize,
}

/// `=`, `+=` or `-=`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
}

/// `target op value`.
pub struct Assign {
    pub target: Ident,
    pub op: AssignOp,
    pub value: Expr,
    /// Declaration index of `target` (filled by the checks).
    pub index: usize,
}

/// `spike (rising)? condition;`
pub struct Spike {
    pub rising: bool,
    pub cond: Cond,
}

/// What makes a `synapse!` declaration a plasticity rule: its element variables and its
/// weight. The model's `state` then holds the presynaptic variables, the postsynaptic ones
/// and the weight, in that order.
pub struct RuleDecl {
    /// Number of presynaptic variables (the first of `state`).
    pub n_pre: usize,
    /// Number of postsynaptic variables (after them).
    pub n_post: usize,
    /// The weight's name (the last of `state`).
    pub weight: Ident,
}

impl RuleDecl {
    /// The weight's declaration index.
    pub fn weight_index(&self) -> usize {
        self.n_pre + self.n_post
    }

    /// Whether state variable `k` is presynaptic.
    pub fn is_pre(&self, k: usize) -> bool {
        k < self.n_pre
    }

    /// Whether state variable `k` is postsynaptic.
    pub fn is_post(&self, k: usize) -> bool {
        (self.n_pre..self.n_pre + self.n_post).contains(&k)
    }
}

/// A whole declaration.
pub struct Model {
    pub kind: Kind,
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub params: Vec<ParamDecl>,
    pub state: Vec<StateDecl>,
    pub input: Option<InputDecl>,
    pub potential: Option<Ident>,
    pub sequential: bool,
    /// `method exact;`: the `exact` keyword.
    pub exact: Option<Ident>,
    pub lets: Vec<LetDecl>,
    pub eqs: Vec<Equation>,
    pub spike: Option<Spike>,
    pub reset: Vec<Assign>,
    /// Index into `params` of the refractory period.
    pub refractory: Option<usize>,
    pub on_pre: Vec<Assign>,
    pub on_spike: Vec<Assign>,
    /// A plasticity rule's update at postsynaptic spikes.
    pub on_post: Vec<Assign>,
    /// Set for a plasticity rule (`pre`, `post`, `weight`).
    pub rule: Option<RuleDecl>,
    pub output: Option<Ident>,
    /// Declaration index of the potential (neurons).
    pub potential_index: usize,
    /// Declaration index of the output (synapses).
    pub output_index: usize,
}

impl Model {
    /// For each let: which state variables, whether the input and whether the time it depends
    /// on (transitively).
    pub fn let_dependencies(&self) -> Vec<Deps> {
        let mut out: Vec<Deps> = Vec::new();
        for l in &self.lets {
            let mut d = Deps::default();
            l.expr.visit_names(&mut |_, kind| match kind {
                NameKind::State(s) => d.state.push(s),
                NameKind::Input => d.input = true,
                NameKind::Time | NameKind::Dt => d.time = true,
                NameKind::Let(k) => {
                    let inner = out[k].clone();
                    d.state.extend(inner.state);
                    d.input |= inner.input;
                    d.time |= inner.time;
                }
                _ => {}
            });
            out.push(d);
        }
        out
    }

    /// Whether any equation or let uses the input.
    pub fn uses_input(&self) -> bool {
        let mut used = false;
        let mut f = |_: &Ident, k: NameKind| used |= k == NameKind::Input;
        for l in &self.lets {
            l.expr.visit_names(&mut f);
        }
        for e in &self.eqs {
            e.rhs.visit_names(&mut f);
        }
        used
    }

    /// State variables with an equation, in equation order, and the others.
    pub fn integrated(&self) -> Vec<usize> {
        self.eqs.iter().map(|e| e.index).collect()
    }

    pub fn constants(&self) -> Vec<usize> {
        (0..self.state.len())
            .filter(|k| !self.eqs.iter().any(|e| e.index == *k))
            .collect()
    }
}

/// Dependencies of a `let`.
#[derive(Clone, Default)]
pub struct Deps {
    pub state: Vec<usize>,
    pub input: bool,
    pub time: bool,
}

fn p_names(e: &Expr) -> Vec<Ident> {
    let mut out = Vec::new();
    e.visit_names(&mut |id, k| {
        if k == NameKind::Param {
            out.push(id.clone());
        }
    });
    out
}

/// Names the generated code uses for methods and builder setters.
pub const RESERVED: &[&str] = &[
    "builder",
    "build",
    "params",
    "method",
    "seed",
    "len",
    "is_empty",
    "step",
    "update",
    "spikes",
    "potential",
    "model_name",
    "state_vars",
    "state_vars_mut",
    "reset_state",
    "pending",
    "pending_mut",
    "open",
    "last_spike_time",
    "merge_key",
    "channel",
    "self",
    "super",
    "crate",
    "Self",
];

/// `neuron! { ... }` input.
pub struct NeuronInput(pub Model);
/// `synapse! { ... }` input.
pub struct SynapseInput(pub Model);

impl Parse for NeuronInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Model::parse_kind(input, Kind::Neuron).map(NeuronInput)
    }
}

impl Parse for SynapseInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Model::parse_kind(input, Kind::Synapse).map(SynapseInput)
    }
}

#[cfg(test)]
mod tests {
    use super::{NeuronInput, SynapseInput};

    fn error(src: &str) -> String {
        match syn::parse_str::<NeuronInput>(src) {
            Ok(_) => panic!("accepted: {src}"),
            Err(e) => e
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }

    const HEAD: &str = "N { params { tau: Time = 10.0 ms, v_th: ElectricPotential = -50.0 mV } \
                        state { v: ElectricPotential = -65.0 mV } input i: ElectricCurrent; ";

    #[test]
    fn a_correct_declaration_parses() {
        let src = format!("{HEAD} d(v)/dt = -v / tau; spike v >= v_th; reset v = v - 5.0 mV; }}");
        assert!(syn::parse_str::<NeuronInput>(&src).is_ok());
    }

    #[test]
    fn structural_mistakes_are_named_in_words() {
        let cases = [
            ("d(w)/dt = -v / tau; }", "`w` is not a state variable"),
            (
                "d(v)/dt = -v / tau; reset v = v_th; }",
                "a reset needs a spike condition",
            ),
            (
                "d(v)/dt = -v / tau; spike v >= v_th; reset v = i; }",
                "the input `i` is only known while integrating",
            ),
            ("d(v)/dt = -v / tau; flux v; }", "unknown clause `flux`"),
            (
                "d(v)/dt = -v / tau + x; let x = y / tau; let y = v; }",
                "a `let` declared later",
            ),
            ("d(v)/dt = foo(v) / tau; }", "unknown function `foo`"),
            (
                "d(v)/dt = exp(v, v) / tau; }",
                "`exp` takes 1 argument, not 2",
            ),
            (
                "d(v)/dt = -v / tau; d(v)/dt = v / tau; }",
                "a second equation for `v`",
            ),
        ];
        for (tail, expected) in cases {
            let e = error(&format!("{HEAD} {tail}"));
            assert!(e.contains(expected), "{tail}: {e}");
        }
        let e = error(
            "N { params { t: Time = 1.0 ms, mV: Time = 1.0 ms } state { v: ElectricPotential = 0.0 mV } \
             input i: ElectricCurrent; d(v)/dt = -v / t; }",
        );
        assert!(e.contains("`t` is the time of the step"), "{e}");
        assert!(e.contains("`mV` is a unit constant"), "{e}");
        let e = error("N { state { v: ElectricPotential = 0.0 mV } d(v)/dt = v / 1.0 ms; }");
        assert!(e.contains("a neuron needs its input"), "{e}");
    }

    #[test]
    fn dimensions_are_checked_while_expanding() {
        let cases = [
            ("d(v)/dt = -v / tau + powi(v, 2) / (tau * v_th); }", None),
            (
                "d(v)/dt = -v / tau + powi(v, 2) / tau; }",
                Some("`powi(v, 2) / tau` is a quantity in mV²/ms, but it is added to `-v / tau`"),
            ),
            ("d(v)/dt = -v / tau + sqrt(v * v) / tau; }", None),
            ("d(v)/dt = -v / tau * powf(v / v_th, 1.5); }", None),
            (
                "d(v)/dt = -v / tau * powf(v / v_th, tau); }",
                Some("`powf` takes a dimensionless number, but `tau` is a time"),
            ),
            (
                "d(v)/dt = -v / tau * powf(v, 2.0); }",
                Some("`powf` takes a dimensionless number, but `v` is a voltage"),
            ),
            ("d(v)/dt = (max(v, 1.0) - v) / tau; }", Some("`1.0 mV`")),
            (
                "let x = v * i; d(v)/dt = -v / tau + x; }",
                Some("a quantity in mV·µA"),
            ),
        ];
        for (tail, expected) in cases {
            let src = format!("{HEAD} {tail}");
            match (syn::parse_str::<NeuronInput>(&src), expected) {
                (Ok(_), None) => {}
                (Ok(_), Some(x)) => panic!("accepted, expected {x}: {tail}"),
                (Err(e), None) => panic!("refused: {tail}: {e}"),
                (Err(e), Some(x)) => assert!(e.to_string().contains(x), "{tail}: {e}"),
            }
        }
        // a type the table does not know is left to rustc
        let src = "N { params { tau: MyTime = 10.0 ms } state { v: ElectricPotential = 0.0 mV } \
                   input i: ElectricCurrent; d(v)/dt = -v / tau; }";
        assert!(syn::parse_str::<NeuronInput>(src).is_ok());
    }

    #[test]
    fn plasticity_rules_keep_each_side_to_itself() {
        let rule = |body: &str| {
            format!(
                "R {{ params {{ tau: Time = 20.0 ms where > 0, a: ElectricalConductance = 1.0 nS }} \
                 pre {{ x: Ratio = 0.0 }} post {{ y: Ratio = 0.0 }} \
                 weight w: ElectricalConductance; {body} }}"
            )
        };
        let ok = "d(x)/dt = -x / tau; d(y)/dt = -y / tau; \
                  on_pre { x += 1.0; w = w - a * y; } on_post { y += 1.0; w = w + a * x; }";
        if let Err(e) = syn::parse_str::<SynapseInput>(&rule(ok)) {
            panic!("refused: {e}");
        }
        let cases = [
            ("d(x)/dt = -y / tau; on_pre x += 1.0;", "not `y`"),
            ("d(x)/dt = -x / tau; on_post x += 1.0;", "`x` is not one"),
            (
                "d(x)/dt = -x * x / tau; on_pre x += 1.0;",
                "multiplies `-x` by `x`",
            ),
            (
                "d(x)/dt = -x / tau; on_pre w = w - a * t / tau;",
                "does not depend on `t`",
            ),
            ("d(x)/dt = -x / tau; on_pre x += a;", "`a` is a conductance"),
            (
                "d(x)/dt = -x / tau; on_pre x += 1.0; output x;",
                "a plasticity rule has",
            ),
        ];
        for (body, expected) in cases {
            let e = match syn::parse_str::<SynapseInput>(&rule(body)) {
                Ok(_) => panic!("accepted: {body}"),
                Err(e) => e
                    .into_iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join(" | "),
            };
            assert!(e.contains(expected), "{body}: {e}");
        }
        let e = match syn::parse_str::<SynapseInput>(
            "R { pre { x: Ratio = 0.0 } d(x)/dt = -x / 1.0 ms; on_pre x += 1.0; }",
        ) {
            Ok(_) => panic!("accepted a rule without a weight"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains("needs its weight"), "{e}");
        let e = match syn::parse_str::<SynapseInput>(
            "R { params { tau: Time = 20.0 ms where > 0 } pre { x: Ratio = 0.0, n: Ratio = 0.0 } \
             weight w: Ratio; d(x)/dt = (n - x) / tau; on_pre { n += 1.0; w = w + x; } }",
        ) {
            Ok(_) => panic!("accepted an equation using a variable without one"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains("`n` has no equation"), "{e}");
    }

    #[test]
    fn exact_needs_linear_equations_with_constant_coefficients() {
        let exact = |tail: &str| format!("{HEAD} method exact; {tail}");
        let accepted = [
            "d(v)/dt = (v_th - v + 10.0 Mohm * i) / tau; }",
            "let k = 1.0 / tau; d(v)/dt = -k * v + (v_th + sqrt(i * i) * 1.0 Mohm) * k; }",
            "d(v)/dt = -v * exp(-dt / tau) / tau + if t > tau { v_th / tau } else { 0.0 mV / ms }; }",
        ];
        for tail in accepted {
            if let Err(e) = syn::parse_str::<NeuronInput>(&exact(tail)) {
                panic!("refused: {tail}: {e}");
            }
        }
        let refused = [
            (
                "d(v)/dt = -v * v / (tau * v_th); }",
                "`-v * v` in d(v)/dt multiplies",
            ),
            (
                "d(v)/dt = v_th / tau * exp(v / v_th); }",
                "applies `exp` to `v / v_th`",
            ),
            ("d(v)/dt = v_th / tau * (v_th / v); }", "divides by `v`"),
            ("d(v)/dt = -v * i / (tau * i); }", "the coefficient `i`"),
            (
                "d(v)/dt = if v > v_th { -v / tau } else { v / tau }; }",
                "switches on `v > v_th`",
            ),
            ("let x = v * v / v_th; d(v)/dt = -x / tau; }", "in `let x`"),
            (
                "order sequential; d(v)/dt = -v / tau; }",
                "cannot be combined",
            ),
        ];
        for (tail, expected) in refused {
            let e = error(&exact(tail));
            assert!(e.contains(expected), "{tail}: {e}");
        }
        let e = error(&format!("{HEAD} method rk4; d(v)/dt = -v / tau; }}"));
        assert!(e.contains("only `method exact;`"), "{e}");
    }
}
