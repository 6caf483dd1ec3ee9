//! Reading and writing scenario files: size limit, RON parsing with positions, validation,
//! pretty printing in a stable field order, and crash-safe saving.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::error::{LoadError, SaveError};
use super::limits::{MAX_FILE_BYTES, MAX_MESSAGE_CHARS, MAX_NESTING};
use super::types::Scenario;
use super::validate::{ValidScenario, validate};
use crate::text::clip;

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

fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// Parses RON text into a scenario without validating it. `file` labels error messages.
pub fn parse_str(text: &str, file: &str) -> Result<Scenario, LoadError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: text.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    options()
        .from_str::<Scenario>(text)
        .map_err(|e| LoadError::Syntax {
            file: file.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: syntax_message(&e.code),
        })
}

fn syntax_message(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => format!(
            "brackets are nested more than {MAX_NESTING} deep; a scenario never needs that many"
        ),
        // The parser quotes the file (e.g. an unknown field's name): keep that short.
        other => clip(&other.to_string(), MAX_MESSAGE_CHARS),
    }
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
    load_str(&text, &path.display().to_string())
}

/// Reads a scenario file's text, refusing files over the size limit before reading them.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: file.clone(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = fs::read(path).map_err(io)?;
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

/// The backup kept next to a saved file: `name.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Saves a scenario crash-safely: writes a temporary file in the same folder, flushes and
/// syncs it, keeps the previous version as `name.bak`, then renames the new file over the
/// original. At every moment the path holds either the old or the new complete file.
pub fn save_file(path: &Path, scenario: &Scenario) -> Result<(), SaveError> {
    let text = to_ron_string(scenario)?;
    write_atomic(path, text.as_bytes())
}

/// Writes bytes to `path` through a synced temporary file and an atomic rename, keeping the
/// previous content as a `.bak` backup.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let file = path.display().to_string();
    let io = |source| SaveError::Io {
        file: file.clone(),
        source,
    };
    // Saving through a symbolic link updates the file it points to, and keeps the link.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(io)?,
        _ => path.to_path_buf(),
    };
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario.ron".into());
    let tmp = dir.join(format!(".{base}.{}.tmp", std::process::id()));
    let bak_tmp = dir.join(format!(".{base}.{}.bak.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        if let Ok(meta) = fs::metadata(path) {
            // The new file keeps the old one's permissions.
            fs::set_permissions(&tmp, meta.permissions())?;
            let bak = backup_path(path);
            fs::copy(path, &bak_tmp)?;
            fs::File::open(&bak_tmp)?.sync_all()?;
            fs::rename(&bak_tmp, &bak)?;
        }
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(&dir) {
            // Make the rename itself durable; not every platform can sync a folder.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(&bak_tmp);
    }
    result.map_err(io)
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
