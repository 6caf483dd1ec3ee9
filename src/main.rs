//! Entry point: parses the command line, dispatches to the headless commands or the desktop
//! app, and maps errors to exit codes (2 bad input, 1 anything else).

use clap::Parser;

use armistice::{Cli, CliError, execute};

fn main() {
    let cli = Cli::parse();
    armistice::set_force(cli.force);
    let result = match cli.command {
        Some(command) => execute(command),
        None => open_app(cli.file),
    };
    if let Err(e) = result {
        let code = e.exit_code();
        if code != 0 {
            // A closed standard error must not turn a failure into a crash.
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "armistice: {e}");
        }
        std::process::exit(code);
    }
}

#[cfg(feature = "gui")]
fn open_app(file: Option<std::path::PathBuf>) -> Result<(), CliError> {
    armistice::run_native(file).map_err(|e| CliError::Other(e.to_string()))
}

/// Built without the desktop app: run the scenario headless and print its summary.
#[cfg(not(feature = "gui"))]
fn open_app(file: Option<std::path::PathBuf>) -> Result<(), CliError> {
    armistice::run(
        file.as_deref(),
        &armistice::RunArgs::default(),
        armistice::Format::Table,
    )
}
