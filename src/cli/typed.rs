//! Numbers as people type them on the command line: `--values -0.02,0.05`, `--range -1:1:3`,
//! `--bounds -0.1,0.3`, also from a Chinese input method (full-width digits, `，`, `：`, `－`).
//! A percent such as `8%` is refused with the fraction to write instead: parkcast's shares are
//! fractions everywhere (scenario files too), and other parameters are months or counts, where
//! a percent would mean nothing.

use crate::text::ascii_form;
use crate::Error;

/// One number of `flag`'s value (already in ASCII form): finite, no percent sign.
fn number(flag: &str, given: &str, item: &str) -> Result<f64, Error> {
    let t = item.trim();
    if let Some(fraction) = crate::text::percent_as_fraction(t) {
        return Err(Error::Usage(format!(
            "{flag} {given}: `{t}` is a percent: parkcast writes shares as fractions, so write {fraction}"
        )));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(Error::Usage(format!("{flag} {given}: `{t}` is not a finite number"))),
        Err(_) => Err(Error::Usage(format!(
            "{flag} {given}: `{t}` is not a number (write plain numbers such as -0.02, 6 or 7e10)"
        ))),
    }
}

/// `--values A,B,C`: comma-separated numbers, negatives and full-width forms included.
pub fn list(flag: &str, text: &str) -> Result<Vec<f64>, Error> {
    let ascii = ascii_form(text);
    let items: Vec<&str> = ascii.split(',').collect();
    if items.iter().any(|i| i.trim().is_empty()) {
        return Err(Error::Usage(format!(
            "{flag} {text}: an empty item; separate numbers by single commas, e.g. -0.02,0,0.05"
        )));
    }
    items.iter().map(|i| number(flag, text, i)).collect()
}

/// `--bounds LO,HI`: two numbers with LO < HI.
pub fn bounds(flag: &str, text: &str) -> Result<(f64, f64), Error> {
    match list(flag, text)?.as_slice() {
        [lo, hi] if lo < hi => Ok((*lo, *hi)),
        _ => Err(Error::Usage(format!("{flag} {text}: give two finite numbers LO,HI with LO < HI, e.g. -0.1,0.3"))),
    }
}

/// `--range LO:HI:STEPS`: STEPS evenly spaced values from LO to HI, ends included, at most
/// `max_steps`.
pub fn range(flag: &str, text: &str, max_steps: usize) -> Result<Vec<f64>, Error> {
    let bad = || {
        Error::Usage(format!(
            "{flag} {text}: expected LO:HI:STEPS, e.g. 0:12:7 or -1:1:3 (STEPS points from LO to HI, 2 to {max_steps})"
        ))
    };
    let ascii = ascii_form(text);
    let parts: Vec<&str> = ascii.split(':').collect();
    let [lo, hi, steps] = parts.as_slice() else {
        return Err(bad());
    };
    let lo = number(flag, text, lo)?;
    let hi = number(flag, text, hi)?;
    let steps: usize = steps.trim().parse().map_err(|_| bad())?;
    if !(2..=max_steps).contains(&steps) || hi <= lo {
        return Err(bad());
    }
    Ok((0..steps).map(|i| lo + (hi - lo) * i as f64 / (steps - 1) as f64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug, Error>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn negatives_and_full_width_forms_are_numbers() {
        assert_eq!(list("--values", "-0.02,0.05").unwrap(), vec![-0.02, 0.05]);
        assert_eq!(list("--values", "０，３，６").unwrap(), vec![0.0, 3.0, 6.0]);
        assert_eq!(list("--values", "0，3、6").unwrap(), vec![0.0, 3.0, 6.0]);
        assert_eq!(list("--values", "\u{2212}1, 2").unwrap(), vec![-1.0, 2.0]);
        assert_eq!(range("--range", "-1:1:3", 10).unwrap(), vec![-1.0, 0.0, 1.0]);
        assert_eq!(range("--range", "０：１２：３", 10).unwrap(), vec![0.0, 6.0, 12.0]);
        assert_eq!(bounds("--bounds", "-0.1,0.3").unwrap(), (-0.1, 0.3));
        assert_eq!(bounds("--bounds", "－0.1，0.3").unwrap(), (-0.1, 0.3));
    }

    #[test]
    fn a_percent_is_refused_with_the_fraction_to_write() {
        assert_eq!(
            message(list("--values", "8%,10%")),
            "--values 8%,10%: `8%` is a percent: parkcast writes shares as fractions, so write 0.08"
        );
        assert!(message(bounds("--bounds", "0,12.5％")).ends_with("write 0.125"));
        assert!(message(range("--range", "1%:5:3", 10)).ends_with("write 0.01"));
    }

    #[test]
    fn bad_lists_name_the_flag_and_the_item() {
        assert!(message(list("--values", "1,,2")).contains("an empty item"));
        assert!(message(list("--values", "1,x")).contains("`x` is not a number"));
        assert!(message(list("--values", "1,inf")).contains("`inf` is not a finite number"));
        assert!(message(bounds("--bounds", "0.3,-0.1")).contains("LO < HI"));
        assert!(message(bounds("--bounds", "1")).contains("LO < HI"));
        assert!(message(range("--range", "1:0:3", 10)).contains("expected LO:HI:STEPS"));
        assert!(message(range("--range", "0:1:11", 10)).contains("2 to 10"));
    }
}
