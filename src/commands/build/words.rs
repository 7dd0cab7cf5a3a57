//! Words of a Dockerfile line, as Docker's shell-like lexer reads them for
//! the instructions it expands itself (FROM, COPY, ADD, ENV, ARG, LABEL,
//! EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL): split at blanks, `'…'` taken
//! as is, `"…"` and bare words with `$VAR`, `${VAR}`, `${VAR:-default}` and
//! `${VAR:+alternative}` replaced, `\` escaping the next character. RUN,
//! CMD and ENTRYPOINT in shell form are not expanded here: their shell does
//! it, with the build's ARGs and ENVs in its environment.

use crate::i18n::tr;

/// A lexing error: the byte offset in the text and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct WordError {
    pub at: usize,
    pub reason: String,
}

/// Looks a variable up; `None` when it is not set.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The words of `text`, variables expanded.
pub fn split(text: &str, vars: Lookup) -> Result<Vec<String>, WordError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![];
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
                i += 1;
            }
            '\'' => {
                let end = find(&chars, i + 1, '\'').ok_or_else(|| unterminated(i, '\''))?;
                word.extend(&chars[i + 1..end]);
                in_word = true;
                i = end + 1;
            }
            '"' => {
                i = double_quoted(&chars, i, &mut word, vars)?;
                in_word = true;
            }
            '\\' if i + 1 < chars.len() => {
                word.push(chars[i + 1]);
                in_word = true;
                i += 2;
            }
            '$' => {
                let (value, next) = variable(&chars, i, vars)?;
                // As in a shell, an unquoted expansion to nothing makes no word.
                in_word |= !value.is_empty();
                word.push_str(&value);
                i = next;
            }
            c => {
                word.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    Ok(out)
}

/// One string: the words joined by a space (WORKDIR, USER).
pub fn expand(text: &str, vars: Lookup) -> Result<String, WordError> {
    Ok(split(text, vars)?.join(" "))
}

/// `KEY=value` pairs (ENV, LABEL, ARG), or the old `KEY value…` form when
/// the first word has no `=` and `legacy` allows it.
pub fn pairs(text: &str, vars: Lookup, legacy: bool) -> Result<Vec<(String, Option<String>)>, WordError> {
    let words = split(text, vars)?;
    let first_has_eq = words.first().is_some_and(|w| w.contains('='));
    if legacy && !first_has_eq && words.len() > 1 {
        // `ENV KEY the rest`: the value is the rest of the line as written.
        let key = words[0].clone();
        let rest = text.trim_start()[raw_first_word_len(text.trim_start())..].trim();
        return Ok(vec![(key, Some(expand(rest, vars)?))]);
    }
    Ok(words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect())
}

fn raw_first_word_len(text: &str) -> usize {
    text.find(char::is_whitespace).unwrap_or(text.len())
}

fn find(chars: &[char], from: usize, want: char) -> Option<usize> {
    (from..chars.len()).find(|&j| chars[j] == want)
}

fn unterminated(at: usize, quote: char) -> WordError {
    WordError { at, reason: tr!("dockerfile-unterminated-quote", quote = quote.to_string()) }
}

/// A `"…"` string from `chars[start]`; returns the index after it.
fn double_quoted(chars: &[char], start: usize, word: &mut String, vars: Lookup) -> Result<usize, WordError> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok(i + 1),
            '\\' if i + 1 < chars.len() && matches!(chars[i + 1], '"' | '\\' | '$') => {
                word.push(chars[i + 1]);
                i += 2;
            }
            '$' => {
                let (value, next) = variable(chars, i, vars)?;
                word.push_str(&value);
                i = next;
            }
            c => {
                word.push(c);
                i += 1;
            }
        }
    }
    Err(unterminated(start, '"'))
}

/// A variable reference at `chars[start]` (a `$`): its value and the index
/// after it. A `$` not followed by a name is itself.
fn variable(chars: &[char], start: usize, vars: Lookup) -> Result<(String, usize), WordError> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut i = start + 1;
    if chars.get(i) == Some(&'{') {
        let end =
            find(chars, i, '}').ok_or_else(|| WordError { at: start, reason: tr!("dockerfile-unterminated-brace") })?;
        let inner: String = chars[i + 1..end].iter().collect();
        let (name, op) = match inner.find(|c: char| !is_name(c)) {
            Some(k) => (&inner[..k], &inner[k..]),
            None => (inner.as_str(), ""),
        };
        if name.is_empty() {
            return Err(WordError { at: start, reason: tr!("dockerfile-bad-substitution", inner = inner) });
        }
        let value = vars(name).filter(|v| !v.is_empty());
        let out = match op {
            "" => vars(name).unwrap_or_default(),
            o if o.starts_with(":-") => value.unwrap_or_else(|| o[2..].to_string()),
            o if o.starts_with(":+") => value.map(|_| o[2..].to_string()).unwrap_or_default(),
            o => {
                return Err(WordError {
                    at: start,
                    reason: tr!("dockerfile-unsupported-substitution", op = format!("{o:?}"), inner = inner),
                });
            }
        };
        return Ok((out, end + 1));
    }
    while i < chars.len() && is_name(chars[i]) {
        i += 1;
    }
    if i == start + 1 {
        return Ok(("$".into(), i));
    }
    let name: String = chars[start + 1..i].iter().collect();
    Ok((vars(&name).unwrap_or_default(), i))
}

/// The names a text refers to with `$NAME` or `${NAME…}` (for ARG checks).
pub fn referenced(text: &str) -> Vec<String> {
    let mut out = vec![];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let mut j = i + 1;
            if bytes.get(j) == Some(&b'{') {
                j += 1;
            }
            let from = j;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if j > from {
                out.push(text[from..j].to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "NAME" => Some("world".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn quotes_escapes_and_variables_make_words_as_docker_reads_them() {
        let got = split(r#"a "b c" 'd $NAME' e\ f $NAME ${NAME}s "${MISSING:-dflt}" ${EMPTY:+x}"#, &vars).unwrap();
        assert_eq!(got, ["a", "b c", "d $NAME", "e f", "world", "worlds", "dflt"]);
        assert_eq!(split("$ 5$", &vars).unwrap(), ["$", "5$"]);
    }

    #[test]
    fn an_unterminated_quote_names_where_it_opened() {
        let err = split(r#"ok "open"#, &vars).unwrap_err();
        assert_eq!(err.at, 3);
        assert!(err.reason.contains("unterminated \" quote"));
        assert!(split("${NAME", &vars).is_err());
        assert!(split("${NAME/x/y}", &vars).is_err());
    }

    #[test]
    fn pairs_take_both_env_forms() {
        let p = pairs(r#"A=1 B="two words" C"#, &vars, true).unwrap();
        assert_eq!(p, [("A".into(), Some("1".into())), ("B".into(), Some("two words".into())), ("C".into(), None)]);
        let legacy = pairs("GREETING hello   $NAME", &vars, true).unwrap();
        assert_eq!(legacy, [("GREETING".into(), Some("hello world".into()))]);
        assert_eq!(referenced("echo ${A:-x} $B_2 $$ ${"), ["A", "B_2"]);
    }
}
