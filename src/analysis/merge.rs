//! Shard files and their merge. `armistice sweep --shard I/N` writes a shard as the sweep's
//! CSV preceded by one checksum line:
//!
//! ```text
//! # armistice-shard 2/3 sweep=sw-… vary=battlefield.exchange_ratio=1:4:7 rows=170 bytes=12345 crc32=89abcdef
//! ```
//!
//! (`rows` data rows, `bytes` and `crc32` of everything after that line; a `whole=NAME` word
//! after the `vary` words marks an axis of whole months, whose values are rounded). [`merge_csv`] joins
//! the shards of one sweep into exactly the CSV an unsharded run writes, and refuses a shard
//! that was cut short or changed (its checksum), and any row that does not belong to the sweep
//! it claims: every cell is checked (the sweep id and point count, the point owned by the
//! shard, each grid coordinate the value of its axis at that point, a known output and
//! statistic in the same order at every point, a finite value in the range of its statistic).
//! Each refusal names the shard, the line and the reason.
//!
//! Long because every cell's check lives beside the format it checks; the tests of each
//! refusal follow.

use std::io::{BufRead, BufReader, Read, Write};

use super::sweep::{Axis, LEADING_COLUMNS, Shard, SweepResult, SweepSpec, TRAILING_COLUMNS};
use super::{AnalysisError, Statistic};
pub use crate::files::crc32::Crc32;
use crate::stats::Outcome;
use crate::text::fmt_csv;

/// The start of a shard's checksum line.
pub const SHARD_LINE: &str = "# armistice-shard";

/// What a shard's checksum line says.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardLine {
    /// Which shard of how many.
    pub shard: Shard,
    /// The sweep's id (see `SweepSpec::id`).
    pub sweep: String,
    /// The sweep's axes.
    pub axes: Vec<Axis>,
    /// Data rows that follow the header.
    pub rows: u64,
    /// Bytes that follow the checksum line.
    pub bytes: u64,
    /// CRC-32 of those bytes.
    pub crc32: u32,
}

impl ShardLine {
    /// The line as written (with its line end).
    pub fn text(&self) -> String {
        let mut s = format!(
            "{SHARD_LINE} {}/{} sweep={}",
            self.shard.index, self.shard.count, self.sweep
        );
        for a in &self.axes {
            s.push_str(&format!(
                " vary={}={}:{}:{}",
                a.path,
                fmt_csv(a.from),
                fmt_csv(a.to),
                a.steps
            ));
        }
        for a in self.axes.iter().filter(|a| a.whole) {
            s.push_str(&format!(" whole={}", a.path));
        }
        s.push_str(&format!(
            " rows={} bytes={} crc32={:08x}\n",
            self.rows, self.bytes, self.crc32
        ));
        s
    }

    /// Parses the line (without its line end).
    pub fn parse(line: &str) -> Option<ShardLine> {
        let mut words = line.strip_prefix(SHARD_LINE)?.split(' ').skip(1);
        let shard: Shard = words.next()?.parse().ok()?;
        let (mut sweep, mut axes, mut rows, mut bytes, mut crc) = (None, vec![], None, None, None);
        for w in words {
            let (k, v) = w.split_once('=')?;
            match k {
                "sweep" => sweep = Some(v.to_string()),
                "vary" => axes.push(Axis::parse(v).ok()?),
                "whole" => axes.iter_mut().find(|a| a.path == v)?.whole = true,
                "rows" => rows = v.parse().ok(),
                "bytes" => bytes = v.parse().ok(),
                "crc32" => crc = u32::from_str_radix(v, 16).ok(),
                _ => return None,
            }
        }
        Some(ShardLine {
            shard,
            sweep: sweep?,
            axes,
            rows: rows?,
            bytes: bytes?,
            crc32: crc?,
        })
    }
}

