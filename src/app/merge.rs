//! Three-way merge of scenarios, for a draft restored over a file that changed since the
//! draft's edits began: what the draft changed from its base goes on top of the file as it
//! is now, what the file changed stays, and a value both changed differently keeps the
//! draft's and is listed.

use serde_json::Value;

use crate::scenario::Scenario;

/// The result of a merge: the merged scenario and the fields both sides changed
/// differently (the draft's value kept), as paths like `sides.a.manpower.value`.
#[derive(Clone, Debug)]
pub struct Merged {
    pub scenario: Scenario,
    pub both_changed: Vec<String>,
}

/// Puts `mine`'s changes from `base` on top of `theirs`. `None` when the scenarios cannot be
/// compared field by field (then the caller falls back to `mine` whole).
pub fn merge3(base: &Scenario, mine: &Scenario, theirs: &Scenario) -> Option<Merged> {
    let (b, m, t) = (
        serde_json::to_value(base).ok()?,
        serde_json::to_value(mine).ok()?,
        serde_json::to_value(theirs).ok()?,
    );
    let mut both_changed = Vec::new();
    let merged = merge_value(&b, &m, &t, "", &mut both_changed);
    let scenario = serde_json::from_value(merged).ok()?;
    Some(Merged {
        scenario,
        both_changed,
    })
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

fn merge_value(b: &Value, m: &Value, t: &Value, path: &str, both: &mut Vec<String>) -> Value {
    if m == b || m == t {
        return t.clone();
    }
    if t == b {
        return m.clone();
    }
    match (b, m, t) {
        (Value::Object(bo), Value::Object(mo), Value::Object(to)) => {
            let mut out = serde_json::Map::new();
            let keys = mo.keys().chain(to.keys()).chain(bo.keys());
            for k in keys {
                if out.contains_key(k) {
                    continue;
                }
                let get = |o: &serde_json::Map<String, Value>| o.get(k).cloned();
                let (bv, mv, tv) = (get(bo), get(mo), get(to));
                let merged = merge_value(
                    bv.as_ref().unwrap_or(&Value::Null),
                    mv.as_ref().unwrap_or(&Value::Null),
                    tv.as_ref().unwrap_or(&Value::Null),
                    &join(path, k),
                    both,
                );
                // A key both sides dropped stays dropped.
                if !(merged.is_null() && mv.is_none() && tv.is_none()) {
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        (Value::Array(ba), Value::Array(ma), Value::Array(ta))
            if ba.len() == ma.len() && ma.len() == ta.len() =>
        {
            Value::Array(
                ba.iter()
                    .zip(ma)
                    .zip(ta)
                    .enumerate()
                    .map(|(i, ((bv, mv), tv))| {
                        merge_value(bv, mv, tv, &format!("{path}[{i}]"), both)
                    })
                    .collect(),
            )
        }
        _ => {
            both.push(path.to_string());
            m.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Dist, builtin_baseline};

    #[test]
    fn each_sides_changes_are_kept_and_a_field_both_changed_keeps_the_drafts() {
        let base = builtin_baseline().unwrap().into_inner();
        let mut mine = base.clone();
        mine.sides.a.materiel_usd_bn.value = Dist::Fixed(33.0);
        mine.meta.title = "Mine".into();
        let mut theirs = base.clone();
        theirs.sides.b.materiel_usd_bn.value = Dist::Fixed(77.0);
        theirs.meta.title = "Theirs".into();
        let merged = merge3(&base, &mine, &theirs).unwrap();
        assert_eq!(
            merged.scenario.sides.a.materiel_usd_bn.value,
            Dist::Fixed(33.0)
        );
        assert_eq!(
            merged.scenario.sides.b.materiel_usd_bn.value,
            Dist::Fixed(77.0)
        );
        assert_eq!(merged.scenario.meta.title, "Mine");
        assert_eq!(merged.both_changed, vec!["meta.title".to_string()]);
        // Nothing changed in the file: the draft whole.
        let same = merge3(&base, &mine, &base).unwrap();
        assert_eq!(same.scenario, mine);
        assert!(same.both_changed.is_empty());
    }
}
