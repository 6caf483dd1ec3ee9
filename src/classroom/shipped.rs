//! The shipped lessons, compiled into the binary: (file name, text). Each is a scenario file
//! of fictional countries whose lesson teaches one result of the theory, with the closed form
//! next to what the simulation gives; the last puts them together on the teaching scenario.

/// Every shipped lesson, in the order a class meets them (docs/TEACHING.md).
pub const LESSONS: &[(&str, &str)] = &[
    (
        "1-bargaining-range.ron",
        include_str!("../../lessons/1-bargaining-range.ron"),
    ),
    (
        "2-mutual-optimism.ron",
        include_str!("../../lessons/2-mutual-optimism.ron"),
    ),
    (
        "3-commitment.ron",
        include_str!("../../lessons/3-commitment.ron"),
    ),
    (
        "4-patience.ron",
        include_str!("../../lessons/4-patience.ron"),
    ),
    (
        "5-learning.ron",
        include_str!("../../lessons/5-learning.ron"),
    ),
    (
        "teaching-arvenia-borsk.ron",
        include_str!("../../scenarios/teaching-arvenia-borsk.ron"),
    ),
];
