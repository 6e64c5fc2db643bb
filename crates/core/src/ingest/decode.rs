//! Text encoding, decided once per file from the whole file: UTF-16 (LE/BE, with a BOM or
//! recognised by its zero bytes), UTF-8 (with or without BOM), else Windows-1252.
//!
//! Valid UTF-8 is borrowed as it is (after the BOM). A file that is UTF-8 apart from a few stray
//! bytes (its valid multi-byte characters outnumber its invalid bytes) stays UTF-8: the stray
//! bytes are replaced by U+FFFD and reported by line, never used as a reason to re-read every ø
//! as Windows-1252 mojibake. Anything else is Windows-1252, a superset of ISO-8859-1 for ÆØÅ,
//! which is what Norwegian Excel writes. Lone CR line ends (old Mac exports) become LF so that
//! line numbers count them.

use crate::quality::TextEncoding;
use std::borrow::Cow;

/// A decoded file.
pub(crate) struct Decoded<'a> {
    /// The text, without BOM, with lone CRs made LF.
    pub text: Cow<'a, str>,
    /// How it was encoded.
    pub encoding: TextEncoding,
    /// `(1-based line, bytes replaced)` for lines with stray non-UTF-8 bytes in a UTF-8 file.
    pub invalid: Vec<(u64, usize)>,
}

/// Decodes a whole file to text, once.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    let (text, encoding, invalid) = decode_raw(bytes);
    Decoded {
        text: normalise_cr(text),
        encoding,
        invalid,
    }
}

/// Like [`decode`], keeping `bytes` as the text when they are UTF-8 already (no copy).
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Decoded<'static> {
    // The usual case, UTF-8 (BOM or not) that is not UTF-16 in disguise: checked once.
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let bytes = if utf16 || (!bom && sniff_utf16(&bytes).is_some()) {
        bytes
    } else {
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if bom {
                    text.drain(..3);
                }
                let encoding = if bom {
                    TextEncoding::Utf8Bom
                } else {
                    TextEncoding::Utf8
                };
                let text = Cow::Owned(normalise_cr(Cow::Owned(text)).into_owned());
                return Decoded {
                    text,
                    encoding,
                    invalid: Vec::new(),
                };
            }
            Err(e) => e.into_bytes(),
        }
    };
    let d = decode(&bytes);
    let (encoding, invalid) = (d.encoding, d.invalid);
    // Borrowed text is the bytes after the BOM, unchanged.
    let decoded = match d.text {
        Cow::Borrowed(s) => Err(bytes.len() - s.len()),
        Cow::Owned(s) => Ok(s),
    };
    let text = decoded.unwrap_or_else(|bom| {
        let mut bytes = bytes;
        bytes.drain(..bom);
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    });
    Decoded {
        text: Cow::Owned(text),
        encoding,
        invalid,
    }
}

