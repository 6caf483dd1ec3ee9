//! Autosave for crash recovery: while the scenario has unsaved changes, it is written every
//! few seconds to a draft named after the file it was edited from (a hash of the file's
//! canonical path; "untitled" and the window's instance id for a scenario with no file); on
//! the next start the app offers the newest draft, whatever process wrote it, with its time.
//! A draft whose file was saved after the draft was written is discarded with a note, never
//! offered over the newer file. Drafts are read through the guarded reader.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::disk::{DiskStamp, content_hash};
use crate::files;
use crate::scenario::limits::MAX_FILE_BYTES;
use crate::scenario::{self, Scenario};

/// How often unsaved changes are written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// The most a draft's description (`.json`) may hold.
const MAX_INFO_BYTES: u64 = 64 * 1024;

/// Where recovery files live (one folder per user) and which window this is.
#[derive(Clone, Debug)]
pub struct Recovery {
    dir: PathBuf,
    /// This window's instance id (process id and start time): names the draft of an
    /// untitled scenario and tells this window's drafts from another's.
    instance: String,
}

/// What the recovery file says about the draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftInfo {
    /// The file the draft was edited from, if any.
    pub original: Option<PathBuf>,
    /// Display name of the draft.
    pub name: String,
    /// Seconds since the Unix epoch when it was written.
    pub written_at: u64,
    /// The instance id of the window that wrote it.
    #[serde(default)]
    pub instance: String,
    /// Content hash of the file as it was when the edits began (loaded or last saved).
    #[serde(default)]
    pub base_hash: Option<u64>,
}

/// A draft found at start.
#[derive(Clone, Debug)]
pub struct Draft {
    pub scenario: Scenario,
    pub info: DraftInfo,
    /// The scenario as loaded or last saved when the edits began (`draft-<key>.base.ron`),
    /// for putting the draft's changes on a file that changed since.
    pub base: Option<Scenario>,
    /// The key that names its files (`draft-<key>.ron`, `draft-<key>.json`).
    pub key: String,
}

/// What the recovery folder held at start: the draft to offer (the newest), and a note for
/// each draft discarded because its file was saved after it.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub offered: Option<Draft>,
    pub discarded: Vec<String>,
}

/// The key of the draft of `original` (`file-` and a hash of its canonical path), or of an
/// untitled scenario in window `instance`.
pub fn draft_key(original: Option<&Path>, instance: &str) -> String {
    match original {
        Some(p) => {
            let canonical = fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            let hash = content_hash(canonical.as_os_str().as_encoded_bytes());
            format!("file-{hash:016x}")
        }
        None => format!("untitled-{instance}"),
    }
}

/// Seconds since the Unix epoch (0 when the clock is before it).
fn epoch_secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `secs` since the Unix epoch as "YYYY-MM-DD HH:MM UTC".
pub fn utc_time(secs: u64) -> String {
    let rem = secs % 86_400;
    format!(
        "{} {:02}:{:02} UTC",
        crate::text::civil_date((secs / 86_400) as i64),
        rem / 3600,
        rem % 3600 / 60
    )
}

impl Recovery {
    /// Autosave into `dir` (created on the first save).
    pub fn new(dir: PathBuf) -> Self {
        let started = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Recovery {
            dir,
            instance: format!("{}-{:x}", std::process::id(), started % (1 << 48)),
        }
    }

