//! The replay record every export carries (a PNG's text chunk, an SVG's metadata, a CSV's
//! first comment line, the JSON report, the brief): the full scenario in canonical form, the
//! seed and the trial count, with the scenario's hash and a check over all three, so that
//! anyone holding a figure can rerun the run that made it and an edited record is refused
//! rather than silently replayed.

use serde::{Deserialize, Serialize};

use crate::run::Stamp;
use crate::scenario::{self, Scenario, ValidScenario, scenario_hash, to_ron_string};

/// The name of the record: the PNG keyword, the CSV comment's first word, the id of the SVG
/// metadata and of the brief's script element.
pub const KEY: &str = "armistice-replay";

/// The record's format version.
pub const VERSION: u32 = 1;

/// What reruns a figure's run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    /// Always `KEY`.
    pub format: String,
    /// The record's format version (`VERSION`).
    pub version: u32,
    /// The scenario's hash as the stamp gives it (FNV-1a of the canonical text).
    pub scenario_hash: String,
    /// The run's seed.
    pub seed: u64,
    /// The run's number of trials.
    pub trials: u64,
    /// FNV-1a over the hash, the seed, the trials and the scenario text: a changed seed or
    /// trial count shows as a mismatch too.
    pub check: String,
    /// The scenario as `armistice export -f ron` writes it.
    pub scenario: String,
}

/// Why a figure cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("{0} carries no replay record (exports of Armistice 0.1 and later do)")]
    NotFound(String),
    #[error("the replay record is damaged: {0}")]
    Malformed(String),
    #[error(
        "the replay record does not match its hash ({0}): the figure was edited after it was made; it is not replayed"
    )]
    Mismatch(String),
    #[error("the scenario in the replay record does not load: {0}")]
    Invalid(String),
}

fn fnv(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn check_of(hash: &str, seed: u64, trials: u64, scenario: &str) -> String {
    fnv(&format!("{hash}\n{seed}\n{trials}\n{scenario}"))
}

impl Replay {
    /// The record of a run of `sc` with the stamp's seed and trials.
    pub fn of(sc: &Scenario, stamp: &Stamp) -> Replay {
        let scenario = to_ron_string(sc).unwrap_or_default();
        let hash = scenario_hash(sc);
        Replay {
            format: KEY.into(),
            version: VERSION,
            check: check_of(&hash, stamp.seed, stamp.trials, &scenario),
            scenario_hash: hash,
            seed: stamp.seed,
            trials: stamp.trials,
            scenario,
        }
    }

    /// The record as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a record from JSON.
    pub fn from_json(text: &str) -> Result<Replay, ReplayError> {
        let r: Replay =
            serde_json::from_str(text.trim()).map_err(|e| ReplayError::Malformed(e.to_string()))?;
        if r.format != KEY {
            return Err(ReplayError::Malformed(format!(
                "format is \"{}\", not \"{KEY}\"",
                r.format
            )));
        }
        if r.version > VERSION {
            return Err(ReplayError::Malformed(format!(
                "record version {} is newer than this program reads ({VERSION})",
                r.version
            )));
        }
        Ok(r)
    }

    /// Checks the record against its hashes and validates its scenario.
    pub fn verify(&self) -> Result<ValidScenario, ReplayError> {
        if fnv(&self.scenario) != self.scenario_hash {
            return Err(ReplayError::Mismatch(format!(
                "the scenario hashes to {}, the record says {}",
                fnv(&self.scenario),
                self.scenario_hash
            )));
        }
        let check = check_of(&self.scenario_hash, self.seed, self.trials, &self.scenario);
        if check != self.check {
            return Err(ReplayError::Mismatch(format!(
                "seed {} and {} trials do not match the record's check",
                self.seed, self.trials
            )));
        }
        let vs = scenario::load_str(&self.scenario, "the replay record")
            .map_err(|e| ReplayError::Invalid(e.to_string()))?;
        if scenario_hash(vs.scenario()) != self.scenario_hash {
            return Err(ReplayError::Mismatch(
                "the scenario reads back differently from its text".into(),
            ));
        }
        Ok(vs)
    }
}

/// The kinds of file that carry a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    Png,
    Svg,
    Html,
    Json,
    Csv,
}

