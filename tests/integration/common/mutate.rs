//! Structure-aware mutations of scenario files, shared by the property test in
//! tests/integration/scenario_errors.rs and the fuzz target in fuzz/ (each drives it with its own bytes).
//!
//! A scenario file is mostly lines `key = value` under `[section]` headers. The mutations keep
//! most of a real scenario intact and break it one way at a time — a number replaced by an
//! extreme, a value of the wrong type, a key renamed, a line removed, doubled or moved, a header
//! changed, bytes that are not UTF-8 — so that validation, not just the TOML parser, is reached.

/// Choices read from bytes (a fuzzer's input or a proptest value); zeros once they run out.
pub struct Choices<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Choices<'a> {
        Choices { bytes, pos: 0 }
    }
    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    /// A number below `n` (n ≥ 1).
    pub fn below(&mut self, n: usize) -> usize {
        let x = (self.byte() as usize) << 8 | self.byte() as usize;
        x % n.max(1)
    }
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.below(items.len())]
    }
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// Values that have broken (or nearly broken) parsers and validators somewhere.
pub const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "0.5",
    "-0.0",
    "12",
    "120",
    "121",
    "1e15",
    "1e30",
    "1e31",
    "1e308",
    "-1e308",
    "1e-320",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "0x7fffffff",
    "1_000_000",
    "\"\"",
    "\"x\"",
    "\"未定\"",
    "\"2024-11\"",
    "\"2027-12\"",
    "\"2035-12\"",
    "\"2036-01\"",
    "\"2027-13\"",
    "\"9999-99\"",
    "\"-1-01\"",
    "true",
    "false",
    "1979-05-27T07:32:00Z",
    "[]",
    "[1]",
    "[1, 2, 3]",
    "[[1.0]]",
    "[\"a\", 1]",
    "{}",
    "{ fixed = 1 }",
    "{ fixed = 0, assumption = \"a\" }",
    "{ fixed = 1e30, assumption = \"a\" }",
    "{ poisson = 1e9, assumption = \"a\" }",
    "{ lognormal = { mu = 700, sigma = 1 }, assumption = \"a\" }",
    "{ normal = { mean = 0, sd = 1e300 }, assumption = \"a\" }",
    "{ uniform = { min = 0, max = 0 }, assumption = \"a\" }",
    "{ discrete = { values = [], weights = [] }, assumption = \"a\" }",
    "{ beta = { alpha = 1e-300, beta = 1e300 }, assumption = \"a\" }",
    "{ pert = { min = 0, mode = 0, max = 1e-300, shape = 1e300 }, assumption = \"a\" }",
];

/// Lines worth inserting anywhere: headers and keys of every level.
pub const LINES: &[&str] = &[
    "[settings]",
    "[params]",
    "[params.start]",
    "[params.build]",
    "[groups]",
    "[groups.land_type.R2.start]",
    "[groups.district.nanhu.firms]",
    "[groups.nope.x]",
    "[blocks]",
    "[blocks.7.start]",
    "[blocks.0]",
    "[blocks.\"\"]",
    "[blocks.07.start]",
    "[blocks.99999999999999999999]",
    "[base]",
    "[shocks]",
    "[shocks.correlation]",
    "[levers]",
    "[levers.replacement]",
    "[levers.parallel_approvals]",
    "[reserve]",
    "[scenario]",
    "[[settings]]",
    "extends = \"baseline.toml\"",
    "extends = \"nope.toml\"",
    "extends = 1",
    "extends = \"parks_only.toml\"",
    "trials = 0",
    "trials = 20000001",
    "seed = -1",
    "horizon = \"2024-06\"",
    "target_set = \"nanhu_2027\"",
    "counted_blocks = []",
    "counted_blocks = [1, 1]",
    "counted_blocks = [0, 21]",
    "counted_blocks = \"target_set\"",
    "value = 6",
    "value = 99",
    "enabled = true",
    "checkpoint = \"2025-13\"",
    "lag_months = 61",
    "repair = true",
    "factors = [\"macro\"]",
    "matrix = [[1.0, 2.0], [2.0, 1.0]]",
    "matrix = []",
    "land_mu = 0",
    "name = \"\"",
    "delay_months = { pert = { min = 0, mode = 30, max = 24 }, assumption = \"a\" }",
    "on_time = 1",
    "a.b.c.d.e.f = 1",
    "x = [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]",
    "\"\" = 1",
    "= 1",
    "[",
    "]]",
    "\u{feff}",
    "\r",
];

