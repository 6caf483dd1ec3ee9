//! Entry point: parses the command line, dispatches to the headless commands or the desktop
//! app, and maps errors to exit codes (2 bad input, 1 anything else).

use clap::{CommandFactory, FromArgMatches};

use armistice::{Cli, CliError, execute};

fn main() {
    // `--no-color` must hold before parsing, for the help and the errors parsing prints
    // (NO_COLOR is honoured by clap itself).
    let mut command = Cli::command();
    if std::env::args_os().any(|a| a == "--no-color") {
        command = command.color(clap::ColorChoice::Never);
    }
    let cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit());
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
