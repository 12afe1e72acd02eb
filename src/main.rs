//! The `parkcast` binary: everything lives in the library; this only hands over.

fn main() -> std::process::ExitCode {
    // Piping into `head` closes stdout early: end quietly, as Unix tools do, instead of
    // panicking on the broken pipe.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    parkcast::cli::main()
}
