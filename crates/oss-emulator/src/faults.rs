//! Fault injection on the OSS API: a small rule language (see [`FaultSpec`]), deterministic
//! triggers (a seeded SplitMix64 per rule for probabilities) and the decision the server
//! applies to each request.
//!
//! ```text
//! spec    := rule ("," rule)*            (blanks around tokens are ignored; "" = no faults)
//! rule    := ops ":" trigger ":" fault
//! ops     := "*" | op ("|" op)*           (op names: see OPERATION_NAMES)
//! trigger := "p=" FLOAT (0..=1) | "nth=" N | "every=" N | "first=" N | "always"   (N ≥ 1)
//! fault   := "500" | "503" | "reset" | "rst" | "reset-body" | "rst-body" | "short-body"
//!          | "corrupt-body" | "stall" | "stall=" BYTES | "slow=" BYTES_PER_SECOND
//!          | "commit-reset" | "commit-503" | "latency=" MS | "skew=" [+|-]SECONDS
//!          | "expire-token"
//! ```
//!
//! What each fault does (the crate README has the full story):
//!
//! * `500`, `503`: the request is not applied (its body is read), OSS error XML answers.
//! * `reset`: the connection is closed (FIN; the kernel sends RST instead if unread request
//!   bytes are buffered) before the body is read or anything is sent;
//!   `rst`: the same with a TCP reset (`SO_LINGER` 0, then close): the client reads
//!   `ECONNRESET`. Nothing is applied.
//! * `reset-body`, `short-body`, `rst-body`: the request is applied; the headers (real
//!   `Content-Length`) and the first half of the body are sent, then the connection is failed
//!   (`reset-body`), ended short (`short-body`) or reset with RST (`rst-body`).
//! * `stall`, `stall=BYTES`: a request with a body (`Content-Length` > 0 or chunked) has
//!   half of its declared length (or BYTES, at most length − 1; nothing when no length is
//!   declared and no BYTES given) read, then the emulator reads nothing more and never
//!   answers; the request is not applied. Any other request is applied, then the headers and
//!   the first half of the body (or BYTES of it, at most length − 1) are sent, then nothing
//!   more; an answer without body bytes (HEAD, most writes) sends nothing at all. Either
//!   way the connection stays open until the client closes it or the emulator shuts down.
//! * `slow=BPS`: the request body is read and the answer body sent at about BPS bytes per
//!   second (chunks of BPS/20 bytes, at least 1, paced with tokio time).
//! * `commit-reset`, `commit-503`: the request is applied as usual, then its answer is
//!   replaced by a closed connection (`commit-reset`) or a 503 `ServiceUnavailable`
//!   (`commit-503`): the ambiguous outcome of a write.
//! * `corrupt-body`, `latency=MS`, `skew=S`, `expire-token`: as before (see README).

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::operation::Operation;

/// The seed of probability triggers unless [`EmulatorBuilder::fault_seed`] says otherwise.
///
/// [`EmulatorBuilder::fault_seed`]: crate::EmulatorBuilder::fault_seed
pub const DEFAULT_FAULT_SEED: u64 = 0x0055_4545_4D55_4C41;

