//! Autosave for crash recovery: while the scenario has unsaved changes, it is written every
//! few seconds to a recovery file; on the next start the app offers to restore it. The file
//! is removed once the changes are saved or discarded.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::scenario::{self, Scenario};

/// How often unsaved changes are written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// Where recovery files live (one folder per user).
#[derive(Clone, Debug)]
pub struct Recovery {
    dir: PathBuf,
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
}

/// A draft found at start.
#[derive(Clone, Debug)]
pub struct Draft {
    pub scenario: Scenario,
    pub info: DraftInfo,
}

impl Recovery {
    pub fn new(dir: PathBuf) -> Self {
        Recovery { dir }
    }

    /// `$XDG_DATA_HOME/armistice/recovery` (or `~/.local/share/armistice/recovery`).
    pub fn default_dir() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
        Some(base.join("armistice").join("recovery"))
    }

    fn scenario_path(&self) -> PathBuf {
        self.dir.join("draft.ron")
    }

    fn info_path(&self) -> PathBuf {
        self.dir.join("draft.json")
    }

    /// Writes the draft (crash-safely).
    pub fn save(
        &self,
        scenario: &Scenario,
        original: Option<&Path>,
        name: &str,
    ) -> Result<(), String> {
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let text = scenario::to_ron_string(scenario).map_err(|e| e.to_string())?;
        let info = DraftInfo {
            original: original.map(Path::to_path_buf),
            name: name.to_string(),
            written_at: SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let info = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?;
        scenario::io::write_atomic(&self.scenario_path(), text.as_bytes())
            .map_err(|e| e.to_string())?;
        scenario::io::write_atomic(&self.info_path(), info.as_bytes()).map_err(|e| e.to_string())
    }

    /// The draft left by a previous session, if any. A draft that no longer parses is
    /// ignored (and left in place for the user to inspect).
    pub fn load(&self) -> Option<Draft> {
        let text = fs::read_to_string(self.scenario_path()).ok()?;
        let scenario = scenario::parse_str(&text, "recovered draft").ok()?;
        let info = fs::read_to_string(self.info_path())
            .ok()
            .and_then(|t| serde_json::from_str::<DraftInfo>(&t).ok())
            .unwrap_or(DraftInfo {
                original: None,
                name: "recovered draft".into(),
                written_at: 0,
            });
        Some(Draft { scenario, info })
    }

    /// Removes the draft (after a save or a discard).
    pub fn clear(&self) {
        let _ = fs::remove_file(self.scenario_path());
        let _ = fs::remove_file(self.info_path());
        let _ = fs::remove_file(backup_of(&self.scenario_path()));
        let _ = fs::remove_file(backup_of(&self.info_path()));
    }
}

fn backup_of(p: &Path) -> PathBuf {
    scenario::io::backup_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let r = Recovery::new(dir.path().join("rec"));
        assert!(r.load().is_none());
        let sc = scenario::builtin_baseline().unwrap().into_inner();
        r.save(&sc, Some(Path::new("/tmp/x.ron")), "x.ron").unwrap();
        let d = r.load().unwrap();
        assert_eq!(d.scenario, sc);
        assert_eq!(d.info.original.as_deref(), Some(Path::new("/tmp/x.ron")));
        r.clear();
        assert!(r.load().is_none());
    }
}