/// Writes one shard: its checksum line, then the CSV of its points.
pub fn write_shard(
    result: &SweepResult,
    shard: Shard,
    w: &mut dyn Write,
) -> Result<(), AnalysisError> {
    let mut body = Vec::new();
    super::sweep::write_sweep_csv(result, &mut body)?;
    let mut crc = Crc32::default();
    crc.update(&body);
    // Data rows: the lines after the header, not counting the commented stamp.
    let rows = body
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
        .count()
        .saturating_sub(1) as u64;
    let line = ShardLine {
        shard,
        sweep: result.id.clone(),
        axes: result.spec.axes.clone(),
        rows,
        bytes: body.len() as u64,
        crc32: crc.value(),
    };
    w.write_all(line.text().as_bytes())
        .and_then(|_| w.write_all(&body))
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))
}

/// A reader that counts and checksums what passes through it.
struct Counted<R> {
    inner: R,
    crc: Crc32,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn bad(m: String) -> AnalysisError {
    AnalysisError::BadRequest(m)
}

/// Reads a shard's checksum line; `line` is what was read (for messages).
fn read_shard_line<R: BufRead>(name: &str, r: &mut R) -> Result<ShardLine, AnalysisError> {
    let mut first = Vec::new();
    r.by_ref()
        .take(64 * 1024)
        .read_until(b'\n', &mut first)
        .map_err(|e| bad(format!("{name}: cannot read: {e}")))?;
    let text = String::from_utf8_lossy(&first);
    let text = text.trim_end_matches(['\n', '\r']);
    if !first.ends_with(b"\n") && !text.is_empty() && text.starts_with(SHARD_LINE) {
        return Err(bad(format!(
            "{name}: line 1: the file ends inside its checksum line: it was cut short"
        )));
    }
    ShardLine::parse(text).ok_or_else(|| {
        bad(format!(
            "{name}: line 1: not a shard of a sweep: a shard starts with its checksum line \
             `{SHARD_LINE} I/N sweep=... rows=... bytes=... crc32=...`, as `armistice sweep \
             --shard I/N` writes it"
        ))
    })
}

/// Reads the comment lines (`#`, the stamp) at the reader's position: their text and count.
fn read_comments<B: BufRead>(name: &str, r: &mut B) -> Result<(String, u64), AnalysisError> {
    let mut text = String::new();
    let mut count = 0u64;
    loop {
        let starts_comment = r
            .fill_buf()
            .map_err(|e| bad(format!("{name}: cannot read: {e}")))?
            .first()
            == Some(&b'#');
        if !starts_comment {
            return Ok((text, count));
        }
        let mut line = Vec::new();
        r.by_ref()
            .take(64 * 1024)
            .read_until(b'\n', &mut line)
            .map_err(|e| bad(format!("{name}: cannot read: {e}")))?;
        text.push_str(&String::from_utf8_lossy(&line));
        count += 1;
    }
}

/// Checks a whole shard against its checksum line without merging it: the cheap first pass
/// that lets a merge refuse a damaged shard before writing anything.
pub fn verify_shard<R: Read>(name: &str, r: R) -> Result<ShardLine, AnalysisError> {
    let mut r = BufReader::new(r);
    let line = read_shard_line(name, &mut r)?;
    let mut counted = Counted {
        inner: r,
        crc: Crc32::default(),
        bytes: 0,
    };
    // Lines that are not comments (the header and the data rows).
    let mut lines = 0u64;
    let mut buf = [0u8; 1 << 16];
    let (mut at_start, mut comment) = (true, false);
    loop {
        let n = counted
            .read(&mut buf)
            .map_err(|e| bad(format!("{name}: cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            if at_start {
                comment = b == b'#';
                at_start = false;
            }
            if b == b'\n' {
                lines += u64::from(!comment);
                at_start = true;
            }
        }
    }
    let rows = (lines + u64::from(!at_start && !comment)).saturating_sub(1);
    check_sums(name, &line, rows, counted.bytes, counted.crc.value())?;
    Ok(line)
}

fn check_sums(
    name: &str,
    line: &ShardLine,
    rows: u64,
    bytes: u64,
    crc: u32,
) -> Result<(), AnalysisError> {
    if bytes < line.bytes || rows < line.rows {
        return Err(bad(format!(
            "{name}: line {}: the file ends early: its checksum line promises {} rows ({} bytes), \
             it holds {rows} ({bytes} bytes); it was cut short, run the shard again",
            rows + 2,
            line.rows,
            line.bytes
        )));
    }
    if bytes != line.bytes || rows != line.rows || crc != line.crc32 {
        return Err(bad(format!(
            "{name}: line 1: the rows do not match the checksum line (crc32 {crc:08x}, {rows} rows, \
             {bytes} bytes; expected {:08x}, {} rows, {} bytes): the file was changed after \
             `armistice sweep` wrote it",
            line.crc32, line.rows, line.bytes
        )));
    }
    Ok(())
}

/// What [`merge_csv`] joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSummary {
    pub sweep: String,
    pub points: usize,
    pub rows: usize,
}

struct ShardReader<R: Read> {
    name: String,
    line: ShardLine,
    reader: csv::Reader<BufReader<Counted<BufReader<R>>>>,
    next: Option<csv::StringRecord>,
    rows: u64,
    /// Comment lines (the stamp) between the checksum line and the header.
    skipped: u64,
}

impl<R: Read> ShardReader<R> {
    fn advance(&mut self) -> Result<(), AnalysisError> {
        let mut rec = csv::StringRecord::new();
        let more = self.reader.read_record(&mut rec).map_err(|e| {
            let at = e.position().map_or(0, |p| p.line() + 1 + self.skipped);
            bad(format!(
                "{}: line {at}: not a row of a sweep CSV: {e}",
                self.name
            ))
        })?;
        if more {
            self.rows += 1;
            self.next = Some(rec);
        } else {
            self.next = None;
            let c = self.reader.get_ref().get_ref();
            check_sums(&self.name, &self.line, self.rows, c.bytes, c.crc.value())?;
        }
        Ok(())
    }

