//! The declaration of a model: parsing, and the checks that need the whole declaration
//! (names, dependencies, which clause may use what).

use crate::expr::{Cond, Expr, NameKind, Visit, VisitMut, expect_end};
use crate::units::UNITS;
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
    pub lets: Vec<LetDecl>,
    pub eqs: Vec<Equation>,
    pub spike: Option<Spike>,
    pub reset: Vec<Assign>,
    /// Index into `params` of the refractory period.
    pub refractory: Option<usize>,
    pub on_pre: Vec<Assign>,
    pub on_spike: Vec<Assign>,
    pub output: Option<Ident>,
    /// Declaration index of the potential (neurons).
    pub potential_index: usize,
    /// Declaration index of the output (synapses).
    pub output_index: usize,
}

fn parse_param(input: ParseStream) -> syn::Result<ParamDecl> {
    let attrs = input.call(Attribute::parse_outer)?;
    let name: Ident = input.parse()?;
    let _: Token![:] = input.parse()?;
    let ty: Type = input.parse()?;
    let _: Token![=] = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{name}` needs a default value: `{name}: Type = value`"),
        )
    })?;
    let default = Expr::parse(input)?;
    let mut constraints = Vec::new();
    if input.peek(Token![where]) {
        let _: Token![where] = input.parse()?;
        loop {
            constraints.push(parse_constraint(input)?);
            if input.peek(Token![&&]) {
                let _: Token![&&] = input.parse()?;
            } else {
                break;
            }
        }
    }
    Ok(ParamDecl {
        attrs,
        name,
        ty,
        default,
        constraints,
    })
}

fn parse_constraint(input: ParseStream) -> syn::Result<Constraint> {
    let op: &'static str = if input.peek(Token![>=]) {
        let _: Token![>=] = input.parse()?;
        ">="
    } else if input.peek(Token![<=]) {
        let _: Token![<=] = input.parse()?;
        "<="
    } else if input.peek(Token![!=]) {
        let _: Token![!=] = input.parse()?;
        "!="
    } else if input.peek(Token![>]) {
        let _: Token![>] = input.parse()?;
        ">"
    } else if input.peek(Token![<]) {
        let _: Token![<] = input.parse()?;
        "<"
    } else {
        return Err(input.error(
            "a constraint is `> 0`, `>= 0`, `!= 0`, or `<`, `<=`, `>`, `>=` another parameter",
        ));
    };
    if input.peek(syn::LitInt) || input.peek(syn::LitFloat) {
        let lit: proc_macro2::Literal = input.parse()?;
        if lit.to_string().parse::<f64>().ok() != Some(0.0) {
            return Err(syn::Error::new(
                lit.span(),
                "parameters compare with 0 or with another parameter",
            ));
        }
        return match op {
            ">" => Ok(Constraint::Positive),
            ">=" => Ok(Constraint::NonNegative),
            "!=" => Ok(Constraint::NonZero),
            _ => Err(syn::Error::new(
                lit.span(),
                "with 0, a constraint is `> 0`, `>= 0` or `!= 0`",
            )),
        };
    }
    let other: Ident = input.parse()?;
    if op == "!=" {
        return Err(syn::Error::new(other.span(), "`!=` compares with 0 only"));
    }
    Ok(Constraint::Relation(op, other))
}

fn parse_state(input: ParseStream) -> syn::Result<StateDecl> {
    let attrs = input.call(Attribute::parse_outer)?;
    let name: Ident = input.parse()?;
    let _: Token![:] = input.parse()?;
    let ty: Type = input.parse()?;
    let _: Token![=] = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{name}` needs an initial value: `{name}: Type = value`"),
        )
    })?;
    let init = Expr::parse(input)?;
    Ok(StateDecl {
        attrs,
        name,
        ty,
        init,
    })
}

fn parse_assign(input: ParseStream) -> syn::Result<Assign> {
    let target: Ident = input.parse()?;
    let op = if input.peek(Token![+=]) {
        let _: Token![+=] = input.parse()?;
        AssignOp::Add
    } else if input.peek(Token![-=]) {
        let _: Token![-=] = input.parse()?;
        AssignOp::Sub
    } else {
        let _: Token![=] = input.parse()?;
        AssignOp::Set
    };
    let value = Expr::parse(input)?;
    Ok(Assign {
        target,
        op,
        value,
        index: 0,
    })
}