/// Operation names usable in a fault rule, and the operations each one covers.
pub(crate) const OPERATION_NAMES: &[(&str, &[Operation])] = &[
    ("put", &[Operation::PutObject]),
    ("get", &[Operation::GetObject]),
    ("head", &[Operation::HeadObject]),
    ("object-meta", &[Operation::GetObjectMeta]),
    ("delete", &[Operation::DeleteObject]),
    ("list", &[Operation::ListObjects, Operation::ListObjectsV2]),
    ("list-v1", &[Operation::ListObjects]),
    ("list-v2", &[Operation::ListObjectsV2]),
    ("list-buckets", &[Operation::ListBuckets]),
    ("put-bucket", &[Operation::PutBucket]),
    ("delete-bucket", &[Operation::DeleteBucket]),
    ("bucket-info", &[Operation::GetBucketInfo]),
    ("bucket-location", &[Operation::GetBucketLocation]),
    ("bucket-stat", &[Operation::GetBucketStat]),
    ("put-bucket-acl", &[Operation::PutBucketAcl]),
    ("get-bucket-acl", &[Operation::GetBucketAcl]),
    ("put-bucket-versioning", &[Operation::PutBucketVersioning]),
    ("get-bucket-versioning", &[Operation::GetBucketVersioning]),
    ("list-versions", &[Operation::ListObjectVersions]),
    ("list-uploads", &[Operation::ListMultipartUploads]),
    ("delete-multiple", &[Operation::DeleteMultipleObjects]),
    ("copy", &[Operation::CopyObject]),
    ("append", &[Operation::AppendObject]),
    ("put-acl", &[Operation::PutObjectAcl]),
    ("get-acl", &[Operation::GetObjectAcl]),
    ("put-tagging", &[Operation::PutObjectTagging]),
    ("get-tagging", &[Operation::GetObjectTagging]),
    ("delete-tagging", &[Operation::DeleteObjectTagging]),
    ("put-symlink", &[Operation::PutSymlink]),
    ("get-symlink", &[Operation::GetSymlink]),
    ("restore", &[Operation::RestoreObject]),
    ("clean-restored", &[Operation::CleanRestoredObject]),
    ("seal", &[Operation::SealAppendObject]),
    ("initiate", &[Operation::InitiateMultipartUpload]),
    ("upload-part", &[Operation::UploadPart]),
    ("upload-part-copy", &[Operation::UploadPartCopy]),
    ("complete", &[Operation::CompleteMultipartUpload]),
    ("abort", &[Operation::AbortMultipartUpload]),
    ("list-parts", &[Operation::ListParts]),
];

/// A fault spec that does not parse: which rule, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpecError {
    rule: String,
    reason: String,
}

impl FaultSpecError {
    fn new(rule: &str, reason: impl Into<String>) -> Self {
        Self {
            rule: rule.to_owned(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid fault rule `{}`: {} (expected OPERATION:TRIGGER:FAULT, e.g. `put:nth=2:503`)",
            self.rule, self.reason
        )
    }
}

impl std::error::Error for FaultSpecError {}

/// Which requests a rule fires on, among those its operations match (counted from 1).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Trigger {
    Probability(f64),
    Nth(u64),
    Every(u64),
    First(u64),
}

/// What a fired rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 500 `InternalError` before the request is applied.
    Status500,
    /// 503 `ServiceUnavailable` before the request is applied.
    Status503,
    /// Close the connection before any response byte; the request is not applied.
    Reset,
    /// Apply the request, send the headers and half the body, then fail the connection.
    ResetBody,
    /// Apply the request, send the headers and half the body, then end the connection.
    ShortBody,
    /// Apply the request, then flip one byte in the middle of the answer's body (headers,
    /// `x-oss-hash-crc64ecma` included, stay those of the stored data); an answer without a
    /// body (a write) reports a damaged `x-oss-hash-crc64ecma` instead.
    CorruptBody,
    /// Close the connection with a TCP reset before any response byte; nothing is applied.
    Rst,
    /// Apply the request, send the headers and half the body, then reset the connection.
    RstBody,
    /// Never finish: read part of a request body, or send part of an answer, then nothing.
    Stall(Option<u64>),
    /// Trickle request and answer bodies at this many bytes per second.
    Slow(u64),
    /// Apply the request, then close the connection without an answer.
    CommitReset,
    /// Apply the request, then answer 503 `ServiceUnavailable`.
    Commit503,
    /// Apply the request, then hold the answer back this long.
    Latency(Duration),
    /// The request sees the server clock moved by this many seconds.
    Skew(i64),
    /// Temporary credentials used by the request count as expired.
    ExpireToken,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    /// `None` = every request.
    ops: Option<Vec<Operation>>,
    trigger: Trigger,
    fault: Fault,
}

/// A parsed fault spec.
///
/// ```text
/// spec    := rule ("," rule)*            (blanks around tokens are ignored; "" = no faults)
/// rule    := ops ":" trigger ":" fault
/// ops     := "*" | op ("|" op)*           (put, get, head, delete, list, copy, append,
///                                          initiate, upload-part, complete, abort, … — see
///                                          the crate README for the full list)
/// trigger := "p=" FLOAT (0..=1) | "nth=" N | "every=" N | "first=" N | "always"   (N ≥ 1)
/// fault   := "500" | "503" | "reset" | "rst" | "reset-body" | "rst-body" | "short-body"
///          | "corrupt-body" | "stall" | "stall=" BYTES | "slow=" BYTES_PER_SECOND
///          | "commit-reset" | "commit-503" | "latency=" MS | "skew=" [+|-]SECONDS
///          | "expire-token"
/// ```
///
/// `500`, `503`, `reset` and `rst` fire before the request is applied (nothing is stored), and
/// so does `stall` on a request with a body; `reset-body`, `rst-body`, `short-body`,
/// `corrupt-body` (one byte of the body flipped), `stall` on other requests, `commit-reset`,
/// `commit-503` and `latency` act on the answer of an applied request; `slow` paces both
/// bodies. See the module documentation and the crate README for the details.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultSpec {
    rules: Vec<Rule>,
}