fn decode_raw(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding, Vec<(u64, usize)>) {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (t, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (t, TextEncoding::Utf16Le, Vec::new());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (t, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (t, TextEncoding::Utf16Be, Vec::new());
    }
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let utf8 = if bom {
        TextEncoding::Utf8Bom
    } else {
        TextEncoding::Utf8
    };
    // Before the UTF-8 check: BOM-less UTF-16 of ASCII text is valid UTF-8 full of NULs.
    if let (false, Some(enc)) = (bom, sniff_utf16(bytes)) {
        let (codec, e) = match enc {
            TextEncoding::Utf16Be => (encoding_rs::UTF_16BE, enc),
            _ => (encoding_rs::UTF_16LE, TextEncoding::Utf16Le),
        };
        let (t, _) = codec.decode_without_bom_handling(bytes);
        return (t, e, Vec::new());
    }
    if let Ok(s) = std::str::from_utf8(body) {
        return (Cow::Borrowed(s), utf8, Vec::new());
    }
    if mostly_utf8(body) {
        let (t, invalid) = utf8_lossy_by_line(body);
        return (Cow::Owned(t), utf8, invalid);
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    (text, TextEncoding::Windows1252, Vec::new())
}

/// BOM-less UTF-16: in the first 1 024 bytes, text in the Latin range has a zero in every
/// other byte (odd positions for LE, even for BE) and hardly any in the others.
fn sniff_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let head = &bytes[..bytes.len().min(1024) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for p in head.chunks_exact(2) {
        even += usize::from(p[0] == 0);
        odd += usize::from(p[1] == 0);
    }
    // At least 70 % of the pairs zero on one side, at most 5 % on the other.
    let many = |n: usize| n * 10 >= pairs * 7;
    let few = |n: usize| n * 20 <= pairs;
    if many(odd) && few(even) {
        Some(TextEncoding::Utf16Le)
    } else if many(even) && few(odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Whether invalid UTF-8 is the exception: more valid multi-byte characters than stray bytes.
fn mostly_utf8(body: &[u8]) -> bool {
    let (mut multibyte, mut stray) = (0usize, 0usize);
    for chunk in body.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        stray += chunk.invalid().len();
    }
    multibyte > stray
}

/// Lossy UTF-8 with U+FFFD, and the lines where bytes were replaced.
fn utf8_lossy_by_line(body: &[u8]) -> (String, Vec<(u64, usize)>) {
    let mut out = String::with_capacity(body.len() + 16);
    let mut invalid: Vec<(u64, usize)> = Vec::new();
    let mut line = 1u64;
    let mut prev_cr = false;
    for chunk in body.utf8_chunks() {
        let v = chunk.valid();
        for b in v.bytes() {
            match b {
                b'\n' if prev_cr => {}
                b'\n' | b'\r' => line += 1,
                _ => {}
            }
            prev_cr = b == b'\r';
        }
        out.push_str(v);
        let bad = chunk.invalid();
        if !bad.is_empty() {
            out.push('\u{FFFD}');
            prev_cr = false;
            match invalid.last_mut() {
                Some((l, n)) if *l == line => *n += bad.len(),
                _ => invalid.push((line, bad.len())),
            }
        }
    }
    (out, invalid)
}

/// Lone CRs (not followed by LF) become LF; CRLF and LF are left alone.
fn normalise_cr(text: Cow<'_, str>) -> Cow<'_, str> {
    let b = text.as_bytes();
    // memchr first: most files hold no CR at all, or CRLF only.
    if memchr::memchr(b'\r', b).is_none() {
        return text;
    }
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(b: &[u8]) -> (String, TextEncoding, Vec<(u64, usize)>) {
        let d = decode(b);
        (d.text.into_owned(), d.encoding, d.invalid)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("pid;kjønn\n".as_bytes());
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(
            dec("pid;kjønn\n".as_bytes()),
            ("pid;kjønn\n".into(), TextEncoding::Utf8, vec![])
        );
        assert_eq!(
            dec(b"\xEF\xBB\xBFpid;kj\xC3\xB8nn\n"),
            ("pid;kjønn\n".into(), TextEncoding::Utf8Bom, vec![])
        );
    }

    #[test]
    fn windows_1252_letters_are_read_right() {
        // Æ Ø Å æ ø å are C6 D8 C5 E6 F8 E5 in Windows-1252.
        let (t, e, _) = dec(b"\xC6\xD8\xC5 \xE6\xF8\xE5");
        assert_eq!((t.as_str(), e), ("ÆØÅ æøå", TextEncoding::Windows1252));
        // A BOM followed by Windows-1252 (no valid multi-byte character) is not UTF-8.
        let (t, e, _) = dec(b"\xEF\xBB\xBF\xF8");
        assert_eq!((t.as_str(), e), ("ï»¿ø", TextEncoding::Windows1252));
    }

    #[test]
    fn a_stray_byte_in_utf8_is_replaced_and_reported_by_line() {
        // Two ø in UTF-8 (C3 B8) on lines 1 and 2, one Windows-1252 ø (F8) on line 3: 2 valid
        // multi-byte characters > 1 stray byte, so UTF-8 wins and only line 3 changes.
        let (t, e, inv) = dec(b"a,kj\xC3\xB8nn\nb,R\xC3\xB8ros\nc,x\xF8\n");
        assert_eq!(t, "a,kjønn\nb,Røros\nc,x\u{FFFD}\n");
        assert_eq!((e, inv), (TextEncoding::Utf8, vec![(3, 1)]));
        // CRLF counts once, a lone CR once; 3 valid ø > 2 stray bytes.
        let (_, _, inv) = dec(b"\xC3\xB8\xC3\xB8\xC3\xB8\r\nx\ry\r\n\xF8\xF8\n");
        assert_eq!(inv, vec![(4, 2)]);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let utf16le = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        let utf16be = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<u8>>()
        };
        let text = "pid\tkjønn\r\np1\tK\r\n";
        // Pure ASCII in UTF-16 without BOM is valid UTF-8 too (with NULs): still UTF-16.
        let ascii = "pid,age\na,40\n";
        assert_eq!(
            dec(&utf16le(ascii)),
            (ascii.into(), TextEncoding::Utf16Le, vec![])
        );
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(utf16le(text));
        assert_eq!(dec(&bom), (text.into(), TextEncoding::Utf16Le, vec![]));
        assert_eq!(
            dec(&utf16le(text)),
            (text.into(), TextEncoding::Utf16Le, vec![])
        );
        let mut bom = vec![0xFE, 0xFF];
        bom.extend(utf16be(text));
        assert_eq!(dec(&bom), (text.into(), TextEncoding::Utf16Be, vec![]));
        assert_eq!(
            dec(&utf16be(text)),
            (text.into(), TextEncoding::Utf16Be, vec![])
        );
    }

    #[test]
    fn lone_cr_line_ends_become_lf() {
        assert_eq!(dec(b"a\rb\r\nc\r").0, "a\nb\r\nc\n");
        assert!(matches!(decode(b"a\r\nb\n").text, Cow::Borrowed(_)));
    }
}
