//! Declarative helpers that generate the parameter plumbing of every model.

/// Declares a model's parameter set: a struct of [`Param`](crate::param::Param)s with BrainPy's
/// defaults, its one-element twin, builder setters, shape checks and lookup by BrainPy keyword.
///
/// ```text
/// model_params! {
///     LifParams / LifScalar for LifBuilder {
///         /// Membrane resistance R.
///         r: ElectricalResistance = 1.0 * ohm, "R";
///         ...
///     }
/// }
/// ```
macro_rules! model_params {
    (
        $(#[$meta:meta])*
        $Params:ident / $Scalar:ident for $Builder:ident $(<$gen:ident : $bound:path>)? {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $default:expr, $bp:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
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