impl FaultSpec {
    /// Parses a spec such as `put:nth=2:503,get:p=0.1:reset-body,*:every=10:latency=200`.
    ///
    /// # Errors
    /// A rule that is not `OPERATION:TRIGGER:FAULT` with known parts.
    pub fn parse(spec: &str) -> Result<Self, FaultSpecError> {
        let mut rules = Vec::new();
        for raw in spec.split(',') {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            rules.push(parse_rule(raw)?);
        }
        Ok(Self { rules })
    }

    /// Whether the spec has no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn parse_rule(raw: &str) -> Result<Rule, FaultSpecError> {
    let mut parts = raw.splitn(3, ':').map(str::trim);
    let (Some(ops), Some(trigger), Some(fault)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(FaultSpecError::new(
            raw,
            "a rule has three `:`-separated parts",
        ));
    };
    let ops = if ops == "*" {
        None
    } else {
        let mut list = Vec::new();
        for name in ops.split('|').map(str::trim) {
            let Some((_, covered)) = OPERATION_NAMES.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = OPERATION_NAMES.iter().map(|(n, _)| *n).collect();
                return Err(FaultSpecError::new(
                    raw,
                    format!(
                        "unknown operation `{name}` (use * or one of {})",
                        known.join(", ")
                    ),
                ));
            };
            list.extend_from_slice(covered);
        }
        Some(list)
    };
    Ok(Rule {
        ops,
        trigger: parse_trigger(raw, trigger)?,
        fault: parse_fault(raw, fault)?,
    })
}

fn parse_count(raw: &str, what: &str, value: &str) -> Result<u64, FaultSpecError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| FaultSpecError::new(raw, format!("{what} needs an integer ≥ 1")))
}

fn parse_trigger(raw: &str, t: &str) -> Result<Trigger, FaultSpecError> {
    if t == "always" {
        return Ok(Trigger::Every(1));
    }
    let Some((name, value)) = t.split_once('=') else {
        return Err(FaultSpecError::new(
            raw,
            format!("unknown trigger `{t}` (p=F, nth=N, every=N, first=N or always)"),
        ));
    };
    match name.trim() {
        "p" => value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .map(Trigger::Probability)
            .ok_or_else(|| FaultSpecError::new(raw, "p needs a probability from 0 to 1")),
        "nth" => parse_count(raw, "nth", value.trim()).map(Trigger::Nth),
        "every" => parse_count(raw, "every", value.trim()).map(Trigger::Every),
        "first" => parse_count(raw, "first", value.trim()).map(Trigger::First),
        other => Err(FaultSpecError::new(
            raw,
            format!("unknown trigger `{other}` (p=F, nth=N, every=N, first=N or always)"),
        )),
    }
}

fn parse_fault(raw: &str, f: &str) -> Result<Fault, FaultSpecError> {
    match f {
        "500" => return Ok(Fault::Status500),
        "503" => return Ok(Fault::Status503),
        "reset" => return Ok(Fault::Reset),
        "reset-body" => return Ok(Fault::ResetBody),
        "rst" => return Ok(Fault::Rst),
        "rst-body" => return Ok(Fault::RstBody),
        "stall" => return Ok(Fault::Stall(None)),
        "commit-reset" => return Ok(Fault::CommitReset),
        "commit-503" => return Ok(Fault::Commit503),
        "short-body" => return Ok(Fault::ShortBody),
        "corrupt-body" => return Ok(Fault::CorruptBody),
        "expire-token" => return Ok(Fault::ExpireToken),
        _ => {}
    }
    match f.split_once('=') {
        Some(("latency", ms)) => ms
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|ms| *ms <= 3_600_000)
            .map(|ms| Fault::Latency(Duration::from_millis(ms)))
            .ok_or_else(|| FaultSpecError::new(raw, "latency needs milliseconds (0..=3600000)")),
        Some(("stall", bytes)) => bytes
            .trim()
            .parse::<u64>()
            .map(|n| Fault::Stall(Some(n)))
            .map_err(|_| FaultSpecError::new(raw, "stall needs a byte count (stall=BYTES)")),
        Some(("slow", rate)) => rate
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|r| *r >= 1)
            .map(Fault::Slow)
            .ok_or_else(|| FaultSpecError::new(raw, "slow needs bytes per second ≥ 1")),
        Some(("skew", secs)) => {
            let secs = secs.trim();
            secs.strip_prefix('+')
                .unwrap_or(secs)
                .parse::<i64>()
                .ok()
                .filter(|s| s.unsigned_abs() <= 10 * 365 * 86_400)
                .map(Fault::Skew)
                .ok_or_else(|| FaultSpecError::new(raw, "skew needs whole seconds, e.g. -1200"))
        }
        _ => Err(FaultSpecError::new(
            raw,
            format!(
                "unknown fault `{f}` (500, 503, reset, rst, reset-body, rst-body, short-body, corrupt-body, stall, stall=BYTES, slow=BPS, commit-reset, commit-503, latency=MS, skew=SECONDS or expire-token)"
            ),
        )),
    }
}

