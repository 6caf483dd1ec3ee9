//! The scenario file: its serde mirror ([`Scenario`]), the catalogue of numeric inputs,
//! distributions, validation into a [`ValidScenario`], limits, loading and saving, and the
//! structural edits the app makes ([`Edit`]).

pub mod convert;
pub mod dist;
pub mod edit;
pub mod error;
pub mod input;
pub mod io;
pub mod limits;
pub mod registry;
pub mod template;
pub mod types;
pub mod upgrade;
pub mod validate;
pub mod validate_v2;

pub use convert::DistKind;
pub use edit::{Edit, ItemOp, List};
pub use error::{Issue, LoadError, SaveError};
pub use input::{Dist, Input, SliderHint};
pub use io::{
    BUILTIN_BASELINE, BUILTIN_LABEL, SHIPPED, builtin_baseline, load_file, load_str, parse_str,
    save_file, scenario_hash, to_ron_string,
};
pub use registry::{BattleField, FieldSpec, InputInfo, InputKey, SideField, SliderRange};
pub use types::*;
pub use validate::{ValidScenario, validate};
