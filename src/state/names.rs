//! Names from users become folder names, cgroup names and interface names,
//! so they are checked before anything is made: `^[a-z0-9][a-z0-9_.-]{0,62}$`.

use super::StateError;

// Each reason is a message id: the error says it in the learner's language.

pub fn validate(what: &'static str, value: &str) -> Result<(), StateError> {
    let bad = |reason| Err(StateError::BadName { what, value: value.to_string(), reason });
    if value.is_empty() {
        return bad("name-empty");
    }
    if value.len() > 63 {
        return bad("name-too-long");
    }
    let first = value.as_bytes()[0];
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
        return bad("name-bad-start");
    }
    if !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b)) {
        return bad("name-bad-char");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_plain_names() {
        for ok in ["demo", "a", "web-1", "x.y_z", "0abc", &"a".repeat(63)] {
            assert!(validate("box", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_hostile_names() {
        let long = "a".repeat(64);
        for bad in ["", ".", "..", "a/b", "-x", "a\0b", "a\nb", "\x1b[31mred", "Demo", "a b", &long, "_x", ".hidden"] {
            assert!(validate("box", bad).is_err(), "{bad:?}");
        }
    }
}
