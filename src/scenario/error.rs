//! Errors of loading a scenario: reading the file, its syntax (with line and column), and
//! its validity (with the field path and the offending value).

use std::fmt;

/// One problem found by validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Field path, e.g. `bargaining.packages[2].territory`.
    pub path: String,
    /// What is wrong and what was expected, e.g. `must be within 0..=1, got 1.4`.
    pub message: String,
}

impl Issue {
    /// A problem at a field path.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a scenario could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file, as the user named it.
        file: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than the limit.
    #[error("{file}: the file is {size} bytes; scenario files may be at most {limit} bytes")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size in bytes.
        size: u64,
        /// The largest size allowed, in bytes.
        limit: u64,
    },
    /// The file is not valid RON for a scenario.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The file parsed but its values are not valid.
    #[error("{}", format_invalid(file, issues))]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found, with its field path.
        issues: Vec<Issue>,
    },
}

impl LoadError {
    /// Every problem as one line `file:line:column: message` or `file: path: message`.
    pub fn lines(&self) -> Vec<String> {
        match self {
            LoadError::Invalid { file, issues } => {
                issues.iter().map(|i| format!("{file}: {i}")).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

fn format_invalid(file: &str, issues: &[Issue]) -> String {
    let mut s = format!(
        "{file}: {} problem{} found:",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" }
    );
    for i in issues {
        s.push_str("\n  ");
        s.push_str(&i.to_string());
    }
    s
}

/// Why a scenario could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file (or its temporary or backup copy) could not be written.
    #[error("{file}: cannot write the scenario: {source}")]
    Io {
        /// The file.
        file: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The scenario could not be written as RON.
    #[error("cannot write the scenario as RON: {0}")]
    Format(String),
    /// The crash-safe writer refused the target or failed.
    #[error(transparent)]
    Write(crate::files::WriteError),
}
