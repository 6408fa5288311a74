//! The `Range` header of GetObject, with OSS's two behaviours (bugs.md B14): by default an
//! invalid or unsatisfiable range is ignored (200, whole object); with
//! `x-oss-range-behavior: standard` an end past the object is clamped and a start past it is
//! 416 `InvalidRange`. A multi-range request is 416 in both modes.

/// What to send for a Range header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeOutcome {
    /// 200 with the whole object.
    Full,
    /// 206 with bytes `start..=end`.
    Partial { start: u64, end: u64 },
    /// 416 `InvalidRange`.
    Unsatisfiable,
}

enum Spec {
    FromTo(u64, u64),
    From(u64),
    Suffix(u64),
}

fn parse(value: &str) -> Option<Result<Spec, ()>> {
    let set = value.trim().strip_prefix("bytes=")?;
    if set.contains(',') {
        return Some(Err(()));
    }
    let (a, b) = set.trim().split_once('-')?;
    let num = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, true) => None,
        (true, false) => Some(Ok(Spec::Suffix(num(b)?))),
        (false, true) => Some(Ok(Spec::From(num(a)?))),
        (false, false) => {
            let (a, b) = (num(a)?, num(b)?);
            if a > b {
                None
            } else {
                Some(Ok(Spec::FromTo(a, b)))
            }
        }
    }
}

/// Evaluates `header` (the Range value, if any) for an object of `size` bytes.
pub(crate) fn evaluate(header: Option<&str>, size: u64, standard: bool) -> RangeOutcome {
    let Some(header) = header else {
        return RangeOutcome::Full;
    };
    let spec = match parse(header) {
        None => return RangeOutcome::Full,
        Some(Err(())) => return RangeOutcome::Unsatisfiable,
        Some(Ok(spec)) => spec,
    };
    let invalid = if standard {
        RangeOutcome::Unsatisfiable
    } else {
        RangeOutcome::Full
    };
    match spec {
        Spec::FromTo(a, b) => {
            if a >= size {
                invalid
            } else if b >= size {
                if standard {
                    RangeOutcome::Partial {
                        start: a,
                        end: size - 1,
                    }
                } else {
                    RangeOutcome::Full
                }
            } else {
                RangeOutcome::Partial { start: a, end: b }
            }
        }
        Spec::From(a) => {
            if a >= size {
                invalid
            } else {
                RangeOutcome::Partial {
                    start: a,
                    end: size - 1,
                }
            }
        }
        Spec::Suffix(n) => {
            if n == 0 || size == 0 {
                invalid
            } else if n > size {
                if standard {
                    RangeOutcome::Partial {
                        start: 0,
                        end: size - 1,
                    }
                } else {
                    RangeOutcome::Full
                }
            } else {
                RangeOutcome::Partial {
                    start: size - n,
                    end: size - 1,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RangeOutcome::{Full, Partial, Unsatisfiable};
    use super::*;

    #[test]
    fn b14_table() {
        let p = |start, end| Partial { start, end };
        let rows: &[(&str, u64, RangeOutcome, RangeOutcome)] = &[
            ("bytes=100-199", 1000, p(100, 199), p(100, 199)),
            ("bytes=500-2000", 1000, Full, p(500, 999)),
            ("bytes=1000-2000", 1000, Full, Unsatisfiable),
            ("bytes=-500", 1000, p(500, 999), p(500, 999)),
            ("bytes=0-", 1000, p(0, 999), p(0, 999)),
            ("bytes=0-1,5-6", 1000, Unsatisfiable, Unsatisfiable),
            ("bytes=0-", 0, Full, Unsatisfiable),
        ];
        for (header, size, default, standard) in rows {
            assert_eq!(
                evaluate(Some(header), *size, false),
                *default,
                "{header} default"
            );
            assert_eq!(
                evaluate(Some(header), *size, true),
                *standard,
                "{header} standard"
            );
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(evaluate(None, 10, true), Full);
        assert_eq!(
            evaluate(Some("bytes=0-0"), 10, false),
            Partial { start: 0, end: 0 }
        );
        assert_eq!(evaluate(Some("bytes=5-2"), 10, true), Full);
        assert_eq!(evaluate(Some("items=0-1"), 10, true), Full);
        assert_eq!(evaluate(Some("bytes=x-1"), 10, false), Full);
        assert_eq!(evaluate(Some("bytes=-20"), 10, false), Full);
        assert_eq!(
            evaluate(Some("bytes=-20"), 10, true),
            Partial { start: 0, end: 9 }
        );
        assert_eq!(evaluate(Some("bytes=-0"), 10, true), Unsatisfiable);
        assert_eq!(
            evaluate(Some("bytes=9-"), 10, false),
            Partial { start: 9, end: 9 }
        );
    }
}
