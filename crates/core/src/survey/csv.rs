//! The survey's CSV output, one writer for the CLI (`forlop survey …`) and the app's downloads,
//! so that both write the same bytes.

/// A number at full precision; below 1e-4 in scientific notation, so a p-value of 1e-100 is not
/// a hundred zeros (every CSV reader parses `1.3e-100`). Empty when absent or not finite.
pub fn number(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| {
            if v != 0.0 && v.abs() < 1e-4 {
                format!("{v:e}")
            } else {
                format!("{v}")
            }
        })
        .unwrap_or_default()
}

/// A field, quoted when it holds a delimiter, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header line and one line per row, each ending in `\n`.
pub fn text(header: &str, rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from(header);
    out.push('\n');
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_quoting() {
        assert_eq!(number(Some(0.5)), "0.5");
        assert_eq!(number(Some(1.3e-100)), "1.3e-100");
        assert_eq!(number(Some(0.0)), "0");
        assert_eq!(number(Some(f64::NAN)), "");
        assert_eq!(number(None), "");
        assert_eq!(
            text("a,b", [vec!["x,y".to_string(), "say \"hi\"".to_string()]]),
            "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n"
        );
    }
}
