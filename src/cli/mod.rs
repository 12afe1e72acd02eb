//! Command line: clap parses raw arguments into [`args::Cli`]; each command resolves them into
//! validated library types and runs. Errors become messages on stderr and exit codes
//! (2 for bad input, 1 for failures while running).

#[macro_use]
mod term;
pub mod args;
mod blocks;
mod confirm;
mod design_shard;
mod discover;
mod grid;
mod merge;
mod monitor;
mod monitor_two_level;
mod out_name;
mod packages;
mod progress;
mod replay;
mod report;
mod run;
mod run_extras;
mod runs;
mod sensitivity;
mod shard;
mod template;
mod two_level;
mod typed;
mod validate;
mod whatif;

use crate::scenario::ScenarioSource;
use crate::seeds::Seeds;
use crate::text;
use crate::Error;
use args::{Cli, Command, ScenarioArgs};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// Parses `std::env::args`, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print as clap does; an argument error quotes what was typed
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let mut message = e.render().to_string();
            message.push_str(&run_option_tip(&e));
            let _ = std::io::stderr().write_all(text::printable(&message).as_bytes());
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // one write: a message of many problems reaches the terminal whole, and escaped
            let message = format!("error: {e}\n");
            let _ = std::io::stderr().write_all(text::printable(&message).as_bytes());
            ExitCode::from(e.exit_code())
        }
    }
}

/// `parkcast --trials 2000` (no command): a run's option given before any command. The tip
/// says to put it after `run`.
fn run_option_tip(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::UnknownArgument {
        return String::new();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let first_is_option = args.first().is_some_and(|a| a.starts_with('-'));
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else { return String::new() };
    let name = arg.split('=').next().unwrap_or(arg).trim_start_matches('-');
    let cli = <Cli as clap::CommandFactory>::command();
    let run_has_it =
        cli.find_subcommand("run").is_some_and(|run| run.get_arguments().any(|a| a.get_long() == Some(name)));
    if first_is_option && run_has_it {
        format!("tip: options of a run go after the command: parkcast run {}\n", args.join(" "))
    } else {
        String::new()
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    let seeds = load_seeds(cli.seeds.as_deref())?;
    match cli.command {
        None => run::run(&seeds, &args::RunArgs::default_run()),
        Some(Command::Run(args)) => run::run(&seeds, &args),
        Some(Command::Blocks) => blocks::run(&seeds),
        Some(Command::Report { dir, lang }) => report::run(&dir, lang),
        Some(Command::Compare(args)) => whatif::compare(&seeds, &args),
        Some(Command::Sweep(args)) => whatif::sweep(&seeds, &args),
        Some(Command::GoalSeek(args)) => whatif::goal_seek(&seeds, &args),
        Some(Command::Packages(args)) => packages::packages(&seeds, &args),
        Some(Command::Tornado(args)) => sensitivity::tornado(&seeds, &args),
        Some(Command::Replay(args)) => replay::replay_command(&seeds, &args),
        Some(Command::Sobol(args)) => sensitivity::sobol(&seeds, &args),
        Some(Command::Discover(args)) => discover::discover(&seeds, &args),
        Some(Command::Monitor(args)) => monitor::monitor(&seeds, &args),
        Some(Command::Runs(args)) => runs::runs(&args),
        Some(Command::Merge(args)) => merge::merge(&seeds, &args),
        Some(Command::Validate { scenario, block }) => validate::run(&seeds, &scenario, block),
        Some(Command::Template(args)) => template::run(&seeds, &args),
    }
}

/// The seeds: `--seeds DIR` if given, else `./seeds` if it holds any seed file, else the
/// embedded copy; a seed file the directory does not hold is the built-in one, and a note says
/// which.
pub fn load_seeds(dir: Option<&std::path::Path>) -> Result<Seeds, Error> {
    let local = std::path::Path::new("seeds");
    let dir = match dir {
        Some(d) => d,
        None if ["blocks.csv", "targets.toml", "base.toml"].iter().any(|f| local.join(f).is_file()) => local,
        None => return Ok(Seeds::embedded()),
    };
    let seeds = Seeds::from_dir(dir)?;
    if !seeds.built_in.is_empty() {
        errln!(
            "note: seeds from {}; {} built in (the folder has no such file)",
            dir.display(),
            seeds.built_in.join(" and ")
        );
    }
    Ok(seeds)
}

impl ScenarioArgs {
    /// Where to read the scenario from.
    pub fn source(&self) -> ScenarioSource {
        match &self.scenario {
            Some(arg) => ScenarioSource::from_arg(arg),
            None => ScenarioSource::default_baseline(),
        }
    }
}

/// Set by Ctrl-C or SIGTERM; long work checks it and stops.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Installs the Ctrl-C / SIGTERM handler (once).
pub fn catch_interrupts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst));
    });
}

/// A simulation that stopped: interrupted (exit 130) or failed (exit 1); nothing was written.
pub(crate) fn run_failed(e: crate::engine::RunError) -> Error {
    match e {
        crate::engine::RunError::Interrupted { .. } => {
            Error::Interrupted(format!("{e}; no output was written, earlier results are untouched"))
        }
        other => Error::Runtime(other.to_string()),
    }
}

/// The scenario an analysis command names (default: the baseline) with its `--set` overrides
/// and `--seed`, plus `flags` (override, flag as typed) that other flags became; a problem with
/// a flag's value names the flag. Prints the scenario's warnings.
pub(crate) fn load_scenario(
    seeds: &Seeds,
    scenario: &Option<String>,
    overrides: &[String],
    seed: Option<u64>,
    flags: &[(String, String)],
) -> Result<crate::scenario::Scenario, Error> {
    run::check_seed(seed)?;
    let mut flags = flags.to_vec();
    if let Some(s) = seed {
        flags.push((format!("settings.seed={s}"), format!("--seed {s}")));
    }
    let mut overrides = overrides.to_vec();
    overrides.extend(flags.iter().map(|(set, _)| set.clone()));
    let s =
        crate::scenario::load(&whatif::source(scenario), &overrides, seeds).map_err(|e| run::name_flags(e, &flags))?;
    print_warnings(&s.warnings);
    Ok(s)
}

/// Prints warnings (e.g. a repaired correlation matrix) to stderr.
pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        errln!("warning: {w}");
    }
}
