//! The checks that need the whole declaration: names, dependencies, which clause may use
//! what, and the resolution of every name.

use super::*;

impl Model {
    /// Names, dependencies and clause rules.
    pub(super) fn check(&mut self) -> syn::Result<()> {
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
            } else if is_unit(&s) {
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
        if self.kind == Kind::Synapse && !self.on_pre.is_empty() && self.rule.is_none() {
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
        // the integrated variables (and a neuron's whole state) are a tuple of at most 12
        if self.eqs.len() > 12 {
            push(syn::Error::new(
                self.eqs[12].var.span(),
                "at most 12 differential equations",
            ));
        }
        if self.kind == Kind::Neuron && self.state.len() > 12 {
            push(syn::Error::new(
                self.state[12].name.span(),
                "a neuron has at most 12 state variables",
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
        } else if self.rule.is_none() {
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
        for list in [
            &mut self.reset,
            &mut self.on_pre,
            &mut self.on_spike,
            &mut self.on_post,
        ] {
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
        let increment =
            self.kind == Kind::Synapse && !self.on_pre.is_empty() && self.rule.is_none();
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
                    } else if is_unit(&s) {
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
        for a in &mut self.on_post {
            resolve_expr(
                &mut |f| a.value.visit_names_mut(f),
                discrete("`on_post`", false),
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
        for a in self
            .reset
            .iter()
            .chain(&self.on_pre)
            .chain(&self.on_spike)
            .chain(&self.on_post)
        {
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
}
