//! Declarative helpers that generate the parameter plumbing of every model.

/// Declares a model's parameter set: a struct of [`Param`](crate::param::Param)s with BrainPy's
/// defaults, its one-element twin, builder setters, shape checks, lookup by BrainPy keyword and
/// its constraints ([`crate::constraint`]: checked by `check_constraints`, and with the feature
/// `proptest` turned into `strategy()` and `violations()`).
///
/// ```text
/// model_params! {
///     LifParams / LifScalar for LifBuilder {
///         /// Membrane resistance R.
///         r: ElectricalResistance = 1.0 * ohm, "R" where > 0;
///         /// Reset potential.
///         v_reset: ElectricPotential = -60.0 * mV, "V_reset" where < v_th;
///         ...
///     }
/// }
/// ```
macro_rules! model_params {
    (
        $(#[$meta:meta])*
        $Params:ident / $Scalar:ident for $Builder:ident $(<$gen:ident : $bound:path>)? {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $default:expr, $bp:literal
               $(where $($op:tt $rhs:tt)&&+)? ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq)]
        pub struct $Params {
            $( $(#[$fmeta])* pub $field: $crate::param::Param<$ty>, )*
        }

        impl Default for $Params {
            fn default() -> Self {
                Self { $( $field: $crate::param::Param::Scalar($default), )* }
            }
        }

        #[doc = concat!("The parameters of one element (see [`", stringify!($Params), "`]).")]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $Scalar {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $Params {
            /// `(Rust field, BrainPy keyword)` pairs.
            pub const NAMES: &'static [(&'static str, &'static str)] = &[ $( (stringify!($field), $bp), )* ];

            /// `(BrainPy keyword, canonical unit symbol)` of every parameter, e.g. for setting
            /// them from text with [`ModelBuilder::set`](crate::neuron::ModelBuilder::set).
            pub fn keywords() -> ::std::vec::Vec<(&'static str, &'static str)> {
                ::std::vec![ $( ($bp, <$ty as neurotype_units::Unitful>::canonical_symbol()), )* ]
            }

            /// The shared values, when every parameter is shared.
            #[inline(always)]
            pub fn uniform(&self) -> Option<$Scalar> {
                Some($Scalar { $( $field: self.$field.scalar()?, )* })
            }

            /// The values of element `i`.
            #[inline(always)]
            pub fn at(&self, i: usize) -> $Scalar {
                $Scalar { $( $field: self.$field.at(i), )* }
            }

            /// Checks the size `n` (1 to 2³², neuron indices are 32-bit; at least
            /// [`MIN_BYTES_PER_ELEMENT`](crate::param::MIN_BYTES_PER_ELEMENT) bytes each must
            /// fit in memory), that every per-element vector has length 1 or `n` and every
            /// value is finite.
            pub fn check_shapes(&self, owner: &str, n: usize) -> Result<(), neurotype_units::InvalidParameter> {
                neurotype_units::check::size(owner, "size", n)?;
                neurotype_units::check::memory(
                    owner,
                    "size",
                    n as f64 * $crate::param::MIN_BYTES_PER_ELEMENT,
                )?;
                $( self.$field.check_shape(owner, $bp, n)?; )*
                Ok(())
            }

            /// Sets the parameter BrainPy calls `name` from text such as `"5 ms"`. Returns
            /// `Ok(false)` when no parameter has that name.
            pub fn set_by_name(&mut self, name: &str, text: &str) -> Result<bool, neurotype_units::ParseQuantityError> {
                $(
                    if name == $bp {
                        self.$field = $crate::param::Param::Scalar(
                            <$ty as neurotype_units::Unitful>::parse(text)?,
                        );
                        return Ok(true);
                    }
                )*
                Ok(false)
            }
        }

        $crate::__constrained_params! {
            $Params { $( $field : $ty, $bp $(, $($op $rhs)&&+)? ; )* }
        }

        impl $crate::param::ParamSet<$Scalar> for $Params {
            #[inline(always)]
            fn uniform(&self) -> Option<$Scalar> {
                $Params::uniform(self)
            }
            #[inline(always)]
            fn at(&self, i: usize) -> $Scalar {
                $Params::at(self, i)
            }
        }

        impl$(<$gen: $bound>)? $Builder$(<$gen>)? {
            /// Sets every parameter at once (e.g. a set drawn by `strategy()`).
            pub fn params(mut self, params: $Params) -> Self {
                self.params = params;
                self
            }

            $(
                $(#[$fmeta])*
                #[doc = concat!("BrainPy: `", $bp, "`. A quantity, or a `Vec` with one per element.")]
                pub fn $field(mut self, value: impl Into<$crate::param::Param<$ty>>) -> Self {
                    self.params.$field = value.into();
                    self
                }
            )*
        }
    };
}

pub(crate) use model_params;

/// The constraint machinery of a parameter set, shared by [`model_params!`] (built-in models)
/// and the equation DSL: `Debug` with units, [`ConstrainedParams`](crate::constraint::ConstrainedParams),
/// `check_constraints`, and with the feature `proptest` `strategy()` and `violations()`.
#[doc(hidden)]
#[macro_export]
macro_rules! __constrained_params {
    (
        $Params:ident { $( $field:ident : $ty:ty, $bp:expr $(, $($op:tt $rhs:tt)&&+)? ; )* }
    ) => {
        /// Each parameter by its keyword, with its unit: `LifParams { tau: 10 ms, .. }`.
        impl ::core::fmt::Debug for $Params {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(stringify!($Params))
                    $( .field($bp, &::core::format_args!("{}", self.$field.shown())) )*
                    .finish()
            }
        }

        impl $crate::constraint::ConstrainedParams for $Params {
            const CONSTRAINTS: $crate::constraint::ConstraintTable = &[
                $( (stringify!($field), $bp, &[ $( $( $crate::__constraint!($op $rhs) ),+ )? ]), )*
            ];

            fn check_constraints(
                &self,
                owner: &str,
                n: usize,
            ) -> Result<(), $crate::__private::units::InvalidParameter> {
                let __s = self;
                $( $( $( $crate::__check_constraint!(__s, owner, n, $field, $bp, $op $rhs); )+ )? )*
                let _ = (__s, owner, n);
                Ok(())
            }

            fn set_default(&mut self, field: &str) {
                let d = Self::default();
                $( if field == stringify!($field) {
                    self.$field = d.$field;
                    return;
                } )*
            }

            fn shown(&self, field: &str) -> ::std::string::String {
                $( if field == stringify!($field) {
                    return self.$field.shown();
                } )*
                ::std::string::String::new()
            }
        }

        impl $Params {
            /// Checks every declared constraint (`tau > 0`, `V_reset < V_th`, …) for a
            /// population of `n`; the error names the parameter, its value and what is allowed.
            pub fn check_constraints(
                &self,
                owner: &str,
                n: usize,
            ) -> Result<(), $crate::__private::units::InvalidParameter> {
                <Self as $crate::constraint::ConstrainedParams>::check_constraints(self, owner, n)
            }
        }

        $crate::__if_proptest! {
        impl $Params {
            /// Draws parameter sets the builder accepts, each parameter shared, around BrainPy's
            /// defaults within the declared constraints (see [`crate::strategy`]).
            pub fn strategy() -> $crate::strategy::proptest::strategy::BoxedStrategy<Self> {
                use $crate::strategy::proptest::strategy::Strategy;
                let d = Self::default();
                let fields = ::std::vec![
                    $( $crate::strategy::raw_values::<$ty>(
                        d.$field.at(0),
                        &[ $( $( $crate::__constraint!($op $rhs) ),+ )? ],
                    ), )*
                ];
                fields
                    .prop_map(|raw| {
                        let mut raw = raw.into_iter();
                        Self { $( $field: $crate::param::Param::Scalar(
                            <$ty as $crate::__private::units::Raw>::from_raw(raw.next().expect("one per parameter")),
                        ), )* }
                    })
                    .prop_filter("the relations between parameters", |p| {
                        p.check_constraints("", 1).is_ok()
                    })
                    .boxed()
            }

            /// For every declared constraint, this set with that parameter just outside it:
            /// `(keyword, set)` pairs, each of which the builder must refuse naming `keyword`.
            pub fn violations(&self) -> ::std::vec::Vec<(&'static str, Self)> {
                let mut out = ::std::vec::Vec::new();
                let d = Self::default();
                $(
                    let declared: &[$crate::constraint::Constraint] =
                        &[ $( $( $crate::__constraint!($op $rhs) ),+ )? ];
                    for &c in declared {
                        let scale = $crate::constraint::scale_of(d.$field.at(0));
                        let outside = match c {
                            $crate::constraint::Constraint::Relation(order, other) => {
                                ::std::vec![$crate::constraint::Constraint::outside_relation(
                                    order,
                                    self.raw_of(other),
                                    scale,
                                )]
                            }
                            c => c.outside(scale),
                        };
                        for raw in outside {
                            let mut bad = self.clone();
                            bad.$field = $crate::param::Param::Scalar(
                                <$ty as $crate::__private::units::Raw>::from_raw(raw),
                            );
                            out.push(($bp, bad));
                        }
                    }
                )*
                out
            }

            /// The stored number of a parameter named by its field (its first element).
            fn raw_of(&self, field: &str) -> $crate::__private::units::Real {
                $( if field == stringify!($field) {
                    return $crate::__private::units::Raw::raw(self.$field.at(0));
                } )*
                panic!("no parameter {field}")
            }
        }
        }
    };
}

/// Its input when the models were built with the feature `proptest`, nothing otherwise.
#[cfg(feature = "proptest")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_proptest {
    ($($t:tt)*) => { $($t)* };
}

/// Its input when the models were built with the feature `proptest`, nothing otherwise.
#[cfg(not(feature = "proptest"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_proptest {
    ($($t:tt)*) => {};
}
