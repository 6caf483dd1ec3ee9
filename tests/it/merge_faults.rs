//! Merge refuses damaged shards: a shard cut at every possible byte, and every one-character
//! edit of every cell, is refused (its checksum line no longer matches); and edits that come
//! with a recomputed checksum line (a coordinate off the grid, an unknown statistic, a
//! probability of 90.28, ...) are refused by the check of every cell. Each refusal names the
//! shard and the line.

use armistice::Control;
use armistice::{Axis, Shard, SweepSpec, run_sweep};
use armistice::{Crc32, ShardLine, merge_csv, verify_shard, write_shard};

use crate::common::{load, teaching_path};

fn shards() -> (Vec<u8>, Vec<u8>) {
    let vs = load(&teaching_path());
    let spec = SweepSpec {
        axes: vec![Axis::new("battlefield.stalemate", 0.2, 0.6, 2)],
        trials: 200,
        seed: 3,
    };
    let write = |index| {
        let shard = Shard { index, count: 2 };
        let r = run_sweep(&vs, &spec, Some(shard), &Control::new(), &|_| {}).unwrap();
        let mut buf = Vec::new();
        write_shard(&r, shard, &mut buf).unwrap();
        buf
    };
    (write(1), write(2))
}

fn merge(one: &[u8], two: &[u8]) -> Result<(), String> {
    merge_csv(
        vec![("one.csv".to_string(), one), ("two.csv".to_string(), two)],
        Vec::new(),
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// The shard with its checksum line recomputed for its (edited) rows.
fn resealed(shard: &[u8]) -> Vec<u8> {
    let nl = shard.iter().position(|&b| b == b'\n').unwrap();
    let mut line = ShardLine::parse(std::str::from_utf8(&shard[..nl]).unwrap()).unwrap();
    let body = &shard[nl + 1..];
    let mut crc = Crc32::default();
    crc.update(body);
    line.crc32 = crc.value();
    line.bytes = body.len() as u64;
    // Data rows: the lines after the header, not the commented stamp.
    line.rows = body
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
        .count() as u64
        - 1;
    let mut out = line.text().into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn every_truncation_point_of_a_shard_is_refused() {
    let (one, two) = shards();
    merge(&one, &two).unwrap();
    for cut in 0..one.len() {
        let err = merge(&one[..cut], &two).expect_err(&format!("cut at {cut} was accepted"));
        assert!(err.starts_with("one.csv: line "), "cut at {cut}: {err}");
        let first = verify_shard("one.csv", &one[..cut]).expect_err("the first pass refuses it");
        assert!(first.to_string().starts_with("one.csv: line "), "{first}");
    }
    eprintln!("{} truncation points refused", one.len());
}

#[test]
fn every_one_character_edit_of_a_cell_is_refused() {
    let (one, two) = shards();
    let text = String::from_utf8(one.clone()).unwrap();
    let body_start = text.find('\n').unwrap() + 1;
    let header_end = body_start + text[body_start..].find('\n').unwrap() + 1;
    let mut edits = 0;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < header_end) {
        if c == ',' || c == '\n' {
            continue;
        }
        let other = match c {
            '0'..='8' => char::from(c as u8 + 1),
            '9' => '0',
            'a'..='y' => char::from(c as u8 + 1),
            _ => 'x',
        };
        let mut edited = text.clone();
        edited.replace_range(i..i + c.len_utf8(), &other.to_string());
        let err = merge(edited.as_bytes(), &two).expect_err(&format!("edit at {i} accepted"));
        assert!(err.contains("one.csv: line "), "{err}");
        edits += 1;
    }
    assert!(edits > 1000, "{edits}");
}

#[test]
fn resealed_edits_are_refused_cell_by_cell() {
    let (one, two) = shards();
    let text = String::from_utf8(one).unwrap();
    let cases = [
        (",0.2,leverage_a,", ",7.0,leverage_a,", "on the grid"),
        (
            ",leverage_a,p95,",
            ",leverage_a,p6,",
            "`p6` is not a statistic",
        ),
        (",p_deal,p,", ",p_deal,p,9", "outside its range 0..=1"),
        (",leverage_a,mean,", ",leverage_x,mean,", "not an output"),
        (",2,0,", ",3,0,", "the point count"),
        (",2,0,", ",2,1,", "does not belong to shard 1/2"),
        ("\nsw-", "\nsx-", "belongs to sweep"),
        (
            ",casualties_a,p5,",
            ",casualties_a,p5,-",
            "outside its range",
        ),
        (
            ",leverage_a,se,",
            ",leverage_a,se,NaN",
            "not a finite number",
        ),
    ];
    for (from, to, says) in cases {
        let at = text.find(from).unwrap();
        let mut edited = text.clone();
        edited.replace_range(at..at + from.len(), to);
        let start = at + from.len() - from.trim_start_matches('\n').len();
        let line = text[..start].matches('\n').count() + 1;
        let err = merge(&resealed(edited.as_bytes()), &two).expect_err(says);
        assert!(err.contains(says), "{to}: {err}");
        assert!(
            err.starts_with(&format!("one.csv: line {line}:")),
            "{to}: {err}"
        );
    }
    // The median month of settlement is NaN when half the trials never settle: accepted; an
    // infinite one is not.
    let median = text
        .lines()
        .find(|l| l.contains(",median_settlement_month,value,"))
        .expect("version-2 sweeps write the median month of settlement");
    // The value is the last but one cell, before its unit.
    let (rest, unit) = median.rsplit_once(',').unwrap();
    let head = rest.rsplit_once(',').unwrap().0;
    let nan = text.replacen(median, &format!("{head},NaN,{unit}"), 1);
    merge(&resealed(nan.as_bytes()), &two).unwrap();
    let inf = text.replacen(median, &format!("{head},inf,{unit}"), 1);
    let err = merge(&resealed(inf.as_bytes()), &two).unwrap_err();
    assert!(err.contains("not a finite number"), "{err}");
    // A unit that is not the output's.
    let row = text
        .lines()
        .find(|l| l.contains(",leverage_a,mean,"))
        .unwrap();
    let relabelled = format!("{},troops", row.rsplit_once(',').unwrap().0);
    let err = merge(
        &resealed(text.replacen(row, &relabelled, 1).as_bytes()),
        &two,
    )
    .unwrap_err();
    assert!(err.contains("the unit of leverage_a is `troops`"), "{err}");
    // Shards whose stamps differ (another version wrote one): refused, naming both.
    let other = text.replacen("# armistice: ", "# armistice: 9", 1);
    let err = merge(&resealed(other.as_bytes()), &two).unwrap_err();
    assert!(
        err.starts_with("two.csv: line 2:") && err.contains("differs from that of one.csv"),
        "{err}"
    );
    // A quantile below the one before it.
    let p25 = text
        .lines()
        .find(|l| l.contains(",leverage_b,p25,"))
        .unwrap();
    let (rest, unit) = p25.rsplit_once(',').unwrap();
    let lowered = format!("{},-0.5,{unit}", rest.rsplit_once(',').unwrap().0);
    let err = merge(&resealed(text.replace(p25, &lowered).as_bytes()), &two).unwrap_err();
    assert!(
        err.contains("outside its range") || err.contains("below the quantile"),
        "{err}"
    );
}
