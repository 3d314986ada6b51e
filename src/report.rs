//! [`Report`]: what `main` returns, so that a failed run prints a sentence, not a struct.
//!
//! `fn main() -> Result<(), E>` prints `E` with `Debug`; for neurotype's errors that is the
//! enum's fields (`SizeMismatch { what: "AlignPostProj", … }`). `Report` holds any error and
//! prints it with `Display`, followed by the chain of its [`source`](Error::source)s:
//!
//! ```no_run
//! use neurotype::prelude::*;
//!
//! fn main() -> Result<(), Report> {
//!     let dt = TimeStep::new(-0.1 * ms)?; // rejected where it enters
//!     println!("{}", dt.get().show());
//!     Ok(())
//! }
//! ```
//!
//! prints ``Error: TimeStep: `dt` = -0.1 ms is not allowed: …`` and exits with status 1.

use std::error::Error;
use std::fmt;

/// Any error, printed for a person: its message, then `Caused by:` and each source's message.
pub struct Report(Box<dyn Error + Send + Sync + 'static>);

impl Report {
    /// A report of a plain message (a command-line argument that makes no sense, say).
    pub fn msg(message: impl Into<String>) -> Self {
        Report(Box::new(Message(message.into())))
    }

    /// The error it holds.
    pub fn error(&self) -> &(dyn Error + Send + Sync + 'static) {
        &*self.0
    }
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Message {}

impl<E: Error + Send + Sync + 'static> From<E> for Report {
    fn from(e: E) -> Self {
        Report(Box::new(e))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// `main` prints its error with `Debug`: this `Debug` is the readable form.
impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = self.0.to_string();
        write!(f, "{last}")?;
        let mut heading = false;
        let mut source = self.0.source();
        while let Some(s) = source {
            // a source whose message ends the one before (thiserror's `transparent`, or a
            // message written "…: {source}") is not repeated
            let text = s.to_string();
            if !last.ends_with(&text) {
                if !heading {
                    write!(f, "\n\nCaused by:")?;
                    heading = true;
                }
                write!(f, "\n    {text}")?;
            }
            last = text;
            source = s.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer failed")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn debug_is_the_message_and_its_causes() {
        let r: Report = Outer(std::io::Error::other("disk full")).into();
        assert_eq!(
            format!("{r:?}"),
            "outer failed\n\nCaused by:\n    disk full"
        );
        let r: Report = std::io::Error::other("plain").into();
        assert_eq!(format!("{r:?}"), "plain");
    }

    #[test]
    fn a_source_already_in_the_message_is_not_repeated() {
        let e = neurotype_network::NetworkError::io(
            "/nowhere/x.csv",
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
        );
        assert!(e.source().is_some());
        let r: Report = e.into();
        assert_eq!(
            format!("{r:?}"),
            "I/O error on /nowhere/x.csv: no such directory"
        );
    }
}
