//! Cells safe to open in a spreadsheet. A text that Excel would read as a
//! formula (CSV injection, CWE-1236: a name such as `=HYPERLINK(...)` in a
//! force's export) gets a leading `'`, as OWASP recommends; numbers, negative
//! ones included, and dates are left alone. Every CSV vigil writes goes
//! through here; Parquet keeps the raw value.

use std::borrow::Cow;

use polars::prelude::*;

/// Whether a spreadsheet would read `text` as a formula: it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, and is not a number.
pub fn is_formula_like(text: &[u8]) -> bool {
    matches!(text.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) && !is_number(text)
}

/// A decimal number as a spreadsheet reads one: `-7`, `+0.5`, `-1.25e-3`.
fn is_number(text: &[u8]) -> bool {
    let unsigned = text
        .strip_prefix(b"-")
        .or_else(|| text.strip_prefix(b"+"))
        .unwrap_or(text);
    let (mantissa, exponent) = match unsigned.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    let mantissa_ok = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => digits(&mantissa[..at]) && digits(&mantissa[at + 1..]) && mantissa.len() > 1,
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(b"-").or_else(|| e.strip_prefix(b"+")).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `text` as safe to open in a spreadsheet: a formula-like text gets a
/// leading `'`; for writers (polars, `csv`) that quote on their own.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if is_formula_like(text.as_bytes()) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `frame` with every text column neutralised, for polars' CSV writer.
pub fn neutralised_frame(frame: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = frame
        .columns()
        .iter()
        .map(|column| match column.dtype() {
            DataType::String => {
                let safe = column.str()?.apply_values(neutralised);
                Ok(safe.with_name(column.name().clone()).into_column())
            }
            _ => Ok(column.clone()),
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(frame.height(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_texts_are_neutralised_and_numbers_are_not() {
        for formula in [
            "=1+1",
            "=HYPERLINK(\"http://x\")",
            "+44 7700 900123",
            "-",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-1e",
            "+.",
            "--1",
        ] {
            assert!(is_formula_like(formula.as_bytes()), "{formula:?}");
            assert_eq!(neutralised(formula), format!("'{formula}"));
        }
        for plain in [
            "-7",
            "+0.5",
            "-1.25e-3",
            "-.5",
            "12",
            "2025-04-25T00:26:00+01:00",
            "Smith",
            "",
            "'=x",
            " =x",
        ] {
            assert!(!is_formula_like(plain.as_bytes()), "{plain:?}");
            assert_eq!(neutralised(plain), plain);
        }
    }

    #[test]
    fn a_frame_keeps_its_numbers_and_loses_its_formulas() {
        let frame = DataFrame::new(
            2,
            vec![
                Column::new("name".into(), [Some("=cmd"), None]),
                Column::new("n".into(), [-3i64, 4]),
            ],
        )
        .unwrap();
        let safe = neutralised_frame(&frame).unwrap();
        let names: Vec<Option<&str>> = safe.column("name").unwrap().str().unwrap().iter().collect();
        assert_eq!(names, [Some("'=cmd"), None]);
        assert_eq!(safe.column("n").unwrap(), frame.column("n").unwrap());
    }
}
