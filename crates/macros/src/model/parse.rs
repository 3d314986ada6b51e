//! Parsing a model declaration: parameters, state, equations and clauses.

use super::*;

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
            exact: None,
            lets: Vec::new(),
            eqs: Vec::new(),
            spike: None,
            reset: Vec::new(),
            refractory: None,
            on_pre: Vec::new(),
            on_spike: Vec::new(),
            on_post: Vec::new(),
            rule: None,
            output: None,
            potential_index: 0,
            output_index: 0,
        };
        let mut seen_params = false;
        let mut seen_state = false;
        // a plasticity rule's pieces, put together after the clauses
        let mut pre_vars: Option<Vec<StateDecl>> = None;
        let mut post_vars: Option<Vec<StateDecl>> = None;
        let mut weight: Option<(Ident, Type)> = None;
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
                    "expected a clause: params, state, input, potential, order, method, let, d(x)/dt, \
                     spike, reset, refractory, on_pre, on_spike, output, pre, post, weight, \
                     on_post",
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
                "pre" | "post" if body.peek2(syn::token::Brace) => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Neuron {
                        return Err(syn::Error::new(
                            word.span(),
                            format!("`{w}` variables belong to a plasticity rule (`synapse!`)"),
                        ));
                    }
                    let inner;
                    syn::braced!(inner in body);
                    let list: Vec<StateDecl> = inner
                        .parse_terminated(parse_state, Token![,])?
                        .into_iter()
                        .collect();
                    let slot = if w == "pre" {
                        &mut pre_vars
                    } else {
                        &mut post_vars
                    };
                    if slot.is_some() {
                        return Err(syn::Error::new(
                            word.span(),
                            format!("a second `{w}` block"),
                        ));
                    }
                    *slot = Some(list);
                }
                "weight" => {
                    let _: Ident = body.parse()?;
                    if kind == Kind::Neuron || weight.is_some() {
                        return Err(syn::Error::new(
                            word.span(),
                            "`weight w: Type;` is declared once, in a plasticity rule (`synapse!`)",
                        ));
                    }
                    let name: Ident = body.parse()?;
                    let _: Token![:] = body.parse()?;
                    let ty: Type = body.parse()?;
                    let _: Token![;] = body.parse()?;
                    weight = Some((name, ty));
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
                "method" => {
                    let _: Ident = body.parse()?;
                    let how: Ident = body.parse()?;
                    if how != "exact" {
                        return Err(syn::Error::new(
                            how.span(),
                            format!(
                                "`method {how};`: only `method exact;` is declared with the \
                                 equations; the numerical integrators are chosen on the \
                                 builder, `.method(Method::Rk4)`"
                            ),
                        ));
                    }
                    if m.exact.is_some() {
                        return Err(syn::Error::new(word.span(), "a second `method`"));
                    }
                    m.exact = Some(how);
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
                "on_pre" | "on_spike" | "on_post" => {
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
                    } else if w == "on_post" {
                        m.on_post.extend(list);
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
                             order, method, let, d(x)/dt, spike, reset, refractory, on_pre, on_spike, \
                             output, pre, post, weight, on_post"
                        ),
                    ));
                }
            }
        }
        if pre_vars.is_some() || post_vars.is_some() || weight.is_some() || !m.on_post.is_empty() {
            m.make_rule(pre_vars, post_vars, weight)?;
        }
        m.check()?;
        m.check_rule()?;
        m.check_dimensions()?;
        m.check_linear()?;
        Ok(m)
    }
}
