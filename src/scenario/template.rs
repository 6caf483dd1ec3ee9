//! The commented template that `armistice new` prints.

/// A complete, valid scenario with a comment on every field.
pub const TEMPLATE: &str = include_str!("template.ron");
