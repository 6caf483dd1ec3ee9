//! The negotiation and battlefield rules as pure functions: no randomness, no I/O. Each
//! module is one layer of a trial; [`war::evaluate`] chains them for one set of drawn values.
//!
//! | module | layer | source |
//! |---|---|---|
//! | [`lanchester`] | attrition | Lanchester (1916) |
//! | [`contest`] | win probability | Tullock (1980), Hirshleifer (1989) |
//! | [`fearon`] | fighting values, bargaining range | Fearon (1995) |
//! | [`commitment`] | durability | Powell (2006) |
//! | [`bargain`] | splitting the range, leverage | Nash (1950), Rubinstein (1982) |
//! | [`structure`] | the compiled shape of a trial | |
//! | [`war`] | one trial | all of the above |

pub mod bargain;
pub mod belief;
pub mod commitment;
pub mod contest;
pub mod fearon;
pub mod lanchester;
pub mod monthly;
mod outlook;
pub mod structure;
mod table;

#[cfg(test)]
mod monthly_tests;
pub mod war;

pub use structure::Structure;
pub use war::{Constraint, Scratch, TrialOutcome, evaluate};
