//! The page's query string (`?demo=1&lang=en&area=…`): one reader for every parameter, so that
//! each is found, split and decoded the same way.

/// The decoded value of parameter `name` in `query` (with or without its leading `?`): the first
/// `name=value` pair's value, `%XX` escapes and `+` decoded. `None` when the parameter is absent
/// or its value is not valid percent-encoded UTF-8.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    let value = query
        .trim_start_matches('?')
        .split('&')
        .find(|pair| param_name(pair) == name)?
        .split_once('=')
        .map_or("", |(_, v)| v);
    percent_decode(value)
}

/// The name part of one `name=value` pair (the whole pair when it has no `=`).
pub fn param_name(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(n, _)| n)
}

/// Decodes `%XX` escapes and `+` (a space in a query string); `None` when not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes as JavaScript's `encodeURIComponent` does.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_is_found_by_its_whole_name_and_decoded() {
        let q = "?demo=1&max_upload_mb=2&area=health_community%3AHelsefellesskapet%20Bod%C3%B8";
        assert_eq!(query_param(q, "demo").as_deref(), Some("1"));
        assert_eq!(query_param(q, "max_upload_mb").as_deref(), Some("2"));
        assert_eq!(
            query_param(q, "area").as_deref(),
            Some("health_community:Helsefellesskapet Bodø")
        );
        // Not a prefix match: `upload_mb` is not `max_upload_mb`.
        assert_eq!(query_param(q, "upload_mb"), None);
        assert_eq!(query_param("demo=1", "demo").as_deref(), Some("1"));
        assert_eq!(query_param("?demo&lang=en", "demo").as_deref(), Some(""));
        assert_eq!(query_param("?a=b+c", "a").as_deref(), Some("b c"));
        assert_eq!(query_param("?a=%ZZ", "a"), None);
        assert_eq!(query_param("", "a"), None);
    }

    #[test]
    fn encoding_then_decoding_gives_the_text_back() {
        for s in ["municipality:0301", "Helsefellesskapet Bodø", "a&b=c%d+e"] {
            assert_eq!(percent_decode(&percent_encode(s)).as_deref(), Some(s));
        }
        assert_eq!(percent_encode("a b:ø"), "a%20b%3A%C3%B8");
    }
}
