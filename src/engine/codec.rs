//! A compact little-endian encoding of chunk aggregates, for partial files
//! ([`crate::report::export::partial`]): integers and floats as their bytes (floats bit for bit,
//! so a merge replays exactly what a shard computed), vectors with their length first, and the
//! monthly sketches sparse (only their non-zero buckets). Decoding checks every length against
//! the plan, so a damaged or foreign body is an error, never a panic or a wrong table.

use super::aggregate::{Aggregate, BlockStats, MonthCounts, TrialColumns};
use crate::model::beliefs::BELIEF_COUNT;
use crate::model::{Plan, METRIC_COUNT};
use crate::seeds::READING_COUNT;
use crate::stats::{LogSketch, Proportion};

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("cut short at byte {0}")]
    Truncated(usize),
    #[error("at byte {at}: {what}")]
    Invalid { at: usize, what: String },
}

/// Appends values to a byte buffer.
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn f64s(&mut self, v: &[f64]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.f64(x));
    }
    fn f32s(&mut self, v: &[f32]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u32(x.to_bits()));
    }
    fn i16s(&mut self, v: &[i16]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.0.extend_from_slice(&x.to_le_bytes()));
    }
    fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u32(x));
    }
    fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u64(x));
    }
    /// Buckets as (length, non-zero count, then index and count of each non-zero one).
    fn sparse(&mut self, v: &[u32]) {
        self.len(v.len());
        self.len(v.iter().filter(|&&c| c != 0).count());
        for (i, &c) in v.iter().enumerate().filter(|(_, &c)| c != 0) {
            self.u32(i as u32);
            self.u32(c);
        }
    }
}

/// Reads values back, failing at the first byte that is missing or does not fit.
pub struct Reader<'a> {
    buf: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
    pub fn invalid(&self, what: impl Into<String>) -> DecodeError {
        DecodeError::Invalid { at: self.pos, what: what.into() }
    }
    fn take<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let end = self.pos.checked_add(N).filter(|&e| e <= self.buf.len()).ok_or(DecodeError::Truncated(self.pos))?;
        let b = self.buf[self.pos..end].try_into().expect("N bytes");
        self.pos = end;
        Ok(b)
    }
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.take().map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.take().map(u64::from_le_bytes)
    }
    pub fn f64(&mut self) -> Result<f64, DecodeError> {
        self.u64().map(f64::from_bits)
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or(DecodeError::Truncated(self.pos))?;
        let b = &self.buf[self.pos..end];
        self.pos = end;
        Ok(b)
    }
    /// A length that must be `expected` (what the plan or the trial count implies).
    fn len_is(&mut self, expected: usize, what: &str) -> Result<usize, DecodeError> {
        let n = self.u64()?;
        if n != expected as u64 {
            return Err(self.invalid(format!("{what} has {n} entries, expected {expected}")));
        }
        Ok(expected)
    }
    fn f64s(&mut self, n: usize, what: &str) -> Result<Vec<f64>, DecodeError> {
        let n = self.len_is(n, what)?;
        (0..n).map(|_| self.f64()).collect()
    }
    fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>, DecodeError> {
        let n = self.len_is(n, what)?;
        (0..n).map(|_| self.u32().map(f32::from_bits)).collect()
    }
    fn i16s(&mut self, n: usize, what: &str) -> Result<Vec<i16>, DecodeError> {
        let n = self.len_is(n, what)?;
        (0..n).map(|_| self.take().map(i16::from_le_bytes)).collect()
    }
    fn u32s(&mut self, n: usize, what: &str) -> Result<Vec<u32>, DecodeError> {
        let n = self.len_is(n, what)?;
        (0..n).map(|_| self.u32()).collect()
    }
    fn u64s(&mut self, n: usize, what: &str) -> Result<Vec<u64>, DecodeError> {
        let n = self.len_is(n, what)?;
        (0..n).map(|_| self.u64()).collect()
    }
    /// Sparse buckets of a length in `allowed`; indices strictly increasing, counts non-zero.
    fn sparse(&mut self, allowed: &[usize], what: &str) -> Result<Vec<u32>, DecodeError> {
        let len = self.u64()?;
        let Some(&len) = allowed.iter().find(|&&a| a as u64 == len) else {
            return Err(self.invalid(format!("{what} has {len} buckets, expected one of {allowed:?}")));
        };
        let nonzero = self.u64()?;
        if nonzero > len as u64 {
            return Err(self.invalid(format!("{what} claims {nonzero} non-zero buckets of {len}")));
        }
        let mut v = vec![0u32; len];
        let mut last = None;
        for _ in 0..nonzero {
            let (i, c) = (self.u32()? as usize, self.u32()?);
            if i >= len || last.is_some_and(|l| i <= l) || c == 0 {
                return Err(self.invalid(format!("{what}: bucket {i} (count {c}) out of order or range")));
            }
            v[i] = c;
            last = Some(i);
        }
        Ok(v)
    }
}