    /// The line number of the pending row (the checksum line is line 1).
    fn line_no(&self) -> u64 {
        self.next
            .as_ref()
            .and_then(|r| r.position())
            .map_or(0, |p| p.line() + 1 + self.skipped)
    }

    fn fail(&self, reason: String) -> AnalysisError {
        bad(format!("{}: line {}: {reason}", self.name, self.line_no()))
    }
}

/// The allowed range of a statistic's values.
fn value_range(output: &str, stat: Statistic) -> (f64, f64) {
    let share = matches!(output, "leverage_a" | "leverage_b" | "win_probability_a");
    let count = matches!(
        output,
        "casualties_a" | "casualties_b" | "held_by_b_km2" | "settlement_month"
    );
    match stat {
        Statistic::P => (0.0, 1.0),
        Statistic::Se if output.starts_with("p_") => (0.0, 0.5),
        Statistic::Se => (0.0, f64::INFINITY),
        _ if share => (0.0, 1.0),
        _ if count => (0.0, f64::INFINITY),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

/// The statistics of the output named `id`, if it is one sweeps write (see
/// [`super::Output::statistics`]).
fn statistics_of(id: &str) -> Option<&'static [Statistic]> {
    let probability = id == "p_deal"
        || id.strip_prefix("p_package:").is_some_and(|n| !n.is_empty())
        || id
            .strip_prefix("p_settled_by:")
            .is_some_and(|m| m.parse::<u32>().is_ok());
    if probability {
        Some(&Statistic::OF_PROBABILITY)
    } else if id == "settlement_month" || Outcome::ALL.iter().any(|o| o.id() == id) {
        Some(&Statistic::OF_CONTINUOUS)
    } else if id == "median_settlement_month" {
        Some(&[Statistic::Value])
    } else {
        None
    }
}

/// Checks every cell of one row of point `p`; `shape` is the (output, statistic) sequence
/// of a point, learnt from the first one; `k` the row's place in its point.
fn check_row<R: Read>(
    s: &ShardReader<R>,
    rec: &csv::StringRecord,
    spec: &SweepSpec,
    p: usize,
    k: usize,
    shape: &[(String, String)],
    last_quantile: &mut f64,
) -> Result<(String, String), AnalysisError> {
    let n_axes = spec.axes.len();
    let id = rec.get(0).unwrap_or("");
    if id != s.line.sweep {
        return Err(s.fail(format!(
            "the row belongs to sweep `{id}`, the shard's checksum line to `{}`",
            s.line.sweep
        )));
    }
    if rec.get(1) != Some(spec.points().to_string().as_str()) {
        return Err(s.fail(format!(
            "the point count is `{}`; the sweep's grid has {} points",
            rec.get(1).unwrap_or(""),
            spec.points()
        )));
    }
    if !s.line.shard.owns(p) {
        return Err(s.fail(format!(
            "point {p} does not belong to shard {}/{}",
            s.line.shard.index, s.line.shard.count
        )));
    }
    for (a, (axis, c)) in spec.axes.iter().zip(spec.coords(p)).enumerate() {
        let want = axis.format(axis.value(c));
        let got = rec.get(LEADING_COLUMNS.len() + a).unwrap_or("");
        if got != want {
            return Err(s.fail(format!(
                "`{}` is `{got}` at point {p}; on the grid ({}={}:{}:{}) it is {want}",
                axis.path,
                axis.path,
                fmt_csv(axis.from),
                fmt_csv(axis.to),
                axis.steps
            )));
        }
    }
    let base = LEADING_COLUMNS.len() + n_axes;
    let output = rec.get(base).unwrap_or("").to_string();
    let stat_id = rec.get(base + 1).unwrap_or("").to_string();
    let Some(stats) = statistics_of(&output) else {
        return Err(s.fail(format!("`{output}` is not an output sweeps write")));
    };
    let Some(&stat) = stats.iter().find(|st| st.id() == stat_id) else {
        let names: Vec<&str> = stats.iter().map(|st| st.id()).collect();
        return Err(s.fail(format!(
            "`{stat_id}` is not a statistic of `{output}` (expected one of {})",
            names.join(", ")
        )));
    };
    if let Some((o, st)) = shape.get(k)
        && (*o != output || *st != stat_id)
    {
        return Err(s.fail(format!(
            "row {} of point {p} is {output} {stat_id}; at every other point it is {o} {st}",
            k + 1
        )));
    }
    let unit = rec.get(base + 3).unwrap_or("");
    let want_unit = super::Output::unit_of_id(&output).unwrap_or("");
    if unit != want_unit {
        return Err(s.fail(format!(
            "the unit of {output} is `{unit}`; sweeps write `{want_unit}`"
        )));
    }
    let text = rec.get(base + 2).unwrap_or("");
    // The median month of settlement is NaN when half the trials never settle, and P(settled
    // by month m) past a point's own horizon (a sweep over the horizon).
    let past_horizon = output
        .strip_prefix("p_settled_by:")
        .and_then(|m| m.parse::<f64>().ok())
        .zip(
            spec.axes
                .iter()
                .zip(spec.coords(p))
                .find(|(a, _)| a.path == super::sweep::HORIZON_PATH)
                .map(|(a, c)| a.value(c)),
        )
        .is_some_and(|(m, horizon)| m > horizon);
    let may_be_nan = stat == Statistic::Value || past_horizon;
    let value: f64 = text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() || (may_be_nan && v.is_nan()))
        .ok_or_else(|| {
            s.fail(format!(
                "the value `{text}` of {output} {stat_id} is not a finite number"
            ))
        })?;
    let (lo, hi) = value_range(&output, stat);
    if !(value.is_nan() || (value >= lo && value <= hi)) {
        return Err(s.fail(format!(
            "{output} {stat_id} is {text}, outside its range {lo}..={hi}"
        )));
    }
    // Quantiles of one output never decrease.
    match stat {
        Statistic::P5 => *last_quantile = value,
        Statistic::P25 | Statistic::P50 | Statistic::P75 | Statistic::P95 => {
            if value < *last_quantile {
                return Err(s.fail(format!(
                    "{output} {stat_id} is {text}, below the quantile before it ({})",
                    fmt_csv(*last_quantile)
                )));
            }
            *last_quantile = value;
        }
        _ => {}
    }
    Ok((output, stat_id))
}

/// Joins the shard files of one sweep into exactly the CSV an unsharded run writes. Each
/// input is `(name for messages, reader)`. Refuses (naming the shard, the line and the
/// reason) a shard that was cut short or changed, rows that do not belong to the sweep, a
/// point that two shards hold, and missing points. Reads each file once, in order, so memory
/// stays small; a damaged shard may be found after some rows were written, so write into a
/// temporary file (or check the shards first with [`verify_shard`]).
pub fn merge_csv<R: Read>(
    inputs: Vec<(String, R)>,
    w: impl Write,
) -> Result<MergeSummary, AnalysisError> {
    if inputs.is_empty() {
        return Err(bad("give the shard files to merge".into()));
    }
    let mut shards = Vec::with_capacity(inputs.len());
    let mut header: Option<(String, csv::StringRecord)> = None;
    let mut first_line: Option<ShardLine> = None;
    let mut stamp: Option<(String, String)> = None;
    let mut stamp_mismatch: Option<AnalysisError> = None;
    for (name, r) in inputs {
        let mut r = BufReader::new(r);
        let line = read_shard_line(&name, &mut r)?;
        match &first_line {
            None => first_line = Some(line.clone()),
            Some(f)
                if f.sweep != line.sweep
                    || f.axes != line.axes
                    || f.shard.count != line.shard.count =>
            {
                return Err(bad(format!(
                    "{name}: line 1: the shard is of sweep {} ({} shards), the first file's of \
                     sweep {} ({} shards): shards of different sweeps (scenario, --vary, --seed \
                     or --trials differ) cannot be merged",
                    line.sweep, line.shard.count, f.sweep, f.shard.count
                )));
            }
            Some(_) => {}
        }
        let mut counted = BufReader::new(Counted {
            inner: r,
            crc: Crc32::default(),
            bytes: 0,
        });
        // The commented stamp: the same in every shard of one sweep, written once. A
        // difference is reported once every file has passed its checksum (an edited stamp
        // is then named by its own file's checksum).
        let (comments, skipped) = read_comments(&name, &mut counted)?;
        match &stamp {
            None => stamp = Some((name.clone(), comments)),
            Some((first_name, first)) if *first != comments && stamp_mismatch.is_none() => {
                stamp_mismatch = Some(bad(format!(
                    "{name}: line 2: its stamp (the `#` lines) differs from that of {first_name}: \
                     shards of one sweep written by different versions cannot be merged"
                )));
            }
            Some(_) => {}
        }
        let header_line = 2 + skipped;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(counted);
        let h = reader
            .headers()
            .map_err(|e| bad(format!("{name}: line {header_line}: not a sweep CSV: {e}")))?
            .clone();
        let expected: Vec<String> = LEADING_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .chain(line.axes.iter().map(|a| a.path.clone()))
            .chain(TRAILING_COLUMNS.iter().map(|s| s.to_string()))
            .collect();
        if h.iter().ne(expected.iter().map(String::as_str)) {
            return Err(bad(format!(
                "{name}: line {header_line}: not the header of this sweep (expected the columns {})",
                expected.join(", ")
            )));
        }
        if header.is_none() {
            header = Some((name.clone(), h));
        }
        let mut s = ShardReader {
            name,
            line,
            reader,
            next: None,
            rows: 0,
            skipped,
        };
        s.advance()?;
        shards.push(s);
    }
    let (Some((_, header)), Some(first)) = (header, first_line) else {
        return Err(bad("give the shard files to merge".into()));
    };
    let spec = SweepSpec {
        axes: first.axes.clone(),
        trials: 1,
        seed: 0,
    };
    let total = spec.points();
    let point_of = |s: &ShardReader<R>| -> Result<Option<usize>, AnalysisError> {
        match &s.next {
            None => Ok(None),
            Some(rec) => rec
                .get(2)
                .and_then(|x| x.parse::<usize>().ok())
                .filter(|&p| p < total)
                .ok_or_else(|| {
                    s.fail(format!(
                        "the point `{}` is not a point of the grid (0..{total})",
                        rec.get(2).unwrap_or("")
                    ))
                })
                .and_then(|p| {
                    if s.line.shard.owns(p) {
                        Ok(Some(p))
                    } else {
                        Err(s.fail(format!(
                            "point {p} does not belong to shard {}/{}",
                            s.line.shard.index, s.line.shard.count
                        )))
                    }
                }),
        }
    };
    let mut w = w;
    w.write_all(stamp.map(|(_, s)| s).unwrap_or_default().as_bytes())
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))?;
    let mut wtr = csv::Writer::from_writer(w);
    let io = |e: csv::Error| AnalysisError::Failed(format!("cannot write the CSV: {e}"));
    wtr.write_record(&header).map_err(io)?;
    let mut shape: Vec<(String, String)> = Vec::new();
    let mut expected = 0usize;
    let mut rows = 0usize;
    loop {
        // The file holding the lowest next point.
        let mut best: Option<(usize, usize)> = None; // (point, shard)
        for (k, s) in shards.iter().enumerate() {
            if let Some(p) = point_of(s)? {
                match best {
                    Some((bp, bk)) if bp == p => {
                        return Err(s.fail(format!(
                            "point {p} appears in both {} and {}: give each shard once",
                            shards[bk].name, s.name
                        )));
                    }
                    Some((bp, _)) if bp < p => {}
                    _ => best = Some((p, k)),
                }
            }
        }
        let Some((p, k)) = best else { break };
        if p > expected {
            return Err(bad(format!(
                "point {expected} is in none of the files: is a shard missing?"
            )));
        }
        if p < expected {
            return Err(shards[k].fail(format!(
                "point {p} comes again or out of order (files must be written by `armistice sweep`)"
            )));
        }
        let s = &mut shards[k];
        let mut n = 0usize;
        let mut last_quantile = f64::NEG_INFINITY;
        while let Some(rec) = &s.next {
            if rec.get(2).and_then(|x| x.parse::<usize>().ok()) != Some(p) {
                break;
            }
            let cell = check_row(s, rec, &spec, p, n, &shape, &mut last_quantile)?;
            if expected == 0 {
                shape.push(cell);
            }
            wtr.write_record(rec).map_err(io)?;
            n += 1;
            s.advance()?;
        }
        if n != shape.len() {
            return Err(s.fail(format!(
                "point {p} has {n} rows, other points have {}",
                shape.len()
            )));
        }
        if let Some(next) = point_of(s)?
            && next <= p
        {
            return Err(s.fail(format!(
                "the rows are not in point order (point {next} after point {p})"
            )));
        }
        rows += n;
        expected += 1;
    }
    if let Some(e) = stamp_mismatch {
        return Err(e);
    }
    if expected != total {
        return Err(bad(format!(
            "the files hold points 0..{} of {total}: points {expected}..{} are missing; is a \
             shard missing?",
            expected.saturating_sub(1),
            total - 1
        )));
    }
    wtr.flush()
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))?;
    Ok(MergeSummary {
        sweep: first.sweep,
        points: total,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_lines_round_trip() {
        let line = ShardLine {
            shard: Shard { index: 2, count: 3 },
            sweep: "sw-0123".into(),
            axes: vec![
                Axis::new("battlefield.exchange_ratio", 1.0, 4.0, 7),
                Axis::new("x.y", 0.1, -0.3, 2),
                Axis {
                    whole: true,
                    ..Axis::new("simulation.horizon_months", 1.0, 36.0, 5)
                },
            ],
            rows: 12,
            bytes: 3456,
            crc32: 0x89ab_cdef,
        };
        let text = line.text();
        assert!(text.ends_with('\n'));
        assert_eq!(ShardLine::parse(text.trim_end()), Some(line));
        assert_eq!(ShardLine::parse("# armistice-shard 2/3 sweep=x"), None);
    }
}
