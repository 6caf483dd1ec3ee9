//! Joining the shard files of one sweep into exactly the CSV an unsharded run writes, in one
//! pass over each file.

use std::io::{Read, Write};

use super::{LEADING_COLUMNS, TRAILING_COLUMNS};
use crate::analysis::AnalysisError;

/// What [`merge_csv`] joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSummary {
    pub sweep: String,
    pub points: usize,
    pub rows: usize,
}

struct ShardReader<R: Read> {
    name: String,
    reader: csv::Reader<R>,
    next: Option<csv::StringRecord>,
}

impl<R: Read> ShardReader<R> {
    fn advance(&mut self) -> Result<(), AnalysisError> {
        let mut rec = csv::StringRecord::new();
        let more = self.reader.read_record(&mut rec).map_err(|e| {
            AnalysisError::BadRequest(format!("{}: not a sweep CSV: {e}", self.name))
        })?;
        self.next = more.then_some(rec);
        Ok(())
    }
}

/// Joins the shard files of one sweep into exactly the CSV an unsharded run writes. Each
/// input is `(name for messages, reader)`. Refuses files whose headers differ, rows from
/// different sweeps, a point that two files hold, and missing points; reads each file once,
/// in order (shards are written in increasing point order), so memory stays small.
pub fn merge_csv<R: Read>(
    inputs: Vec<(String, R)>,
    w: impl Write,
) -> Result<MergeSummary, AnalysisError> {
    let bad = AnalysisError::BadRequest;
    if inputs.is_empty() {
        return Err(bad("give the shard files to merge".into()));
    }
    let mut shards = Vec::with_capacity(inputs.len());
    let mut header: Option<(String, csv::StringRecord)> = None;
    for (name, r) in inputs {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(r);
        let h = reader
            .headers()
            .map_err(|e| bad(format!("{name}: not a sweep CSV: {e}")))?
            .clone();
        let ok_shape = h.len() >= LEADING_COLUMNS.len() + TRAILING_COLUMNS.len()
            && LEADING_COLUMNS.iter().zip(h.iter()).all(|(a, b)| *a == b)
            && TRAILING_COLUMNS
                .iter()
                .rev()
                .zip(h.iter().rev())
                .all(|(a, b)| *a == b);
        if !ok_shape {
            return Err(bad(format!(
                "{name}: not a sweep CSV (expected the columns {}, the varied inputs, {})",
                LEADING_COLUMNS.join(", "),
                TRAILING_COLUMNS.join(", ")
            )));
        }
        match &header {
            None => header = Some((name.clone(), h)),
            Some((first, fh)) if *fh != h => {
                return Err(bad(format!(
                    "{name} and {first} have different columns: they come from different sweeps"
                )));
            }
            _ => {}
        }
        let mut s = ShardReader {
            name,
            reader,
            next: None,
        };
        s.advance()?;
        shards.push(s);
    }
    let Some((_, header)) = header else {
        return Err(bad("give the shard files to merge".into()));
    };
    let point_of = |s: &ShardReader<R>| -> Result<Option<usize>, AnalysisError> {
        match &s.next {
            None => Ok(None),
            Some(rec) => rec
                .get(2)
                .and_then(|x| x.parse::<usize>().ok())
                .map(Some)
                .ok_or_else(|| bad(format!("{}: a row has no valid point index", s.name))),
        }
    };
    let mut sweep: Option<(String, usize, String)> = None; // id, points, file
    let mut per_point: Option<usize> = None;
    let mut wtr = csv::Writer::from_writer(w);
    let io = |e: csv::Error| AnalysisError::Failed(format!("cannot write the CSV: {e}"));
    wtr.write_record(&header).map_err(io)?;
    let mut expected = 0usize;
    let mut rows = 0usize;
    loop {
        // The file holding the lowest next point.
        let mut best: Option<(usize, usize)> = None; // (point, shard)
        for (k, s) in shards.iter().enumerate() {
            if let Some(p) = point_of(s)? {
                match best {
                    Some((bp, bk)) if bp == p => {
                        return Err(bad(format!(
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
            return Err(bad(format!(
                "{}: point {p} comes again or out of order (files must be written by \
                 `armistice sweep`)",
                shards[k].name
            )));
        }
        let s = &mut shards[k];
        let mut n = 0usize;
        while let Some(rec) = &s.next {
            let rp = rec.get(2).and_then(|x| x.parse::<usize>().ok());
            if rp != Some(p) {
                break;
            }
            let id = rec.get(0).unwrap_or("").to_string();
            let total: usize = rec
                .get(1)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| bad(format!("{}: a row has no valid point count", s.name)))?;
            match &sweep {
                None => sweep = Some((id, total, s.name.clone())),
                Some((sid, stotal, file)) => {
                    if *sid != id || *stotal != total {
                        return Err(bad(format!(
                            "{} holds rows of sweep {id} ({total} points) but {file} holds \
                             rows of sweep {sid} ({stotal} points): shards of different sweeps \
                             (scenario, --vary, --seed or --trials differ) cannot be merged",
                            s.name
                        )));
                    }
                }
            }
            wtr.write_record(rec).map_err(io)?;
            n += 1;
            s.advance()?;
        }
        match per_point {
            None => per_point = Some(n),
            Some(m) if m != n => {
                return Err(bad(format!(
                    "{}: point {p} has {n} rows, other points have {m}",
                    s.name
                )));
            }
            _ => {}
        }
        if let Some(next) = point_of(s)?
            && next <= p
        {
            return Err(bad(format!(
                "{}: the rows are not in point order (point {next} after point {p})",
                s.name
            )));
        }
        rows += n;
        expected += 1;
    }
    let Some((id, total, _)) = sweep else {
        return Err(bad("the files hold no rows".into()));
    };
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
        sweep: id,
        points: total,
        rows,
    })
}