impl Carrier {
    /// Tells the kind from the content.
    pub fn sniff(bytes: &[u8]) -> Carrier {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Carrier::Png;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            Carrier::Html
        } else if head.starts_with("<?xml") || head.starts_with("<svg") {
            Carrier::Svg
        } else if head.starts_with('{') {
            Carrier::Json
        } else {
            Carrier::Csv
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Carrier::Png => "the PNG image",
            Carrier::Svg => "the SVG image",
            Carrier::Html => "the brief",
            Carrier::Json => "the JSON file",
            Carrier::Csv => "the file",
        }
    }
}

/// The CSV comment line that carries a record (first line of an exported CSV).
pub fn csv_line(r: &Replay) -> String {
    format!("# {KEY} {}\n", r.to_json())
}

/// The `<script>` element of a brief that carries a record (`</` escaped so that the JSON
/// cannot end the element).
pub fn html_script(r: &Replay) -> String {
    format!(
        "<script type=\"application/json\" id=\"{KEY}\">{}</script>",
        r.to_json().replace("</", "<\\/")
    )
}

/// Finds the record in the bytes of an exported file.
pub fn extract(bytes: &[u8]) -> Result<Replay, ReplayError> {
    let kind = Carrier::sniff(bytes);
    let missing = || ReplayError::NotFound(kind.name().to_string());
    let text = match kind {
        Carrier::Png => {
            let info = crate::figure::raster::read_png(bytes)
                .map_err(|e| ReplayError::Malformed(format!("not a readable PNG: {e}")))?;
            info.texts
                .into_iter()
                .find(|(k, _)| k == KEY)
                .map(|(_, t)| t)
                .ok_or_else(missing)?
        }
        Carrier::Svg => {
            let s = String::from_utf8_lossy(bytes);
            crate::figure::svg::replay_of(&s).ok_or_else(missing)?
        }
        Carrier::Html => {
            let s = String::from_utf8_lossy(bytes);
            let tag = format!("<script type=\"application/json\" id=\"{KEY}\">");
            let start = s.find(&tag).ok_or_else(missing)? + tag.len();
            let end = start + s[start..].find("</script>").ok_or_else(missing)?;
            s[start..end].to_string()
        }
        Carrier::Json => {
            let v: serde_json::Value = serde_json::from_slice(bytes)
                .map_err(|e| ReplayError::Malformed(format!("not valid JSON: {e}")))?;
            let r = v.get("replay").ok_or_else(missing)?;
            r.to_string()
        }
        Carrier::Csv => {
            let s = String::from_utf8_lossy(bytes);
            let prefix = format!("# {KEY} ");
            s.lines()
                .take_while(|l| l.starts_with('#'))
                .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
                .ok_or_else(missing)?
        }
    };
    Replay::from_json(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    fn record() -> Replay {
        let vs = builtin_baseline().unwrap();
        let stamp = Stamp::new(&vs, 7, 1_000);
        Replay::of(vs.scenario(), &stamp)
    }

    #[test]
    fn a_record_reads_back_and_verifies() {
        let r = record();
        let back = Replay::from_json(&r.to_json()).unwrap();
        assert_eq!(back, r);
        let vs = back.verify().unwrap();
        assert_eq!(
            scenario_hash(vs.scenario()),
            scenario_hash(builtin_baseline().unwrap().scenario())
        );
    }

    #[test]
    fn an_edited_record_is_refused() {
        let mut r = record();
        r.scenario = r.scenario.replacen("trials:", "trials :", 1);
        assert!(matches!(r.verify(), Err(ReplayError::Mismatch(_))));
        let mut r = record();
        r.seed += 1;
        assert!(matches!(r.verify(), Err(ReplayError::Mismatch(_))));
        let mut r = record();
        r.trials = 5;
        assert!(matches!(r.verify(), Err(ReplayError::Mismatch(_))));
    }

    #[test]
    fn records_are_found_in_every_carrier() {
        let r = record();
        let csv = format!("{}a,b\n1,2\n", csv_line(&r));
        assert_eq!(extract(csv.as_bytes()).unwrap(), r);
        let html = format!(
            "<!DOCTYPE html><html><body>{}</body></html>",
            html_script(&r)
        );
        assert_eq!(extract(html.as_bytes()).unwrap(), r);
        let json = format!("{{\"x\": 1, \"replay\": {}}}", r.to_json());
        assert_eq!(extract(json.as_bytes()).unwrap(), r);
        assert!(matches!(
            extract(b"a,b\n1,2\n"),
            Err(ReplayError::NotFound(_))
        ));
    }
}
