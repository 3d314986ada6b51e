//! Errors of network construction and running.

use neurotype_units::InvalidParameter;

/// Why a network component could not be built or run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkError {
    /// A parameter is impossible.
    #[error(transparent)]
    Invalid(#[from] InvalidParameter),
    /// Two sizes that must agree do not.
    #[error("{what}: size mismatch: {left_name} has {left} elements but {right_name} has {right}")]
    SizeMismatch {
        /// The component being built.
        what: String,
        /// Name of the first size.
        left_name: String,
        /// The first size.
        left: usize,
        /// Name of the second size.
        right_name: String,
        /// The second size.
        right: usize,
    },
    /// A handle or a name does not refer to anything in this network.
    #[error("{0}")]
    NotFound(String),
    /// A handle of another network was given to this one.
    #[error("{0}")]
    ForeignHandle(String),
    /// Writing results failed.
    #[error("I/O error writing {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        message: String,
    },
}

impl NetworkError {
    /// A size mismatch between two named things.
    pub fn size_mismatch(
        what: impl Into<String>,
        left_name: impl Into<String>,
        left: usize,
        right_name: impl Into<String>,
        right: usize,
    ) -> Self {
        NetworkError::SizeMismatch {
            what: what.into(),
            left_name: left_name.into(),
            left,
            right_name: right_name.into(),
            right,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<std::path::Path>, e: impl std::fmt::Display) -> Self {
        NetworkError::Io {
            path: path.as_ref().display().to_string(),
            message: e.to_string(),
        }
    }
}
