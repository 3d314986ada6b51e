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
    /// A combination neurotype does not run (named in the message, with what to do instead).
    #[error("{0}")]
    Unsupported(String),
    /// A handle of another network was given to this one.
    #[error("{0}")]
    ForeignHandle(String),
    /// A state became NaN or infinite during a run (see [`health`](crate::health)).
    #[error(
        "{owner}: `{variable}` of element {element} is {value} (found at step {step}, t = {time}); \
         the run stopped. The integration is unstable: a smaller dt, another integrator or a \
         weaker input may help (Network::check_finite_every(0) turns this check off)"
    )]
    Diverged {
        /// The population, synapse group or projection.
        owner: String,
        /// The variable.
        variable: String,
        /// The element.
        element: usize,
        /// The value found.
        value: f64,
        /// The step at which it was found (it may have happened up to one check interval
        /// earlier).
        step: u64,
        /// That step's time, with its unit.
        time: String,
    },
    /// A monitor stream that cannot be opened or read.
    #[error("monitor stream: {0}")]
    Stream(String),
    /// A checkpoint that cannot be loaded: not a checkpoint, damaged, of another format
    /// version, or of a network of another structure (the message names the first difference).
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// Reading or writing a file failed.
    #[error("I/O error on {}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What the operating system said.
        #[source]
        source: IoError,
    },
}

/// An [`std::io::Error`] that can be cloned and compared (by kind and message), so that
/// [`NetworkError`] stays `Clone + PartialEq` and still hands out the original error as its
/// [`source`](std::error::Error::source).
#[derive(Debug, Clone)]
pub struct IoError(pub std::sync::Arc<std::io::Error>);

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl PartialEq for IoError {
    fn eq(&self, other: &Self) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
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
    pub fn io(path: impl AsRef<std::path::Path>, e: std::io::Error) -> Self {
        NetworkError::Io {
            path: path.as_ref().to_path_buf(),
            source: IoError(std::sync::Arc::new(e)),
        }
    }
}
