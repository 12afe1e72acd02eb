//! Printing to the terminal. Every line parkcast prints goes through these macros, which are
//! `println!`, `print!` and `eprintln!` with the formatted text passed through
//! [`crate::text::printable`]: user-supplied text in it (scenario names and descriptions,
//! observation sources, block names, `--set` values, paths) shows its control characters and
//! bidi overrides escaped instead of acting on the terminal. parkcast's own text has none.

/// `println!`, with control characters in the text escaped.
macro_rules! outln {
    () => {
        println!()
    };
    ($($arg:tt)*) => {
        println!("{}", $crate::text::printable(&format!($($arg)*)))
    };
}

/// `print!`, with control characters in the text escaped.
macro_rules! out {
    ($($arg:tt)*) => {
        print!("{}", $crate::text::printable(&format!($($arg)*)))
    };
}

/// `eprintln!`, with control characters in the text escaped.
macro_rules! errln {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::text::printable(&format!($($arg)*)))
    };
}