/// `assign;` or `{ assign; assign; }`.
fn parse_assignments(input: ParseStream) -> syn::Result<Vec<Assign>> {
    if input.peek(syn::token::Brace) {
        let content;
        syn::braced!(content in input);
        let mut out = Vec::new();
        while !content.is_empty() {
            out.push(parse_assign(&content)?);
            if content.is_empty() {
                break;
            }
            let _: Token![;] = content.parse()?;
        }
        let _ = input.parse::<Option<Token![;]>>()?;
        Ok(out)
    } else {
        let a = parse_assign(input)?;
        let _: Token![;] = input.parse()?;
        Ok(vec![a])
    }
}

fn keyword(input: ParseStream, word: &str) -> bool {
    input
        .fork()
        .parse::<Ident>()
        .map(|i| i == word)
        .unwrap_or(false)
}

impl Model {
    pub fn parse_kind(input: ParseStream, kind: Kind) -> syn::Result<Model> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let name: Ident = input.parse()?;
        let content;
        syn::braced!(content in input);
        let body = &content;
        let mut m = Model {
            kind,
            attrs,
            vis,
            name,
            params: Vec::new(),
            state: Vec::new(),
            input: None,
            potential: None,
            sequential: false,
            lets: Vec::new(),
            eqs: Vec::new(),
            spike: None,
            reset: Vec::new(),
            refractory: None,
            on_pre: Vec::new(),
            on_spike: Vec::new(),
            output: None,
            potential_index: 0,
            output_index: 0,
        };
        let mut seen_params = false;
        let mut seen_state = false;
        while !body.is_empty() {
            if body.peek(Token![let]) {
                let _: Token![let] = body.parse()?;
                let name: Ident = body.parse()?;
                let ty = if body.peek(Token![:]) {
                    let _: Token![:] = body.parse()?;
                    Some(body.parse::<Type>()?)
                } else {
                    None
                };
                let _: Token![=] = body.parse()?;
                let expr = Expr::parse(body)?;
                let _: Token![;] = body.parse()?;
                m.lets.push(LetDecl { name, ty, expr });
                continue;
            }
            let word: Ident = body.fork().parse().map_err(|_| {
                body.error(
                    "expected a clause: params, state, input, potential, order, let, d(x)/dt, \
                     spike, reset, refractory, on_pre, on_spike, output",
                )
            })?;
            let w = word.to_string();
            match w.as_str() {
                "params" | "state" => {
                    let _: Ident = body.parse()?;
                    let inner;
                    syn::braced!(inner in body);
                    if w == "params" {
                        if seen_params {
                            return Err(syn::Error::new(word.span(), "a second `params` block"));
                        }
                        seen_params = true;
                        let list = inner.parse_terminated(parse_param, Token![,])?;
                        m.params.extend(list);
                    } else {
                        if seen_state {
                            return Err(syn::Error::new(word.span(), "a second `state` block"));
                        }
                        seen_state = true;
                        let list = inner.parse_terminated(parse_state, Token![,])?;
                        m.state.extend(list);
                    }
                }
                "input" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Synapse {
                        return Err(syn::Error::new(
                            word.span(),
                            "a synapse has no `input`: it receives `on_pre` increments or \
                             `on_spike` events",
                        ));
                    }
                    if m.input.is_some() {
                        return Err(syn::Error::new(word.span(), "a second `input`"));
                    }
                    let name: Ident = body.parse()?;
                    let _: Token![:] = body.parse()?;
                    let ty: Type = body.parse()?;
                    let frozen = if keyword(body, "frozen") {
                        let _: Ident = body.parse()?;
                        true
                    } else {
                        false
                    };
                    let _: Token![;] = body.parse()?;
                    m.input = Some(InputDecl { name, ty, frozen });
                }
                "potential" => {
                    let _: Ident = body.parse()?;
                    m.potential = Some(body.parse()?);
                    let _: Token![;] = body.parse()?;
                }
                "order" => {
                    let _: Ident = body.parse()?;
                    let how: Ident = body.parse()?;
                    m.sequential = match how.to_string().as_str() {
                        "sequential" => true,
                        "simultaneous" => false,
                        _ => {
                            return Err(syn::Error::new(
                                how.span(),
                                "`order sequential;` or `order simultaneous;`",
                            ));
                        }
                    };
                    let _: Token![;] = body.parse()?;
                }
                "d" if body.peek2(syn::token::Paren) => {
                    let _d: Ident = body.parse()?;
                    let inner;
                    syn::parenthesized!(inner in body);
                    let var: Ident = inner.parse()?;
                    expect_end(&inner)?;
                    let _: Token![/] = body.parse()?;
                    let dt: Ident = body.parse()?;
                    if dt != "dt" {
                        return Err(syn::Error::new(dt.span(), "write `d(x)/dt`"));
                    }
                    let _: Token![=] = body.parse()?;
                    let rhs = Expr::parse(body)?;
                    let _: Token![;] = body.parse()?;
                    m.eqs.push(Equation { var, rhs, index: 0 });
                }
                "spike" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Synapse {
                        return Err(syn::Error::new(word.span(), "`spike` is a neuron clause"));
                    }
                    if m.spike.is_some() {
                        return Err(syn::Error::new(word.span(), "a second `spike`"));
                    }
                    let rising = if keyword(body, "rising") && body.peek2(syn::Ident) {
                        let _: Ident = body.parse()?;
                        true
                    } else {
                        false
                    };
                    let cond = Cond::parse(body)?;
                    let _: Token![;] = body.parse()?;
                    m.spike = Some(Spike { rising, cond });
                }
                "reset" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Synapse {
                        return Err(syn::Error::new(word.span(), "`reset` is a neuron clause"));
                    }
                    m.reset.extend(parse_assignments(body)?);
                }
                "refractory" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Synapse {
                        return Err(syn::Error::new(
                            word.span(),
                            "`refractory` is a neuron clause",
                        ));
                    }
                    if m.refractory.is_some() {
                        return Err(syn::Error::new(word.span(), "a second `refractory`"));
                    }
                    let mut p = parse_param(body)?;
                    let _: Token![;] = body.parse()?;
                    if p.constraints.is_empty() {
                        p.constraints.push(Constraint::NonNegative);
                    }
                    m.refractory = Some(usize::MAX);
                    m.params.push(p);
                    m.refractory = Some(m.params.len() - 1);
                }
                "on_pre" | "on_spike" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Neuron {
                        return Err(syn::Error::new(
                            word.span(),
                            format!("`{w}` is a synapse clause"),
                        ));
                    }
                    let list = parse_assignments(body)?;
                    if w == "on_pre" {
                        m.on_pre.extend(list);
                    } else {
                        m.on_spike.extend(list);
                    }
                }
                "output" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Neuron {
                        return Err(syn::Error::new(
                            word.span(),
                            "a neuron's output is its spikes; `output` is a synapse clause",
                        ));
                    }
                    m.output = Some(body.parse()?);
                    let _: Token![;] = body.parse()?;
                }
                _ => {
                    return Err(syn::Error::new(
                        word.span(),
                        format!(
                            "unknown clause `{w}`: expected params, state, input, potential, \
                             order, let, d(x)/dt, spike, reset, refractory, on_pre, on_spike, \
                             output"
                        ),
                    ));
                }
            }
        }
        m.check()?;
        Ok(m)
    }

    /// Names, dependencies and clause rules.
    fn check(&mut self) -> syn::Result<()> {
        let mut errors: Option<syn::Error> = None;
        let mut push = |e: syn::Error| match &mut errors {
            Some(all) => all.combine(e),
            None => errors = Some(e),
        };

        // declared names
        let mut declared: Vec<(String, Span)> = Vec::new();
        let mut declare = |id: &Ident, what: &str, push: &mut dyn FnMut(syn::Error)| {
            let s = id.to_string();
            if s.starts_with("__") {
                push(syn::Error::new(
                    id.span(),
                    "names starting with `__` are reserved",
                ));
            } else if matches!(s.as_str(), "t" | "dt") {
                push(syn::Error::new(
                    id.span(),
                    format!(
                        "`{s}` is the {} of the step; choose another name for this {what}",
                        if s == "t" { "time" } else { "time step" }
                    ),
                ));
            } else if UNITS.contains(&s.as_str()) {
                push(syn::Error::new(
                    id.span(),
                    format!("`{s}` is a unit constant; choose another name for this {what}"),
                ));
            } else if RESERVED.contains(&s.as_str()) {
                push(syn::Error::new(
                    id.span(),
                    format!(
                        "`{s}` is the name of a generated method; choose another name for this {what}"
                    ),
                ));
            } else if declared.iter().any(|(d, _)| *d == s) {
                push(syn::Error::new(
                    id.span(),
                    format!("`{s}` is declared twice"),
                ));
            }
            declared.push((s, id.span()));
        };
        for p in &self.params {
            declare(&p.name, "parameter", &mut push);
        }
        for s in &self.state {
            declare(&s.name, "state variable", &mut push);
            let init = format!("{}_init", s.name);
            let mutator = format!("{}_mut", s.name);
            if let Some(p) = self
                .params
                .iter()
                .find(|p| p.name == init.as_str() || p.name == mutator.as_str())
            {
                push(syn::Error::new(
                    p.name.span(),
                    format!(
                        "`{}` clashes with a generated method of `{}`",
                        p.name, s.name
                    ),
                ));
            }
        }
        if let Some(i) = &self.input {
            declare(&i.name, "input", &mut push);
        }
        for l in &self.lets {
            declare(&l.name, "let", &mut push);
        }
        if self.kind == Kind::Synapse && !self.on_pre.is_empty() {
            if let Some((_, span)) = declared.iter().find(|(d, _)| d == "w") {
                push(syn::Error::new(
                    *span,
                    "`w` is the increment a synapse receives in `on_pre`; choose another name",
                ));
            }
        }

        let state_index = |id: &Ident| self.state.iter().position(|s| s.name == *id);

        // constraints refer to parameters
        for p in &self.params {
            for c in &p.constraints {
                if let Constraint::Relation(_, other) = c {
                    if !self.params.iter().any(|q| q.name == *other) {
                        push(syn::Error::new(
                            other.span(),
                            format!("`{other}` is not a parameter"),
                        ));
                    }
                }
            }
        }

        // equations
        for k in 0..self.eqs.len() {
            let var = self.eqs[k].var.clone();
            match state_index(&var) {
                Some(idx) => self.eqs[k].index = idx,
                None => push(syn::Error::new(
                    var.span(),
                    format!("`{var}` is not a state variable; declare it in `state {{ .. }}`"),
                )),
            }
            if self.eqs[..k].iter().any(|e| e.var == var) {
                push(syn::Error::new(
                    var.span(),
                    format!("a second equation for `{var}`"),
                ));
            }
        }
        if self.eqs.is_empty() {
            push(syn::Error::new(
                self.name.span(),
                "a model needs at least one differential equation `d(x)/dt = ...;`",
            ));
        }
        if self.eqs.len() > 8 {
            push(syn::Error::new(
                self.eqs[8].var.span(),
                "at most 8 differential equations",
            ));
        }

        // neuron: input, potential
        if self.kind == Kind::Neuron {
            if self.input.is_none() {
                push(syn::Error::new(
                    self.name.span(),
                    "a neuron needs its input: `input i: ElectricCurrent;`",
                ));
            }
            let pot = match &self.potential {
                Some(p) => p.clone(),
                None => match self.state.first() {
                    Some(s) => s.name.clone(),
                    None => {
                        push(syn::Error::new(self.name.span(), "a neuron needs a state"));
                        self.name.clone()
                    }
                },
            };
            match state_index(&pot) {
                Some(idx) => {
                    self.potential_index = idx;
                    if !self.eqs.iter().any(|e| e.var == pot) {
                        push(syn::Error::new(
                            pot.span(),
                            format!("the potential `{pot}` needs an equation `d({pot})/dt = ...;`"),
                        ));
                    }
                }
                None => push(syn::Error::new(
                    pot.span(),
                    format!("`{pot}` is not a state variable"),
                )),
            }
        } else {
            match (
                &self.output,
                self.on_pre.is_empty(),
                self.on_spike.is_empty(),
            ) {
                (None, _, _) => push(syn::Error::new(
                    self.name.span(),
                    "a synapse needs `output g;` naming the state variable it delivers",
                )),
                (Some(o), _, _) => match state_index(o) {
                    Some(idx) => self.output_index = idx,
                    None => push(syn::Error::new(
                        o.span(),
                        format!("`{o}` is not a state variable"),
                    )),
                },
            }
            match (self.on_pre.is_empty(), self.on_spike.is_empty()) {
                (true, true) => push(syn::Error::new(
                    self.name.span(),
                    "a synapse needs `on_pre g += w;` (driven by increments, AlignPostProj) or \
                     `on_spike ...;` (driven by presynaptic spikes, AlignPreProj)",
                )),
                (false, false) => push(syn::Error::new(
                    self.name.span(),
                    "a synapse has `on_pre` or `on_spike`, not both",
                )),
                _ => {}
            }
        }

        if self.kind == Kind::Neuron && self.spike.is_none() {
            if let Some(a) = self.reset.first() {
                push(syn::Error::new(
                    a.target.span(),
                    "a reset needs a spike condition: `spike v >= v_th;`",
                ));
            }
            if let Some(r) = self.refractory {
                push(syn::Error::new(
                    self.params[r].name.span(),
                    "a refractory period needs a spike condition: `spike v >= v_th;`",
                ));
            }
        }

        // assignments target state variables
        for list in [&mut self.reset, &mut self.on_pre, &mut self.on_spike] {
            for a in list.iter_mut() {
                match self.state.iter().position(|s| s.name == a.target) {
                    Some(idx) => a.index = idx,
                    None => push(syn::Error::new(
                        a.target.span(),
                        format!("`{}` is not a state variable", a.target),
                    )),
                }
            }
        }

        if let Some(e) = errors {
            return Err(e);
        }
        self.resolve()
    }

    /// Resolves every name of every expression, with the scope of its clause.
    fn resolve(&mut self) -> syn::Result<()> {
        let params: Vec<String> = self.params.iter().map(|p| p.name.to_string()).collect();
        let state: Vec<String> = self.state.iter().map(|s| s.name.to_string()).collect();
        let input = self.input.as_ref().map(|i| i.name.to_string());
        let lets: Vec<String> = self.lets.iter().map(|l| l.name.to_string()).collect();
        let increment = self.kind == Kind::Synapse && !self.on_pre.is_empty();
        let mut errors: Vec<syn::Error> = Vec::new();

        // Scope rules per clause.
        #[derive(Clone, Copy)]
        struct Scope {
            state: bool,
            /// lets visible: those declared before this index
            lets: usize,
            /// state variables visible: those declared before this index
            state_before: usize,
            input: bool,
            time: bool,
            increment: bool,
            what: &'static str,
        }
        let resolve_expr =
            |e: &mut dyn FnMut(&mut VisitMut), scope: Scope, errors: &mut Vec<syn::Error>| {
                e(&mut |id: &mut Ident, kind: &mut NameKind| {
                    let s = id.to_string();
                    let found = if let Some(_k) = params.iter().position(|p| *p == s) {
                        Some(NameKind::Param)
                    } else if let Some(k) = state.iter().position(|p| *p == s) {
                        if scope.state && k < scope.state_before {
                            Some(NameKind::State(k))
                        } else {
                            errors.push(syn::Error::new(
                                id.span(),
                                if scope.state {
                                    format!(
                                        "`{s}` is initialised after this one; {} can use state \
                                     variables declared before it",
                                        scope.what
                                    )
                                } else {
                                    format!("{} cannot use the state variable `{s}`", scope.what)
                                },
                            ));
                            return;
                        }
                    } else if let Some(k) = lets.iter().position(|p| *p == s) {
                        if k < scope.lets {
                            Some(NameKind::Let(k))
                        } else {
                            errors.push(syn::Error::new(
                                id.span(),
                                format!(
                                    "`{s}` is a `let` declared later; a `let` can be used after \
                                 its declaration"
                                ),
                            ));
                            return;
                        }
                    } else if input.as_deref() == Some(s.as_str()) {
                        if scope.input {
                            Some(NameKind::Input)
                        } else {
                            errors.push(syn::Error::new(
                                id.span(),
                                format!(
                                    "the input `{s}` is only known while integrating; {} cannot \
                                 use it",
                                    scope.what
                                ),
                            ));
                            return;
                        }
                    } else if s == "t" || s == "dt" {
                        if scope.time {
                            Some(if s == "t" {
                                NameKind::Time
                            } else {
                                NameKind::Dt
                            })
                        } else {
                            errors.push(syn::Error::new(
                                id.span(),
                                format!("{} cannot use `{s}`", scope.what),
                            ));
                            return;
                        }
                    } else if s == "w" && scope.increment {
                        Some(NameKind::Increment)
                    } else if UNITS.contains(&s.as_str()) {
                        Some(NameKind::Unit)
                    } else {
                        None
                    };
                    match found {
                        Some(k) => *kind = k,
                        None => errors.push(syn::Error::new(
                            id.span(),
                            format!(
                                "unknown variable `{s}`: not a parameter, state variable, `let`, \
                             input or unit constant of this model"
                            ),
                        )),
                    }
                });
            };

        let nstate = self.state.len();
        let nlets = self.lets.len();
        // parameter defaults: constants only
        let constant = Scope {
            state: false,
            lets: 0,
            state_before: 0,
            input: false,
            time: false,
            increment: false,
            what: "a parameter's default",
        };
        for p in &mut self.params {
            resolve_expr(&mut |f| p.default.visit_names_mut(f), constant, &mut errors);
            for name in p_names(&p.default) {
                if params.contains(&name.to_string()) {
                    errors.push(syn::Error::new(
                        name.span(),
                        "a parameter's default is a constant (builders set each parameter on \
                         its own)",
                    ));
                }
            }
        }
        // lets: everything declared before, input, time
        for k in 0..nlets {
            let scope = Scope {
                state: true,
                lets: k,
                state_before: nstate,
                input: true,
                time: true,
                increment: false,
                what: "a `let`",
            };
            let l = &mut self.lets[k];
            resolve_expr(&mut |f| l.expr.visit_names_mut(f), scope, &mut errors);
        }
        // equations
        for e in &mut self.eqs {
            let scope = Scope {
                state: true,
                lets: nlets,
                state_before: nstate,
                input: true,
                time: true,
                increment: false,
                what: "an equation",
            };
            resolve_expr(&mut |f| e.rhs.visit_names_mut(f), scope, &mut errors);
        }
        let discrete = |what: &'static str, increment: bool| Scope {
            state: true,
            lets: nlets,
            state_before: nstate,
            input: false,
            time: true,
            increment,
            what,
        };
        if let Some(s) = &mut self.spike {
            resolve_expr(
                &mut |f| s.cond.visit_names_mut(f),
                discrete("the spike condition", false),
                &mut errors,
            );
        }
        for a in &mut self.reset {
            resolve_expr(
                &mut |f| a.value.visit_names_mut(f),
                discrete("a reset", false),
                &mut errors,
            );
        }
        for a in &mut self.on_pre {
            resolve_expr(
                &mut |f| a.value.visit_names_mut(f),
                discrete("`on_pre`", increment),
                &mut errors,
            );
        }
        for a in &mut self.on_spike {
            resolve_expr(
                &mut |f| a.value.visit_names_mut(f),
                discrete("`on_spike`", false),
                &mut errors,
            );
        }
        // initial values: parameters, earlier state variables, lets over those
        for k in 0..nstate {
            let scope = Scope {
                state: true,
                lets: nlets,
                state_before: k,
                input: false,
                time: false,
                increment: false,
                what: "an initial value",
            };
            let s = &mut self.state[k];
            resolve_expr(&mut |f| s.init.visit_names_mut(f), scope, &mut errors);
        }

        // lets used outside integration must not depend on the input (or, in initial values,
        // on later state variables or the time)
        let deps = self.let_dependencies();
        let check_lets = |e: &dyn Fn(&mut Visit),
                          what: &str,
                          state_before: usize,
                          time_ok: bool,
                          errors: &mut Vec<syn::Error>| {
            e(&mut |id: &Ident, kind: NameKind| {
                if let NameKind::Let(k) = kind {
                    let d = &deps[k];
                    if d.input {
                        errors.push(syn::Error::new(
                            id.span(),
                            format!("`{id}` depends on the input, which {what} cannot use"),
                        ));
                    } else if d.state.iter().any(|&s| s >= state_before) {
                        errors.push(syn::Error::new(
                            id.span(),
                            format!("`{id}` depends on a state variable not yet initialised"),
                        ));
                    } else if d.time && !time_ok {
                        errors.push(syn::Error::new(
                            id.span(),
                            format!("`{id}` depends on the time, which {what} cannot use"),
                        ));
                    }
                }
            });
        };
        if let Some(s) = &self.spike {
            check_lets(
                &|f| s.cond.visit_names(f),
                "the spike condition",
                nstate,
                true,
                &mut errors,
            );
        }
        for a in self.reset.iter().chain(&self.on_pre).chain(&self.on_spike) {
            check_lets(
                &|f| a.value.visit_names(f),
                "a reset or event",
                nstate,
                true,
                &mut errors,
            );
        }
        for (k, s) in self.state.iter().enumerate() {
            check_lets(
                &|f| s.init.visit_names(f),
                "an initial value",
                k,
                false,
                &mut errors,
            );
        }

        let mut it = errors.into_iter();
        match it.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in it {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }

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
    use super::NeuronInput;

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
}