    /// `$XDG_DATA_HOME/armistice/recovery` (or `~/.local/share/armistice/recovery`).
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
        Some(base.join("armistice").join("recovery"))
    }

    fn scenario_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("draft-{key}.ron"))
    }

    fn info_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("draft-{key}.json"))
    }

    fn base_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("draft-{key}.base.ron"))
    }

    /// The draft file this window would write for `original` now (for tests and
    /// messages).
    pub fn draft_path(&self, original: Option<&Path>) -> PathBuf {
        self.scenario_path(&self.own_key(original))
    }

    /// The key this window writes the draft of `original` under: the file's key, unless
    /// another window's draft of the same file is there (two windows on one file, or a
    /// draft not yet restored); then the file's key and this window's instance id, so that
    /// neither draft replaces the other.
    fn own_key(&self, original: Option<&Path>) -> String {
        let key = draft_key(original, &self.instance);
        if original.is_none() {
            return key;
        }
        let other = files::read_limited(&self.info_path(&key), MAX_INFO_BYTES)
            .ok()
            .and_then(|b| serde_json::from_slice::<DraftInfo>(&b).ok())
            .is_some_and(|i| i.instance != self.instance);
        if other || (self.scenario_path(&key).exists() && !self.info_path(&key).exists()) {
            format!("{key}-{}", self.instance)
        } else {
            key
        }
    }

    /// Writes the draft of `original` (crash-safely); returns its key. `base` is the content
    /// hash of the file as loaded or last saved, and the scenario it held.
    pub fn save(
        &self,
        scenario: &Scenario,
        original: Option<&Path>,
        name: &str,
        base: Option<(u64, &Scenario)>,
    ) -> Result<String, String> {
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let key = self.own_key(original);
        let text = scenario::to_ron_string(scenario).map_err(|e| e.to_string())?;
        let info = DraftInfo {
            original: original.map(Path::to_path_buf),
            name: name.to_string(),
            written_at: epoch_secs(SystemTime::now()),
            instance: self.instance.clone(),
            base_hash: base.map(|(h, _)| h),
        };
        let info = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?;
        if let Some((_, base)) = base {
            let base = scenario::to_ron_string(base).map_err(|e| e.to_string())?;
            scenario::io::write_atomic(&self.base_path(&key), base.as_bytes())
                .map_err(|e| e.to_string())?;
        }
        scenario::io::write_atomic(&self.scenario_path(&key), text.as_bytes())
            .map_err(|e| e.to_string())?;
        scenario::io::write_atomic(&self.info_path(&key), info.as_bytes())
            .map_err(|e| e.to_string())?;
        Ok(key)
    }

    /// Reads the draft named `key` through the guarded reader; `None` when it is missing,
    /// not a regular file, too large or does not parse (then it is left for the user to
    /// inspect).
    fn read(&self, key: &str) -> Option<Draft> {
        let bytes = files::read_limited(&self.scenario_path(key), MAX_FILE_BYTES).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let scenario = scenario::parse_str(&text, "recovered draft").ok()?;
        let info = files::read_limited(&self.info_path(key), MAX_INFO_BYTES)
            .ok()
            .and_then(|b| serde_json::from_slice::<DraftInfo>(&b).ok())
            .unwrap_or(DraftInfo {
                original: None,
                name: "recovered draft".into(),
                written_at: 0,
                instance: String::new(),
                base_hash: None,
            });
        let base = files::read_limited(&self.base_path(key), MAX_FILE_BYTES)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| scenario::parse_str(&t, "recovered draft's base").ok());
        Some(Draft {
            scenario,
            info,
            base,
            key: key.to_string(),
        })
    }

    /// The newest draft another window left, whatever process wrote it; drafts whose file
    /// was saved after them are removed, each with a note.
    pub fn load(&self) -> Found {
        let mut found = Found::default();
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return found;
        };
        let mut drafts: Vec<Draft> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(key) = name
                .strip_prefix("draft-")
                .and_then(|r| r.strip_suffix(".ron"))
                .filter(|k| !k.ends_with(".base"))
            else {
                continue;
            };
            let Some(draft) = self.read(key) else {
                continue;
            };
            if draft.info.instance == self.instance {
                continue;
            }
            if let Some(saved_at) = saved_after(&draft) {
                found.discarded.push(format!(
                    "Discarded the unsaved changes to {} from {}: the file was saved after \
                     them ({}).",
                    draft.info.name,
                    utc_time(draft.info.written_at),
                    utc_time(saved_at)
                ));
                self.remove(&draft.key);
                continue;
            }
            drafts.push(draft);
        }
        found.offered = drafts.into_iter().max_by_key(|d| d.info.written_at);
        found
    }

    /// Removes this window's draft named `key` (after a save or a discard); a draft of the
    /// same file written since by another window is left alone.
    pub fn clear(&self, key: &str) {
        let mine = files::read_limited(&self.info_path(key), MAX_INFO_BYTES)
            .ok()
            .and_then(|b| serde_json::from_slice::<DraftInfo>(&b).ok())
            .is_none_or(|i| i.instance == self.instance);
        if mine {
            self.remove(key);
        }
    }

    /// Removes the draft named `key`, whoever wrote it (once it is restored or discarded).
    pub fn remove(&self, key: &str) {
        for p in [
            self.scenario_path(key),
            self.info_path(key),
            self.base_path(key),
        ] {
            let _ = fs::remove_file(&p);
            let _ = fs::remove_file(scenario::io::backup_path(&p));
        }
    }
}

