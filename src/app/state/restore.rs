//! Restoring the draft a previous session left: on the file as it is on disk now. When the
//! file changed since the draft's edits began, the draft's changes are merged onto it (what
//! both changed keeps the draft's value and is listed), the changed-on-disk notice asks
//! (reload, show the difference, keep), and a save asks again when both changed a value.

use super::{AppState, DiskChange};
use crate::app::disk::DiskStamp;
use crate::app::document::Document;
use crate::app::merge::merge3;
use crate::app::recovery::{Draft, utc_time};
use crate::scenario::{self, Scenario};

/// How the restored draft met its file.
enum Met {
    /// The file is as the edits began: the draft goes on it as is.
    Unchanged,
    /// The file changed; the draft's changes were merged onto it without a clash.
    Merged(DiskChange),
    /// The file changed and both changed these fields (the draft's kept), or the two could
    /// not be merged field by field (empty list: the draft kept whole).
    Clashed(DiskChange, Vec<String>),
    /// The file cannot be read now.
    Missing,
    /// The draft had no file.
    Untitled,
}

impl AppState {
    /// Restores `draft` (see the module's note), unsaved, and adopts it as this window's
    /// own draft.
    pub(super) fn restore_draft(&mut self, draft: Draft) {
        let now = draft.info.original.as_ref().and_then(|p| {
            let text = scenario::io::read_text(p).ok()?;
            let v = scenario::load_str(&text, &p.display().to_string()).ok()?;
            Some((v, p.clone(), text))
        });
        let (doc, scenario, met) = match now {
            Some((v, path, text)) => {
                let stamp = DiskStamp::of_bytes(&path, text.as_bytes());
                let current = v.scenario().clone();
                let mut doc = Document::new(v, Some(path.clone()), draft.info.name.clone());
                match draft.info.base_hash {
                    Some(base_hash) if base_hash != stamp.hash => {
                        let change = DiskChange { path, text, stamp };
                        let merged = draft
                            .base
                            .as_ref()
                            .and_then(|b| merge3(b, &draft.scenario, &current));
                        match merged {
                            Some(m) if m.both_changed.is_empty() => {
                                doc.disk = Some(change.stamp.clone());
                                (doc, m.scenario, Met::Merged(change))
                            }
                            other => {
                                // The version the edits began from stays the one known, so
                                // that a save asks before replacing the file.
                                doc.disk = Some(DiskStamp {
                                    hash: base_hash,
                                    len: 0,
                                    modified: None,
                                });
                                let (sc, both) = match other {
                                    Some(m) => (m.scenario, m.both_changed),
                                    None => (draft.scenario.clone(), Vec::new()),
                                };
                                (doc, sc, Met::Clashed(change, both))
                            }
                        }
                    }
                    _ => {
                        doc.disk = Some(stamp);
                        (doc, draft.scenario.clone(), Met::Unchanged)
                    }
                }
            }
            None => match Self::shipped_document(0) {
                Ok(mut d) => {
                    d.name = draft.info.name.clone();
                    let met = if draft.info.original.is_some() {
                        Met::Missing
                    } else {
                        Met::Untitled
                    };
                    (d, draft.scenario.clone(), met)
                }
                Err(e) => {
                    self.set_status(&e.to_string(), true);
                    return;
                }
            },
        };
        self.replace_document(doc);
        self.apply_scenario(scenario);
        self.adopt(&draft);
        self.report_restore(&draft, met);
    }

    /// Keeps the restored draft as this window's own recovery file, then drops the old one.
    fn adopt(&mut self, draft: &Draft) {
        let Some(rec) = &self.recovery else {
            return;
        };
        let name = self.doc.display_name();
        let saved: &Scenario = self.doc.saved();
        let base = self.doc.disk.as_ref().map(|s| (s.hash, saved));
        if let Ok(key) = rec.save(&self.doc.scenario, self.doc.path.as_deref(), &name, base) {
            self.autosaved = Some(self.doc.scenario.clone());
            if key != draft.key {
                rec.remove(&draft.key);
            }
            self.draft_key = Some(key);
        }
    }

    /// Says how the draft was restored; a changed file gets the changed-on-disk notice.
    fn report_restore(&mut self, draft: &Draft, met: Met) {
        let when = utc_time(draft.info.written_at);
        let (text, error) = match met {
            Met::Unchanged | Met::Untitled => {
                (format!("Restored the unsaved changes from {when}."), false)
            }
            Met::Missing => (
                format!(
                    "Restored the unsaved changes from {when}; their file cannot be read now, \
                     so Save asks where to write them."
                ),
                true,
            ),
            Met::Merged(change) => {
                self.notice(change);
                (
                    format!(
                        "Restored the unsaved changes from {when} on top of the file as it is \
                         now (it changed on disk since they began, in other fields): compare, \
                         reload or keep."
                    ),
                    true,
                )
            }
            Met::Clashed(change, both) => {
                self.notice(change);
                let which = if both.is_empty() {
                    "the two could not be merged field by field, so the draft was restored \
                     whole"
                        .to_string()
                } else {
                    format!(
                        "both changed {}; the draft's values were kept",
                        both.join(", ")
                    )
                };
                (
                    format!(
                        "Restored the unsaved changes from {when}; the file changed on disk \
                         since they began and {which}. Compare, reload or keep; Save asks \
                         before replacing the file."
                    ),
                    true,
                )
            }
        };
        self.set_status(&text, error);
    }

    fn notice(&mut self, change: DiskChange) {
        self.disk_seen = Some(change.stamp.clone());
        self.disk_notice = Some(change);
    }
}
