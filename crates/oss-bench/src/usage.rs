//! CPU time and peak memory of this process (getrusage) and of another process (procfs).

use std::time::Duration;

/// A snapshot of this process's resource usage.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// User plus system CPU time of every thread of the process so far.
    pub cpu: Duration,
    /// The user-mode part of `cpu`.
    pub user: Duration,
    /// Peak resident set size so far, in KiB (`ru_maxrss`).
    pub max_rss_kib: u64,
}

fn timeval(tv: nix::sys::time::TimeVal) -> Duration {
    let secs = u64::try_from(tv.tv_sec()).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec()).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(u64::from(micros))
}

/// `getrusage(RUSAGE_SELF)`: this process only (children such as a separately started emulator
/// are not included).
pub fn self_usage() -> Usage {
    match nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF) {
        Ok(u) => Usage {
            cpu: timeval(u.user_time()) + timeval(u.system_time()),
            user: timeval(u.user_time()),
            max_rss_kib: u64::try_from(u.max_rss()).unwrap_or(0),
        },
        Err(_) => Usage {
            cpu: Duration::ZERO,
            user: Duration::ZERO,
            max_rss_kib: 0,
        },
    }
}

/// User plus system CPU time of process `pid` from `/proc/PID/stat` (10 ms resolution), or
/// `None` when it cannot be read.
pub fn process_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are
    // well formed: state is field 3, utime field 14, stime field 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux user-space ABI.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Current resident set size of process `pid` in KiB (`VmRSS`), and its peak (`VmHWM`).
pub fn process_rss_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_usage_is_readable() {
        let u = self_usage();
        assert!(u.max_rss_kib > 0);
        assert!(process_cpu(std::process::id()).is_some());
        assert!(process_rss_kib(std::process::id()).is_some());
    }
}
