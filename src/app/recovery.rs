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

/// Where recovery files live (one folder per user) and which draft is this process's own.
/// Each running app writes `draft-<process id>.ron` (and `.json`), so two windows never take
/// or delete each other's drafts; a draft is offered only once the process that wrote it has
/// ended.
#[derive(Clone, Debug)]
pub struct Recovery {
    dir: PathBuf,
    own: u32,
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
    /// Id of the process that wrote it (names its files).
    pub owner: u32,
}

/// True while process `pid` runs (Linux: it has an entry in /proc). Elsewhere every other
/// process counts as ended, so a draft is always offered.
fn process_alive(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

impl Recovery {
    /// Autosave into `dir` (created on the first save).
    pub fn new(dir: PathBuf) -> Self {
        Recovery {
            dir,
            own: std::process::id(),
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

    fn scenario_path(&self, owner: u32) -> PathBuf {
        self.dir.join(format!("draft-{owner}.ron"))
    }

    fn info_path(&self, owner: u32) -> PathBuf {
        self.dir.join(format!("draft-{owner}.json"))
    }

    /// The draft file of this process (for tests and messages).
    pub fn own_draft_path(&self) -> PathBuf {
        self.scenario_path(self.own)
    }

    /// Writes this process's draft (crash-safely).
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
        scenario::io::write_atomic(&self.scenario_path(self.own), text.as_bytes())
            .map_err(|e| e.to_string())?;
        scenario::io::write_atomic(&self.info_path(self.own), info.as_bytes())
            .map_err(|e| e.to_string())
    }

    /// The most recent draft left by a process that has ended, if any. A draft that no
    /// longer parses is ignored (and left in place for the user to inspect).
    pub fn load(&self) -> Option<Draft> {
        let mut found: Vec<Draft> = Vec::new();
        for entry in fs::read_dir(&self.dir).ok()?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(owner) = name
                .strip_prefix("draft-")
                .and_then(|r| r.strip_suffix(".ron"))
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if owner == self.own || process_alive(owner) {
                continue;
            }
            let Ok(text) = fs::read_to_string(self.scenario_path(owner)) else {
                continue;
            };
            let Ok(scenario) = scenario::parse_str(&text, "recovered draft") else {
                continue;
            };
            let info = fs::read_to_string(self.info_path(owner))
                .ok()
                .and_then(|t| serde_json::from_str::<DraftInfo>(&t).ok())
                .unwrap_or(DraftInfo {
                    original: None,
                    name: "recovered draft".into(),
                    written_at: 0,
                });
            found.push(Draft {
                scenario,
                info,
                owner,
            });
        }
        found.into_iter().max_by_key(|d| d.info.written_at)
    }

    /// Removes this process's draft (after a save or a discard).
    pub fn clear(&self) {
        self.remove(self.own);
    }

    /// Removes the draft another (ended) process left, once it is restored or discarded.
    pub fn remove(&self, owner: u32) {
        for p in [self.scenario_path(owner), self.info_path(owner)] {
            let _ = fs::remove_file(&p);
            let _ = fs::remove_file(backup_of(&p));
        }
    }
}

fn backup_of(p: &Path) -> PathBuf {
    scenario::io::backup_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_offered_only_to_another_process_after_its_writer_ended() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("rec");
        // A process that has ended (no such pid) left a draft.
        let gone = Recovery {
            dir: rec.clone(),
            own: u32::MAX - 7,
        };
        let sc = scenario::builtin_baseline().unwrap().into_inner();
        gone.save(&sc, Some(Path::new("/tmp/x.ron")), "x.ron")
            .unwrap();
        let me = Recovery::new(rec.clone());
        let d = me.load().unwrap();
        assert_eq!(d.scenario, sc);
        assert_eq!(d.owner, u32::MAX - 7);
        assert_eq!(d.info.original.as_deref(), Some(Path::new("/tmp/x.ron")));
        // This process's own draft is never offered to itself, and a live writer's draft is
        // not offered either.
        me.save(&sc, None, "mine").unwrap();
        assert_eq!(me.load().map(|d| d.owner), Some(u32::MAX - 7));
        let twin = Recovery {
            dir: rec.clone(),
            own: std::process::id(),
        };
        assert_eq!(twin.load().map(|d| d.owner), Some(u32::MAX - 7));
        me.remove(d.owner);
        assert!(me.load().is_none());
        me.clear();
        assert!(!me.own_draft_path().exists());
    }
}
