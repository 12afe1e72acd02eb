//! The cost line printed before a job, and the confirmation a long job needs.
//!
//! A job estimated to run longer than [`CONFIRM_ABOVE_SECONDS`] asks on the terminal when
//! both stdin and stderr are one; without a terminal (scripts, CI, a pipe) it is refused unless
//! `--yes` is given, since nobody could answer and a job of hours should not start by
//! accident: the refusal names the flag to add. More than [`MAX_TRIALS_PER_COMMAND`] trials
//! are refused, `--yes` or not.

#[cfg(doc)]
use crate::engine::cost::MAX_TRIALS_PER_COMMAND;
use crate::engine::cost::{duration, Cost, CONFIRM_ABOVE_SECONDS};
use crate::Error;
use std::io::{BufRead, IsTerminal, Write};

/// Refuses a job of more trials than one command may run, prints its cost line, and asks
/// before a long one (or refuses it without a terminal unless `yes`). `flag` names what set
/// the job's size, as the user typed it.
pub(super) fn confirm(cost: &Cost, flag: &str, yes: bool) -> Result<(), Error> {
    cost.check_total().map_err(|e| Error::Usage(format!("{flag}: {e}; ask for fewer trials")))?;
    eprintln!("{}", cost.line());
    if yes || !cost.is_long() {
        return Ok(());
    }
    let limit = duration(CONFIRM_ABOVE_SECONDS);
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::Usage(format!(
            "{flag}: about {} on this machine, more than the {limit} a command runs unasked, and there is no terminal to ask on; give --yes to start it",
            duration(cost.seconds())
        )));
    }
    eprint!("This runs for about {}. Start it? [y/N] ", duration(cost.seconds()));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Error::Usage(format!("{flag}: not started; give --yes to start it without asking"))),
    }
}