fn proportion(w: &mut Writer, p: &Proportion) {
    w.u64(p.hits);
    w.u64(p.trials);
}

fn read_proportion(r: &mut Reader, trials: u64, what: &str) -> Result<Proportion, DecodeError> {
    let p = Proportion { hits: r.u64()?, trials: r.u64()? };
    if p.hits > p.trials || p.trials > trials {
        return Err(r.invalid(format!("{what}: {} hits of {} trials in a chunk of {trials}", p.hits, p.trials)));
    }
    Ok(p)
}

fn sketch(w: &mut Writer, s: &LogSketch) {
    let raw = s.raw();
    w.sparse(&raw.positive);
    w.sparse(&raw.negative);
    w.u64(raw.zero);
    w.u64(raw.count);
    w.f64(raw.sum);
}

fn read_sketch(r: &mut Reader) -> Result<LogSketch, DecodeError> {
    let b = crate::stats::sketch::BUCKETS;
    let positive = r.sparse(&[b], "a monthly band")?;
    let negative = r.sparse(&[0, b], "a monthly band's negative side")?;
    let (zero, count, sum) = (r.u64()?, r.u64()?, r.f64()?);
    LogSketch::from_raw(positive, negative, zero, count, sum)
        .ok_or_else(|| r.invalid("a monthly band's counts do not add up"))
}

/// Encodes one chunk's aggregate.
pub fn encode(w: &mut Writer, a: &Aggregate) {
    w.u64(a.trials);
    w.len(a.bands.len());
    for bands in &a.bands {
        w.len(bands.len());
        bands.iter().for_each(|s| sketch(w, s));
    }
    a.met.iter().for_each(|p| proportion(w, p));
    proportion(w, &a.all_met);
    w.len(a.blocks.len());
    for b in &a.blocks {
        w.u64s(&b.start.0);
        w.u64s(&b.delivery.0);
        w.u64(b.replaced);
        b.contribution_sum.iter().for_each(|&x| w.f64(x));
    }
    a.base_sum.iter().for_each(|&x| w.f64(x));
    let c = &a.columns;
    c.metric.iter().for_each(|v| w.f64s(v));
    c.readings.iter().for_each(|v| w.f64s(v));
    c.needed.iter().for_each(|v| w.f32s(v));
    c.start.iter().for_each(|v| w.i16s(v));
    c.delivery.iter().for_each(|v| w.i16s(v));
    w.u32s(&c.replaced);
    c.factors.iter().for_each(|v| w.f32s(v));
}

