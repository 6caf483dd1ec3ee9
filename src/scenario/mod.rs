//! The scenario file: its serde mirror ([`Scenario`]), the catalogue of numeric inputs and
//! the structural settings beside them ([`structural`]), distributions, validation into a
//! [`ValidScenario`] and warnings, limits, loading with clear messages ([`diagnose`], on the
//! lossless RON [`syntax`] tree), saving that keeps the file's comments and layout
//! ([`patch`]), `PATH=VALUE` assignments ([`set`]), the structural edits the app makes
//! ([`Edit`]), the lessons a file can carry ([`lesson`]), and what differs between two
//! scenarios ([`changes`]).

pub mod changes;
pub mod convert;
pub mod diagnose;
pub mod dist;
pub mod edit;
pub mod error;
// The file's types, their fields and the inputs' keys are documented field by field in
// docs/SCENARIO_FORMAT.md; not every one has a doc comment yet.
#[allow(missing_docs)]
pub mod input;
pub mod io;
pub mod lesson;
pub mod limits;
pub mod patch;
#[allow(missing_docs)]
pub mod registry;
pub mod set;
pub mod structural;
pub mod syntax;
pub mod template;
#[allow(missing_docs)]
pub mod types;
pub mod upgrade;
pub mod validate;
pub mod validate_v2;
pub mod warnings;

pub use convert::DistKind;
pub use edit::{Edit, ItemOp, List};
pub use error::{Issue, LoadError};
pub use input::{Dist, Input};
pub use io::{
    BUILTIN_BASELINE, SHIPPED, builtin_baseline, load_file, load_str, parse_str, save_file,
    scenario_hash, to_ron_string,
};
pub use registry::{BattleField, FieldSpec, InputKey, SideField, SliderRange};
pub use structural::StructuralKey;
pub use types::*;
pub use validate::{ValidScenario, validate};