/// Keys a mutation may rename another key to (the scenario format's own names, and near misses).
pub const KEYS: &[&str] = &[
    "source",
    "assumption",
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "poisson",
    "bernoulli",
    "discrete",
    "min",
    "mode",
    "max",
    "shape",
    "mean",
    "sd",
    "median",
    "p90",
    "mu",
    "sigma",
    "alpha",
    "lambda",
    "p",
    "values",
    "weights",
    "value",
    "range",
    "note",
    "trials",
    "seed",
    "horizon",
    "target_set",
    "delay_month",
    "on_tme",
    "",
];

/// Applies 1–4 mutations chosen by `c` to `text`.
pub fn mutate(text: &str, c: &mut Choices) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    let rounds = 1 + c.below(4);
    for _ in 0..rounds {
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        let i = c.below(lines.len());
        match c.below(10) {
            0..=2 => replace_number(&mut lines[i], c),
            3 => replace_value(&mut lines[i], c),
            4 => rename_key(&mut lines[i], c),
            5 => {
                lines.remove(i);
            }
            6 => {
                let copy = lines[i].clone();
                let j = c.below(lines.len() + 1);
                lines.insert(j, copy);
            }
            7 => lines.insert(i, c.pick(LINES).as_bytes().to_vec()),
            8 => {
                let j = c.below(lines.len());
                lines.swap(i, j);
            }
            _ => {
                // raw bytes into the line (often not UTF-8), or the line cut short
                let at = c.below(lines[i].len() + 1);
                if c.byte() & 1 == 0 {
                    lines[i].truncate(at);
                } else {
                    let n = 1 + c.below(4);
                    let bytes: Vec<u8> = (0..n).map(|_| c.byte()).collect();
                    lines[i].splice(at..at, bytes);
                }
            }
        }
    }
    let mut out = lines.join(&b'\n');
    out.push(b'\n');
    out
}

/// Replaces one number in the line by an interesting value.
fn replace_number(line: &mut Vec<u8>, c: &mut Choices) {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if line[i].is_ascii_digit() {
            let start = i;
            while i < line.len() && (line[i].is_ascii_digit() || b"._eE+-".contains(&line[i])) {
                i += 1;
            }
            spans.push(start..i);
        } else {
            i += 1;
        }
    }
    if spans.is_empty() {
        return replace_value(line, c);
    }
    let span = c.pick(&spans).clone();
    line.splice(span, c.pick(VALUES).bytes());
}

/// Replaces everything after the first `=` by an interesting value.
fn replace_value(line: &mut Vec<u8>, c: &mut Choices) {
    if let Some(eq) = line.iter().position(|b| *b == b'=') {
        line.truncate(eq + 1);
        line.push(b' ');
        line.extend_from_slice(c.pick(VALUES).as_bytes());
    }
}

/// Renames the key before a `=` (the first one, or one inside an inline table).
fn rename_key(line: &mut Vec<u8>, c: &mut Choices) {
    let eqs: Vec<usize> = line.iter().enumerate().filter(|(_, b)| **b == b'=').map(|(i, _)| i).collect();
    if eqs.is_empty() {
        return;
    }
    let eq = *c.pick(&eqs);
    let end = line[..eq].iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
    let start = line[..end].iter().rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).map_or(0, |p| p + 1);
    line.splice(start..end, c.pick(KEYS).bytes());
}