/// Decodes one chunk's aggregate of at most `max_trials` trials for `plan`.
pub fn decode(r: &mut Reader, plan: &Plan, max_trials: u64) -> Result<Aggregate, DecodeError> {
    let trials = r.u64()?;
    if trials == 0 || trials > max_trials {
        return Err(r.invalid(format!("a chunk of {trials} trials (expected 1 to {max_trials})")));
    }
    let n = trials as usize;
    let template = Aggregate::new(plan);
    r.len_is(METRIC_COUNT, "the bands")?;
    let mut bands = Vec::with_capacity(METRIC_COUNT);
    for _ in 0..METRIC_COUNT {
        r.len_is(plan.months, "a metric's months")?;
        bands.push((0..plan.months).map(|_| read_sketch(r)).collect::<Result<Vec<_>, _>>()?);
    }
    let mut met = [Proportion::default(); METRIC_COUNT];
    for p in &mut met {
        *p = read_proportion(r, trials, "a target's hits")?;
    }
    let all_met = read_proportion(r, trials, "all targets' hits")?;
    r.len_is(plan.blocks.len(), "the blocks")?;
    let months_len = template.blocks.first().map_or(0, |b| b.start.0.len());
    let mut blocks = Vec::with_capacity(plan.blocks.len());
    for _ in 0..plan.blocks.len() {
        let start = MonthCounts(r.u64s(months_len, "a block's start months")?);
        let delivery = MonthCounts(r.u64s(months_len, "a block's delivery months")?);
        let replaced = r.u64()?;
        let mut contribution_sum = [0.0; METRIC_COUNT];
        for x in &mut contribution_sum {
            *x = r.f64()?;
        }
        blocks.push(BlockStats { start, delivery, replaced, contribution_sum });
    }
    let mut base_sum = [0.0; METRIC_COUNT];
    for x in &mut base_sum {
        *x = r.f64()?;
    }
    let mut c = TrialColumns::default();
    for v in &mut c.metric {
        *v = r.f64s(n, "a metric column")?;
    }
    let headline = plan.headline();
    for (v, reading) in c.readings.iter_mut().zip(crate::seeds::Reading::ALL) {
        // a headline reading's column is its metric's, not stored again
        *v = r.f64s(if TrialColumns::stores(&headline, reading) { n } else { 0 }, "a reading column")?;
    }
    for v in &mut c.needed {
        *v = r.f32s(n, "a needed-base column")?;
    }
    c.start = (0..plan.blocks.len()).map(|_| r.i16s(n, "a block's start column")).collect::<Result<_, _>>()?;
    c.delivery = (0..plan.blocks.len()).map(|_| r.i16s(n, "a block's delivery column")).collect::<Result<_, _>>()?;
    c.replaced = r.u32s(n, "the replaced column")?;
    for v in &mut c.factors {
        *v = r.f32s(n, "a factor column")?;
    }
    debug_assert_eq!((READING_COUNT, BELIEF_COUNT), (c.readings.len(), c.needed.len()));
    Ok(Aggregate { trials, bands, met, all_met, blocks, base_sum, columns: c })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{run, RunOptions};
    use std::sync::atomic::AtomicBool;

    fn small() -> (Plan, Aggregate) {
        let seeds = crate::seeds::Seeds::embedded();
        let source = crate::scenario::ScenarioSource::Embedded("baseline.toml");
        let plan = Plan::new(&crate::scenario::load(&source, &[], &seeds).unwrap());
        let opts = RunOptions { trials: 300, seed: 7, threads: 1, precision: None };
        let agg = run(&plan, &opts, &AtomicBool::new(false), &|_, _| {}).unwrap();
        (plan, agg)
    }

    #[test]
    fn an_aggregate_comes_back_bit_for_bit() {
        let (plan, agg) = small();
        let mut w = Writer::default();
        encode(&mut w, &agg);
        let mut r = Reader::new(&w.0);
        let back = decode(&mut r, &plan, 10_000).unwrap();
        assert!(r.at_end());
        assert_eq!(back, agg);
    }

    #[test]
    fn a_cut_or_altered_body_is_an_error_not_a_panic() {
        let (plan, agg) = small();
        let mut w = Writer::default();
        encode(&mut w, &agg);
        for cut in [0, 7, w.0.len() / 3, w.0.len() - 1] {
            assert!(decode(&mut Reader::new(&w.0[..cut]), &plan, 10_000).is_err(), "cut at {cut}");
        }
        assert!(matches!(decode(&mut Reader::new(&w.0), &plan, 100), Err(DecodeError::Invalid { .. })));
    }
}
