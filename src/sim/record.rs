//! The compact per-trial record (36 bytes) that plots, quantiles and analyses read.

use crate::model::{Constraint, TrialOutcome};

/// Package index meaning "no deal".
pub const NO_DEAL: u8 = u8::MAX;
/// Constraint code meaning "none" (there was a deal).
pub const NO_CONSTRAINT: u8 = u8::MAX;

/// One trial, compactly. Side `b`'s leverage is `1 - leverage_a`; each side's surplus is its
/// leverage minus its fighting value; the bargaining range is `[d_a, 1 - d_b]`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(C)]
pub struct TrialRecord {
    pub leverage_a: f32,
    pub d_a: f32,
    pub d_b: f32,
    pub p_a: f32,
    pub held_by_b_km2: f32,
    /// The area `b` held at the start of the trial (its own draw when the file gives a
    /// distribution).
    pub held_start_km2: f32,
    pub casualties_a: f32,
    pub casualties_b: f32,
    /// Index of the agreed package, or [`NO_DEAL`].
    pub package: u8,
    /// [`Constraint`] code when there is no deal, else [`NO_CONSTRAINT`].
    pub blocked: u8,
    /// 1 when the bargaining range over territory alone is empty.
    pub range_empty: u8,
    /// (Format version 2) The month of the settlement, 0 when the war did not end within the
    /// horizon (always 0 in format version 1, whose table meets once).
    pub settled_month: u8,
}

impl TrialRecord {
    pub fn from_outcome(o: &TrialOutcome) -> Self {
        TrialRecord {
            leverage_a: o.leverage_a as f32,
            d_a: o.d_a as f32,
            d_b: o.d_b as f32,
            p_a: o.p_a as f32,
            held_by_b_km2: o.held_by_b_km2 as f32,
            held_start_km2: o.held_start_km2 as f32,
            casualties_a: o.casualties_a as f32,
            casualties_b: o.casualties_b as f32,
            package: o.package.map_or(NO_DEAL, |k| k.min(254) as u8),
            blocked: o.blocked.map_or(NO_CONSTRAINT, |c| c as u8),
            range_empty: u8::from(o.range_empty),
            settled_month: o.settled_month.map_or(0, |m| m.min(255) as u8),
        }
    }

    /// (Format version 2) The month of the settlement, if any.
    pub fn settled_month(&self) -> Option<u32> {
        (self.settled_month > 0).then_some(u32::from(self.settled_month))
    }

    pub fn deal(&self) -> bool {
        self.package != NO_DEAL
    }

    pub fn package(&self) -> Option<usize> {
        self.deal().then_some(usize::from(self.package))
    }

    pub fn blocked(&self) -> Option<Constraint> {
        Constraint::from_u8(self.blocked)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn record_is_compact() {
        assert_eq!(std::mem::size_of::<super::TrialRecord>(), 36);
    }
}