/// SplitMix64: small, fast, and the same on every platform.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Debug)]
struct RuleState {
    rule: Rule,
    seen: u64,
    rng: u64,
}

impl RuleState {
    fn fires(&mut self) -> bool {
        self.seen += 1;
        match self.rule.trigger {
            Trigger::Nth(n) => self.seen == n,
            Trigger::Every(n) => self.seen % n == 0,
            Trigger::First(n) => self.seen <= n,
            Trigger::Probability(p) => {
                let draw = (splitmix64(&mut self.rng) >> 11) as f64 / (1u64 << 53) as f64;
                draw < p
            }
        }
    }
}

/// A request's stage-one fault: what happens instead of (or to) the normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abort {
    Status500,
    Status503,
    Reset,
    Rst,
    ResetBody,
    RstBody,
    ShortBody,
    CorruptBody,
    Stall(Option<u64>),
    CommitReset,
    Commit503,
}

/// Everything injected into one request.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Injected {
    /// The first fired rule of those that replace or cut the answer, in spec order.
    pub(crate) abort: Option<Abort>,
    /// The slowest fired `slow` rate, in bytes per second.
    pub(crate) slow: Option<u64>,
    /// Sum of fired latencies.
    pub(crate) latency: Duration,
    /// Sum of fired skews, in seconds.
    pub(crate) skew: i64,
    /// An `expire-token` rule fired.
    pub(crate) expire_token: bool,
}

/// The live rules of one emulator.
#[derive(Debug)]
pub(crate) struct Faults {
    rules: Mutex<Vec<RuleState>>,
    /// Whether there are rules (lets the common case skip the lock).
    active: AtomicBool,
    seed: u64,
    injected: AtomicU64,
}

impl Faults {
    pub(crate) fn new(spec: FaultSpec, seed: u64) -> Self {
        let faults = Self {
            rules: Mutex::new(Vec::new()),
            active: AtomicBool::new(false),
            seed,
            injected: AtomicU64::new(0),
        };
        faults.set(spec);
        faults
    }

