//! The open scenario: its text as edited, where it lives on disk, whether it has unsaved
//! changes, its validation problems, and the last valid version (which runs use), compiled
//! once for the engine.

use std::path::PathBuf;
use std::sync::Arc;

use super::disk::DiskStamp;
use crate::scenario::{Issue, Scenario, ValidScenario, validate};
use crate::sim::Engine;

/// The scenario being edited.
pub struct Document {
    /// The scenario as edited (may be invalid).
    pub scenario: Scenario,
    /// Where it was loaded from or last saved to; `None` for a new or shipped scenario.
    pub path: Option<PathBuf>,
    /// Display name when there is no path (e.g. "baseline-2024.ron (shipped)").
    pub name: String,
    /// The scenario as last loaded or saved: unsaved changes are differences from it.
    saved: Scenario,
    /// The file's content on disk as loaded or last saved (`None` without a file): a save
    /// first checks that the file is still this.
    pub disk: Option<DiskStamp>,
    /// Problems of the current edit; empty when valid.
    pub issues: Vec<Issue>,
    /// The last valid version; equal to `scenario` when `issues` is empty.
    pub last_valid: Arc<ValidScenario>,
    /// `last_valid` compiled for the engine: compiled once per valid edit, shared by every
    /// pass of its run.
    pub compiled: Arc<Engine>,
}

impl Document {
    pub fn new(valid: ValidScenario, path: Option<PathBuf>, name: String) -> Self {
        let scenario = valid.scenario().clone();
        Document {
            saved: scenario.clone(),
            disk: None,
            scenario,
            path,
            name,
            issues: Vec::new(),
            compiled: Arc::new(Engine::new(&valid)),
            last_valid: Arc::new(valid),
        }
    }

    /// True when the scenario differs from what was last loaded or saved.
    pub fn is_dirty(&self) -> bool {
        self.scenario != self.saved
    }

    /// The file name shown in the title.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => self.name.clone(),
        }
    }

    /// Replaces the scenario and validates it. Returns the new valid version when it is
    /// valid and differs from the last valid one.
    pub fn set(&mut self, scenario: Scenario) -> Option<Arc<ValidScenario>> {
        self.scenario = scenario;
        // A lesson's outputs are checked where the outputs live; a bad one is a problem of
        // the file like any other.
        let checked = validate(self.scenario.clone()).and_then(|v| {
            let problems = crate::classroom::lesson_issues(&v);
            if problems.is_empty() {
                Ok(v)
            } else {
                Err(problems)
            }
        });
        match checked {
            Ok(v) => {
                self.issues.clear();
                if v.scenario() != self.last_valid.scenario() {
                    self.compiled = Arc::new(Engine::new(&v));
                    self.last_valid = Arc::new(v);
                    Some(self.last_valid.clone())
                } else {
                    None
                }
            }
            Err(issues) => {
                self.issues = issues;
                None
            }
        }
    }

    /// Records that the current scenario is what is on disk now.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.scenario.clone();
        self.path = Some(path);
    }

    /// The version last loaded or saved.
    pub fn saved(&self) -> &Scenario {
        &self.saved
    }

    /// The warning about the last valid version's declared correlations, when they had to be
    /// repaired (read from its compilation, which holds the repaired matrix).
    pub fn correlation_warning(&self) -> Option<String> {
        self.compiled.correlation().and_then(|p| p.warning())
    }
}

/// Undo and redo by snapshots of the whole scenario. Edits of the same field in quick
/// succession (a slider drag, typing) coalesce into one step.
#[derive(Default)]
pub struct History {
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    last_key: Option<(String, std::time::Instant)>,
}

/// Steps kept.
const MAX_HISTORY: usize = 500;
/// Edits of one field closer together than this are one undo step.
const COALESCE: std::time::Duration = std::time::Duration::from_millis(800);

impl History {
    /// Records `before` as an undo step for an edit identified by `key`.
    pub fn record(&mut self, before: &Scenario, key: &str) {
        let now = std::time::Instant::now();
        let coalesce =
            matches!(&self.last_key, Some((k, t)) if k == key && now.duration_since(*t) < COALESCE);
        if !coalesce {
            self.undo.push(before.clone());
            if self.undo.len() > MAX_HISTORY {
                self.undo.remove(0);
            }
        }
        self.last_key = Some((key.to_string(), now));
        self.redo.clear();
    }

    /// Steps back: returns the scenario to restore, given the current one.
    pub fn undo(&mut self, current: &Scenario) -> Option<Scenario> {
        let prev = self.undo.pop()?;
        self.redo.push(current.clone());
        self.last_key = None;
        Some(prev)
    }

    /// Steps forward again.
    pub fn redo(&mut self, current: &Scenario) -> Option<Scenario> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.last_key = None;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.last_key = None;
    }
}
