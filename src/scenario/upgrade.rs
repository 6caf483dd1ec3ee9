//! Converting a scenario of format version 1 to version 2, and what the conversion changes.
//! The file's text keeps its comments and layout: only the `version` line changes, and every
//! version-2 field takes its default (docs/SCENARIO_FORMAT.md lists them), which the notes
//! name so that the user can write them out.

use super::types::{FORMAT_VERSION, Scenario};

/// What changes when a version-1 file is read as version 2, one sentence each.
pub const NOTES: [&str; 6] = [
    "The table now meets after every month of fighting, not once at the horizon: the war ends \
     in the first month a package is acceptable to both sides and durable, so P(deal) becomes \
     P(settled within the horizon), and leverage, the line and casualties are read at \
     settlement (or at the horizon when no settlement comes).",
    "Optimism is now each side's prior at the start; the front's movement teaches the sides \
     the truth month by month. With `prior_uncertainty_km2_per_month` absent (0) a side never \
     learns, so its optimism stays as it was: set it per side to let fighting erode optimism.",
    "Each side values fighting on from the balance it expects `continuation_months` ahead \
     (its own recruits, production, burn, the aid schedules and cut-off probabilities, and the \
     contingents due), and may wait for a better table before an anticipated change.",
    "The durability test projects a peace with its own demobilisation, recruiting and \
     consumption (`peace_demobilised_share` 0, `peace_recruit_share` 1 and \
     `peace_consumption_usd_bn_per_month` 0 when absent, as the version-1 projection had), \
     counts the stalemate branch and a period's cost of war, and packages can cap the rising \
     side's rebuilding (`force_cap_a`, `force_cap_b`).",
    "New optional sections: `events` (dated or uncertain changes of inputs), `pressure` (aid \
     as a lever at the table) and `observed_talks` (for the hindcast); \
     `battlefield.hidden_edge_km2_per_month` (0 when absent) is the true edge the sides learn.",
    "Results change: the same seed and trials give different numbers, because the model is a \
     different one. Keep the version-1 file to reproduce its numbers.",
];

/// The result of converting a file's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Upgraded {
    pub text: String,
    /// What changed, for the user.
    pub notes: Vec<String>,
}

/// Why a text could not be converted.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UpgradeError {
    #[error("the file is already format version {0}")]
    Current(u32),
    #[error("no `version: 1` line was found to change")]
    NoVersionLine,
}

/// Converts the text of a version-1 scenario to version 2, changing only its `version` line.
pub fn upgrade_text(text: &str, scenario: &Scenario) -> Result<Upgraded, UpgradeError> {
    if scenario.version >= FORMAT_VERSION {
        return Err(UpgradeError::Current(scenario.version));
    }
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && let Some(new) = version_line(line) {
            out.push_str(&new);
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        return Err(UpgradeError::NoVersionLine);
    }
    Ok(Upgraded {
        text: out,
        notes: NOTES.iter().map(|s| s.to_string()).collect(),
    })
}

/// The scenario itself, converted (for the app, which edits the parsed scenario).
pub fn upgrade(mut scenario: Scenario) -> (Scenario, Vec<String>) {
    if scenario.version >= FORMAT_VERSION {
        return (scenario, Vec::new());
    }
    scenario.version = FORMAT_VERSION;
    (scenario, NOTES.iter().map(|s| s.to_string()).collect())
}

/// `version: 1,` (with any indentation, spacing and trailing comment) becomes `version: 2,`.
fn version_line(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix("version")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('1')?;
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let indent = &line[..line.len() - trimmed.len()];
    let colon = trimmed.find(':')?;
    let after_colon = &trimmed[colon + 1..];
    let spaces = after_colon.len() - after_colon.trim_start().len();
    Some(format!(
        "{indent}version:{}{FORMAT_VERSION}{rest}",
        &after_colon[..spaces]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_version_line_changes() {
        let text = "// a comment\n(\n    version: 1, // keep me\n    meta: (title: \"x\"),\n)\n";
        let mut v1 = crate::scenario::builtin_baseline().unwrap().into_inner();
        v1.version = 1;
        let mut v2 = v1.clone();
        v2.version = 2;
        let up = upgrade_text(text, &v1).unwrap();
        assert_eq!(
            up.text,
            "// a comment\n(\n    version: 2, // keep me\n    meta: (title: \"x\"),\n)\n"
        );
        assert_eq!(up.notes.len(), NOTES.len());
        assert_eq!(
            upgrade_text(text, &v2).err(),
            Some(UpgradeError::Current(2))
        );
        assert_eq!(version_line("    version: 10,\n"), None);
    }
}
