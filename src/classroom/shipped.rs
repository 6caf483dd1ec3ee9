//! The shipped lessons, compiled into the binary: (file name, text). Each is a scenario file
//! of fictional countries whose lesson teaches one result of the theory.

/// Every shipped lesson, in the order a class meets them.
pub const LESSONS: &[(&str, &str)] = &[(
    "teaching-arvenia-borsk.ron",
    include_str!("../../scenarios/teaching-arvenia-borsk.ron"),
)];
