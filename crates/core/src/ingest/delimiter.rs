//! Delimiter detection from the header line: `,`, `;` or tab, whichever occurs most outside
//! quotes (ties: `;` before tab before `,`, since Norwegian Excel writes `;` and a header rarely
//! holds a comma by accident).

/// The delimiter of a CSV text, judged from its first line.
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3]; // ; \t ,
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b';' if !in_quotes => counts[0] += 1,
            b'\t' if !in_quotes => counts[1] += 1,
            b',' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let order = [b';', b'\t', b','];
    let mut best = 2; // a one-column file: `,` is as good as any
    for i in 0..3 {
        if counts[i] > counts[best] || (counts[i] == counts[best] && counts[i] > 0 && i < best) {
            best = i;
        }
    }
    order[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_unquoted_separator_wins() {
        assert_eq!(detect_delimiter("pid;kommune;alder\n1,2;3;4"), b';');
        assert_eq!(detect_delimiter("pid\tkommune\n"), b'\t');
        assert_eq!(detect_delimiter("pid,kommune,alder\r\n"), b',');
        // The commas inside quotes do not count: 2 `;` against 0 `,`.
        assert_eq!(detect_delimiter("\"a,b,c\";pid;x\n"), b';');
        assert_eq!(detect_delimiter("pid\n1\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }
}