    /// Replaces the rules; counters and random streams start over.
    pub(crate) fn set(&self, spec: FaultSpec) {
        let states = spec
            .rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| RuleState {
                rule,
                seen: 0,
                rng: self
                    .seed
                    .wrapping_add((i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)),
            })
            .collect();
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        *rules = states;
        self.active.store(!rules.is_empty(), Ordering::Release);
    }

    /// How many faults fired so far.
    pub(crate) fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// Starts the count of fired faults over at 0.
    pub(crate) fn reset_injected(&self) {
        self.injected.store(0, Ordering::Relaxed);
    }

    /// Advances every rule that matches `op` (`None`: the request addresses no known
    /// operation; only `*` rules match) and collects what fired.
    pub(crate) fn decide(&self, op: Option<Operation>) -> Injected {
        let mut out = Injected::default();
        if !self.active.load(Ordering::Acquire) {
            return out;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        if rules.is_empty() {
            return out;
        }
        let mut fired = 0;
        for state in rules.iter_mut() {
            let matches = match (&state.rule.ops, op) {
                (None, _) => true,
                (Some(ops), Some(op)) => ops.contains(&op),
                (Some(_), None) => false,
            };
            if !matches || !state.fires() {
                continue;
            }
            fired += 1;
            let abort = match state.rule.fault {
                Fault::Status500 => Some(Abort::Status500),
                Fault::Status503 => Some(Abort::Status503),
                Fault::Reset => Some(Abort::Reset),
                Fault::ResetBody => Some(Abort::ResetBody),
                Fault::ShortBody => Some(Abort::ShortBody),
                Fault::CorruptBody => Some(Abort::CorruptBody),
                Fault::Rst => Some(Abort::Rst),
                Fault::RstBody => Some(Abort::RstBody),
                Fault::Stall(n) => Some(Abort::Stall(n)),
                Fault::CommitReset => Some(Abort::CommitReset),
                Fault::Commit503 => Some(Abort::Commit503),
                Fault::Slow(rate) => {
                    out.slow = Some(out.slow.map_or(rate, |r| r.min(rate)));
                    None
                }
                Fault::Latency(d) => {
                    out.latency += d;
                    None
                }
                Fault::Skew(s) => {
                    out.skew = out.skew.saturating_add(s);
                    None
                }
                Fault::ExpireToken => {
                    out.expire_token = true;
                    None
                }
            };
            if out.abort.is_none() {
                out.abort = abort;
            }
        }
        drop(rules);
        if fired > 0 {
            self.injected.fetch_add(fired, Ordering::Relaxed);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_grammar() {
        let s = FaultSpec::parse(
            " put|upload-part : p=0.25 : 503 , *:nth=3:reset, get:every=2:latency=15, list:first=2:skew=-1200, head:always:expire-token,",
        )
        .unwrap();
        assert_eq!(s.rules.len(), 5);
        assert_eq!(
            s.rules[0].ops.as_deref(),
            Some(&[Operation::PutObject, Operation::UploadPart][..])
        );
        assert_eq!(s.rules[0].trigger, Trigger::Probability(0.25));
        assert_eq!(s.rules[1].ops, None);
        assert_eq!(s.rules[2].fault, Fault::Latency(Duration::from_millis(15)));
        assert_eq!(s.rules[3].fault, Fault::Skew(-1200));
        assert_eq!(s.rules[4].trigger, Trigger::Every(1));
        let s = FaultSpec::parse(
            "get:always:stall,get:always:stall=10,get:always:slow=512,*:always:rst,get:always:rst-body,put:always:commit-reset,complete:always:commit-503",
        )
        .unwrap();
        let faults: Vec<Fault> = s.rules.iter().map(|r| r.fault).collect();
        assert_eq!(
            faults,
            [
                Fault::Stall(None),
                Fault::Stall(Some(10)),
                Fault::Slow(512),
                Fault::Rst,
                Fault::RstBody,
                Fault::CommitReset,
                Fault::Commit503
            ]
        );
        let f = Faults::new(
            FaultSpec::parse(
                "get:always:slow=100,get:always:slow=50,get:always:commit-503,get:always:rst",
            )
            .unwrap(),
            1,
        );
        let got = f.decide(Some(Operation::GetObject));
        assert_eq!(got.slow, Some(50));
        assert_eq!(got.abort, Some(Abort::Commit503));
        assert!(FaultSpec::parse("").unwrap().is_empty());
        for bad in [
            "put",
            "put:nth=0:500",
            "puts:nth=1:500",
            "put:p=1.5:500",
            "put:nth=1:404",
            "put:sometimes:500",
            "put:nth=1:latency=x",
            "get:always:stall=x",
            "get:always:slow=0",
            "get:always:rst-bodies",
        ] {
            let e = FaultSpec::parse(bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
    }

    #[test]
    fn triggers_are_deterministic() {
        let f = Faults::new(FaultSpec::parse("put:nth=3:500").unwrap(), 1);
        let fired: Vec<bool> = (0..6)
            .map(|_| f.decide(Some(Operation::PutObject)).abort.is_some())
            .collect();
        assert_eq!(fired, [false, false, true, false, false, false]);
        assert!(f.decide(Some(Operation::GetObject)).abort.is_none());
        assert_eq!(f.injected(), 1);
        let draws = |seed| {
            let f = Faults::new(FaultSpec::parse("*:p=0.3:reset").unwrap(), seed);
            (0..200)
                .map(|_| f.decide(None).abort.is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let n = draws(7).iter().filter(|b| **b).count();
        assert!((30..90).contains(&n), "{n}");
    }
}
