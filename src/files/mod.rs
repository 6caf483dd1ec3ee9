//! Reading and writing files safely: readers that accept only regular files (or standard
//! input) up to a size limit and never block on a FIFO ([`read`]); one crash-safe writer
//! for every output, with backups and cleanup of killed writers' temporary files
//! ([`mod@write`]); and the sink a command writes its output into ([`sink`]).

pub mod crc32;
pub mod read;
pub mod sink;
pub mod write;

pub use read::{ReadError, open_regular, read_limited};
pub use sink::Sink;
pub use write::{WriteError, WriteOptions, write_file};