/// When the draft's file was saved after the draft was written (its content is no longer the
/// draft's base and its modification time is later): that time, in seconds since the epoch.
fn saved_after(draft: &Draft) -> Option<u64> {
    let original = draft.info.original.as_deref()?;
    let modified = epoch_secs(fs::metadata(original).ok()?.modified().ok()?);
    if modified <= draft.info.written_at {
        return None;
    }
    match (draft.info.base_hash, DiskStamp::read(original)) {
        (Some(base), Ok((_, now))) if now.hash == base => None,
        _ => Some(modified),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(rec: &Path, instance: &str) -> Recovery {
        Recovery {
            dir: rec.to_path_buf(),
            instance: instance.into(),
        }
    }

    #[test]
    fn a_draft_is_offered_whatever_process_wrote_it_but_not_to_its_own_window() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("rec");
        let sc = scenario::builtin_baseline().unwrap().into_inner();
        // The same process id as this one: a reused id does not hide the draft.
        let crashed = window(&rec, &format!("{}-1", std::process::id()));
        let key = crashed.save(&sc, None, "untitled.ron", None).unwrap();
        assert!(key.starts_with("untitled-"));
        let me = Recovery::new(rec.clone());
        let found = me.load();
        let d = found.offered.unwrap();
        assert_eq!(d.scenario, sc);
        assert_eq!(d.key, key);
        assert!(found.discarded.is_empty());
        // The window that wrote it is not offered its own draft.
        assert!(crashed.load().offered.is_none());
        me.remove(&d.key);
        assert!(me.load().offered.is_none());
    }

    #[test]
    fn a_file_has_a_draft_named_by_its_path_and_two_windows_never_replace_each_others() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("rec");
        let file = dir.path().join("a.ron");
        fs::write(&file, scenario::BUILTIN_BASELINE).unwrap();
        let sc = scenario::builtin_baseline().unwrap().into_inner();
        let (one, two) = (window(&rec, "1-a"), window(&rec, "2-b"));
        // Another spelling of the same path names the same draft.
        let other_spelling = dir.path().join(".").join("a.ron");
        assert_eq!(
            one.draft_path(Some(&file)),
            two.draft_path(Some(&other_spelling))
        );
        let key_one = one.save(&sc, Some(&file), "a.ron", None).unwrap();
        assert_eq!(key_one, draft_key(Some(&file), "1-a"));
        // A second window on the same file writes beside it, not over it, and goes on
        // writing there.
        let mut theirs = sc.clone();
        theirs.meta.title = "Second window".into();
        let key_two = two.save(&theirs, Some(&file), "a.ron", None).unwrap();
        assert_ne!(key_two, key_one);
        assert_eq!(
            two.save(&theirs, Some(&file), "a.ron", None).unwrap(),
            key_two
        );
        assert_eq!(one.save(&sc, Some(&file), "a.ron", None).unwrap(), key_one);
        assert_eq!(one.read(&key_one).unwrap().scenario, sc);
        assert_eq!(two.read(&key_two).unwrap().scenario, theirs);
        // A window clears only its own draft, even when asked for the other's.
        one.clear(&key_two);
        assert!(two.read(&key_two).is_some());
        one.clear(&key_one);
        assert!(one.read(&key_one).is_none());
        two.clear(&key_two);
        assert!(two.read(&key_two).is_none());
    }

    #[test]
    fn a_draft_older_than_a_save_of_its_file_is_discarded_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("rec");
        let file = dir.path().join("a.ron");
        fs::write(&file, scenario::BUILTIN_BASELINE).unwrap();
        let base = content_hash(scenario::BUILTIN_BASELINE.as_bytes());
        let sc = scenario::builtin_baseline().unwrap().into_inner();
        let crashed = window(&rec, "1-a");
        let key = crashed
            .save(&sc, Some(&file), "a.ron", Some((base, &sc)))
            .unwrap();
        // The draft was written an hour before the file was last saved.
        let info_path = crashed.info_path(&key);
        let mut info: DraftInfo =
            serde_json::from_str(&fs::read_to_string(&info_path).unwrap()).unwrap();
        info.written_at = epoch_secs(SystemTime::now()) - 3_600;
        fs::write(&info_path, serde_json::to_string(&info).unwrap()).unwrap();
        // Only touched since: the same content is not newer work, the draft is offered.
        let me = Recovery::new(rec.clone());
        assert!(me.load().offered.is_some());
        // Saved with other content: discarded, with a note that names the file and times.
        fs::write(
            &file,
            scenario::BUILTIN_BASELINE.replace("Late 2024", "Later"),
        )
        .unwrap();
        let found = me.load();
        assert!(found.offered.is_none());
        assert_eq!(found.discarded.len(), 1);
        assert!(
            found.discarded[0].contains("a.ron"),
            "{}",
            found.discarded[0]
        );
        assert!(found.discarded[0].contains("UTC"), "{}", found.discarded[0]);
        assert!(!crashed.draft_path(Some(&file)).exists());
    }

    #[test]
    fn times_are_shown_as_utc_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(1_709_210_096), "2024-02-29 12:34 UTC");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_an_oversized_draft_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("rec");
        fs::create_dir_all(&rec).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(rec.join("draft-untitled-9-9.ron"))
            .status()
            .unwrap();
        assert!(status.success());
        let big = rec.join("draft-untitled-8-8.ron");
        fs::write(&big, vec![b' '; MAX_FILE_BYTES as usize + 1]).unwrap();
        let start = std::time::Instant::now();
        assert!(Recovery::new(rec).load().offered.is_none());
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}
