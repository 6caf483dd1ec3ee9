//! Shell completions and man pages generated from the clap definitions (the hidden
//! `completions` and `manpage` commands), for the Debian package and `cargo install` users.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

use super::{Cli, CliError};

/// The completion script of `shell` for every visible command and option.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "armistice", &mut buf);
    buf
}

/// The man page of `armistice` (section 1, roff): clap's sections, then exit status, files,
/// environment and examples.
pub fn manpage() -> Result<Vec<u8>, CliError> {
    let cmd = Cli::command()
        .disable_help_subcommand(true)
        .about("simulate how a war might be negotiated to an end")
        .long_about(DESCRIPTION);
    let man = page(cmd);
    let mut buf = Vec::new();
    render_main(&man, &mut buf)
        .map_err(|e| CliError::Other(format!("cannot render the man page: {e}")))?;
    Ok(buf)
}

/// Writes `armistice.1` and one page per visible subcommand (`armistice-run.1`, ...) into
/// `dir`, creating it if needed, and returns the paths written.
pub fn manpages(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let fail = |what: &Path, e: std::io::Error| {
        CliError::Other(format!("{}: cannot write: {e}", what.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let main_path = dir.join("armistice.1");
    std::fs::write(&main_path, manpage()?).map_err(|e| fail(&main_path, e))?;
    let mut written = vec![main_path];
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = page(sub.clone());
        let path = dir.join(man.get_filename());
        let mut buf = Vec::new();
        man.render(&mut buf).map_err(|e| fail(&path, e))?;
        std::fs::write(&path, buf).map_err(|e| fail(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// The DESCRIPTION of the main page.
const DESCRIPTION: &str = "Armistice explores how a war might be negotiated to an end. A \
scenario file (RON text, .ron) describes two warring sides, the aid and troops that third \
parties give them, and a menu of concession packages. Armistice draws every uncertain input \
many times, runs each draw through a model of the war and the bargaining table, and \
summarises each side's bargaining leverage, which deal (if any) both sides would accept, and \
how the front moves. It is an exploration tool with every assumption visible, not a \
forecast.\n\nWith no command, armistice opens the desktop app on FILE (or on the built-in \
late-2024 baseline). The commands run scenarios headless, validate them, and run sweeps and \
sensitivity analyses whose CSV output reads directly into pandas or R.";

/// A page of the Armistice manual, its footer naming the version.
fn page(cmd: clap::Command) -> Man {
    Man::new(cmd)
        .manual("Armistice manual")
        .source(format!("armistice {}", env!("CARGO_PKG_VERSION")))
}

fn render_main(man: &Man, out: &mut Vec<u8>) -> std::io::Result<()> {
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    extra_sections().to_writer(out)
}

/// What clap does not know: exit codes, installed files, environment, examples.
fn extra_sections() -> Roff {
    let mut roff = Roff::default();
    let paragraph = |roff: &mut Roff, tag: &str, text: &str| {
        roff.control("TP", []);
        roff.text([roman(tag)]);
        roff.text([roman(text)]);
    };
    roff.control("SH", ["EXIT STATUS"]);
    paragraph(&mut roff, "0", "Success.");
    paragraph(
        &mut roff,
        "1",
        "A failure that is not the input's fault (a file that cannot be written, a run that \
         fails).",
    );
    paragraph(
        &mut roff,
        "2",
        "Bad input: a scenario file or an argument; the message says where (file, line, \
         column or field) and what was expected.",
    );
    roff.control("SH", ["FILES"]);
    paragraph(
        &mut roff,
        "/usr/share/armistice/scenarios/",
        "The shipped scenarios (installed by the Debian package): the late-2024 baseline, its \
         variants and a teaching scenario with fictional countries.",
    );
    paragraph(
        &mut roff,
        "/usr/share/doc/armistice/",
        "The model, the scenario format, the analyses, performance and reliability notes.",
    );
    paragraph(
        &mut roff,
        "$XDG_DATA_HOME/armistice/ (by default ~/.local/share/armistice/)",
        "The desktop app's settings and the autosaved drafts of unsaved changes.",
    );
    roff.control("SH", ["ENVIRONMENT"]);
    paragraph(
        &mut roff,
        "ARMISTICE_RENDERER",
        "The renderer of the desktop app; this build draws with OpenGL (glow) only.",
    );
    paragraph(
        &mut roff,
        "DISPLAY, WAYLAND_DISPLAY",
        "The display the desktop app opens its window on.",
    );
    roff.control("SH", ["EXAMPLES"]);
    for (text, command) in [
        (
            "Open a scenario in the desktop app:",
            "armistice scenario.ron",
        ),
        (
            "Run the baseline headless and read the summary:",
            "armistice run /usr/share/armistice/scenarios/baseline-2024.ron",
        ),
        (
            "Per-trial results for pandas:",
            "armistice run scenario.ron --format csv --out trials.csv",
        ),
        (
            "Validate files:",
            "armistice check /usr/share/armistice/scenarios/*.ron",
        ),
        (
            "Install bash completions for one user:",
            "armistice completions bash > ~/.local/share/bash-completion/completions/armistice",
        ),
    ] {
        roff.control("PP", []);
        roff.text([roman(text)]);
        roff.control("RS", []);
        roff.control("EX", []);
        roff.text([roman(command)]);
        roff.control("EE", []);
        roff.control("RE", []);
    }
    roff.control("SH", ["VERSION"]);
    for (i, line) in super::long_version().lines().enumerate() {
        if i > 0 {
            roff.control("br", []);
        }
        roff.text([roman(line)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "armistice-run(1), armistice-check(1), armistice-sweep(1), armistice-sensitivity(1); \
         the scenario format in /usr/share/doc/armistice/SCENARIO_FORMAT.md",
    )]);
    roff
}
