//! Reading and writing scenario files: size limit, RON parsing with positions, validation,
//! pretty printing in a stable field order, and crash-safe saving.

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::diagnose::{options, parse_scenario};
use super::error::{LoadError, SaveError};
use super::limits::MAX_FILE_BYTES;
use super::patch::{Layout, patch_text};
use super::types::Scenario;
use super::validate::{ValidScenario, validate};
use crate::files::{self, ReadError, WriteOptions};

/// The built-in default scenario (the late-2024 baseline), compiled into the binary.
pub const BUILTIN_BASELINE: &str = include_str!("../../scenarios/baseline-2024.ron");
/// The label errors use for the built-in scenario.
pub const BUILTIN_LABEL: &str = "<built-in baseline>";

/// Every shipped scenario, compiled into the binary: (file name, text). The first is the
/// built-in baseline.
pub const SHIPPED: &[(&str, &str)] = &[
    ("baseline-2024.ron", BUILTIN_BASELINE),
    (
        "us-aid-stops.ron",
        include_str!("../../scenarios/us-aid-stops.ron"),
    ),
    (
        "europe-replaces-us.ron",
        include_str!("../../scenarios/europe-replaces-us.ron"),
    ),
    (
        "north-korea-surge.ron",
        include_str!("../../scenarios/north-korea-surge.ron"),
    ),
    (
        "teaching-arvenia-borsk.ron",
        include_str!("../../scenarios/teaching-arvenia-borsk.ron"),
    ),
];

/// Parses RON text into a scenario without validating it. `file` labels error messages. A
/// byte-order mark and CRLF line endings are accepted; errors say what is wrong and where
/// (`scenario::diagnose`).
pub fn parse_str(text: &str, file: &str) -> Result<Scenario, LoadError> {
    parse_scenario(text, file)
}

/// Parses and validates RON text. `file` labels error messages.
pub fn load_str(text: &str, file: &str) -> Result<ValidScenario, LoadError> {
    let scenario = parse_str(text, file)?;
    validate(scenario).map_err(|issues| LoadError::Invalid {
        file: file.to_string(),
        issues,
    })
}

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<ValidScenario, LoadError> {
    let text = read_text(path)?;
    let label = if files::read::is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    load_str(&text, &label)
}

/// Reads a scenario file's text (`-` reads standard input): only a regular file, at most
/// [`MAX_FILE_BYTES`] (refused from its size before reading); a FIFO, a device or a folder is
/// refused at once ([`crate::files::read`]).
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let file = if files::read::is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let bytes = files::read_limited(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::Io { source, .. } => LoadError::Io {
            file: file.clone(),
            source,
        },
        ReadError::TooLarge { size, .. } => match size.parse::<u64>() {
            Ok(size) => LoadError::TooLarge {
                file: file.clone(),
                size,
                limit: MAX_FILE_BYTES,
            },
            Err(_) => LoadError::Io {
                file: file.clone(),
                source: std::io::Error::other(format!(
                    "it holds more than {MAX_FILE_BYTES} bytes; scenario files may be at most \
                     {MAX_FILE_BYTES} bytes"
                )),
            },
        },
        ReadError::NotAFile { what, .. } => LoadError::Io {
            file: file.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{what}, not a regular file; give a scenario file (or `-` for standard input)"
                ),
            ),
        },
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        // The valid prefix is UTF-8: count lines and characters in it.
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::Syntax {
            file: file.clone(),
            line,
            column,
            message: format!(
                "the file is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8"
            ),
        }
    })
}

/// The built-in baseline, validated.
pub fn builtin_baseline() -> Result<ValidScenario, LoadError> {
    load_str(BUILTIN_BASELINE, BUILTIN_LABEL)
}

/// Writes a scenario as pretty RON in the stable field order of the format.
pub fn to_ron_string(scenario: &Scenario) -> Result<String, SaveError> {
    let config = PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .escape_strings(false)
        .extensions(Extensions::IMPLICIT_SOME);
    let body = options()
        .to_string_pretty(scenario, config)
        .map_err(|e| SaveError::Format(e.to_string()))?;
    let mut out = String::with_capacity(body.len() + 200);
    out.push_str("// Armistice scenario file: see docs/SCENARIO_FORMAT.md for every field.\n");
    out.push_str(&body);
    out.push('\n');
    Ok(out)
}

/// The newest backup kept next to a saved file: `name.ron.bak` (older ones are `.bak2`,
/// `.bak3`).
pub fn backup_path(path: &Path) -> PathBuf {
    files::write::backup_path(path, 1)
}

/// Saves a scenario in canonical form, crash-safely, keeping
/// `files::write::BACKUP_GENERATIONS` backups.
pub fn save_file(path: &Path, scenario: &Scenario) -> Result<(), SaveError> {
    let text = to_ron_string(scenario)?;
    save_text(path, &text)
}

/// Writes a scenario's text crash-safely, keeping `files::write::BACKUP_GENERATIONS`
/// backups (`.bak`, `.bak2`, `.bak3`).
fn save_text(path: &Path, text: &str) -> Result<(), SaveError> {
    files::write_file(path, text.as_bytes(), WriteOptions::default()).map_err(SaveError::Write)
}

/// Saves a scenario the user edited, changing in the file only what the user changed
/// (`scenario::patch`): the text patched is the file the scenario was opened from (`origin`,
/// read again now), or, for a shipped scenario or a new one from the template, the text that
/// `loaded` (the scenario as opened) came from; with neither, the canonical text is written. Written crash-safely
/// ([`write_atomic`]). Returns how the text was laid out.
pub fn save_edited(
    path: &Path,
    scenario: &Scenario,
    origin: Option<&Path>,
    loaded: &Scenario,
) -> Result<Layout, SaveError> {
    let base = origin.and_then(|p| read_text(p).ok()).or_else(|| {
        SHIPPED
            .iter()
            .copied()
            .chain([("template.ron", super::template::TEMPLATE)])
            .find(|(name, text)| parse_str(text, name).is_ok_and(|sc| sc == *loaded))
            .map(|(_, text)| text.to_string())
    });
    let (text, layout) = match base {
        Some(base) => patch_text(&base, scenario)?,
        None => (to_ron_string(scenario)?, Layout::Canonical),
    };
    save_text(path, &text)?;
    Ok(layout)
}

/// Writes bytes to `path` through the crash-safe writer (`files::write`): a synced
/// temporary file with the target's permissions renamed over it, the previous version kept
/// as `.bak` (one generation: exports and recovery drafts; scenario saves keep three);
/// links written through; folders, devices and read-only files refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let options = WriteOptions {
        backups: 1,
        ..WriteOptions::default()
    };
    files::write_file(path, bytes, options).map_err(SaveError::Write)
}

/// A short stable hash of a scenario (FNV-1a 64 of its canonical RON), for export stamps.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let text = to_ron_string(scenario).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[cfg(unix)]
    #[test]
    fn saving_keeps_permissions_and_links() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(fs::read_to_string(backup_path(&real)).unwrap(), "old");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
