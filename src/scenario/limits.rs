//! Hard limits on what a scenario file may ask for, so that no file can exhaust memory,
//! overflow the stack or freeze the app. docs/RELIABILITY.md lists them.

/// Largest scenario file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Deepest nesting of brackets the parser follows.
pub const MAX_NESTING: usize = 64;
/// Most trials one run may ask for.
pub const MAX_TRIALS: u64 = 20_000_000;
/// Longest horizon, months.
pub const MAX_HORIZON_MONTHS: u32 = 240;
/// Most concession packages.
pub const MAX_PACKAGES: usize = 64;
/// Most aid streams.
pub const MAX_AID_STREAMS: usize = 64;
/// Most troop contingents.
pub const MAX_CONTINGENTS: usize = 64;
/// Most sources.
pub const MAX_SOURCES: usize = 256;
/// Most extra (`other`) package attributes.
pub const MAX_OTHER_ATTRIBUTES: usize = 16;
/// Most observations.
pub const MAX_OBSERVATIONS: usize = 480;
/// Longest description or note, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Longest name, id, label or citation, in characters.
pub const MAX_NAME_CHARS: usize = 500;
/// Largest month number anywhere in a file (schedules, cut-offs, arrivals).
pub const MAX_MONTH: u32 = 1_000;
/// Largest delivery lag, months.
pub const MAX_LAG_MONTHS: u32 = 120;
/// Largest contested area, km2 (larger than any country).
pub const MAX_AREA_KM2: f64 = 2e7;
/// Most declared correlations between inputs.
pub const MAX_CORRELATIONS: usize = 256;
/// Most problems one validation lists; a last entry counts the rest.
pub const MAX_ISSUES: usize = 100;
/// Longest message or field path of one problem, in characters: a file can make them quote
/// long names, and longer ones are cut short.
pub const MAX_MESSAGE_CHARS: usize = 1_000;
