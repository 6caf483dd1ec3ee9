//! The scenario file: its serde mirror ([`Scenario`]), the catalogue of numeric inputs and
//! the structural settings beside them ([`structural`]), distributions, validation into a
//! [`ValidScenario`] and warnings, limits, loading with clear messages ([`diagnose`], on the
//! lossless RON [`syntax`] tree), saving that keeps the file's comments and layout
//! ([`patch`]), `PATH=VALUE` assignments ([`set`]), and the structural edits the app makes
//! ([`Edit`]).

pub mod convert;
pub mod diagnose;
pub mod dist;
pub mod edit;
pub mod error;
pub mod input;
pub mod io;
pub mod limits;
pub mod patch;
pub mod registry;
pub mod set;
pub mod structural;
pub mod syntax;
pub mod template;
pub mod types;
pub mod upgrade;
pub mod validate;
pub mod validate_v2;
pub mod warnings;

pub use convert::DistKind;
pub use edit::{Edit, ItemOp, List};
pub use error::{Issue, LoadError, SaveError};
pub use input::{Dist, Input, SliderHint};
pub use io::{
    BUILTIN_BASELINE, BUILTIN_LABEL, SHIPPED, builtin_baseline, load_file, load_str, parse_str,
    save_file, scenario_hash, to_ron_string,
};
pub use registry::{BattleField, FieldSpec, InputInfo, InputKey, SideField, SliderRange};
pub use structural::{StructuralInfo, StructuralKey};
pub use types::*;
pub use validate::{ValidScenario, validate};
