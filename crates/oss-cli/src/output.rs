//! What commands print: a progress bar on a terminal (bytes, rate, objects done/total), plain
//! lines otherwise, or one JSON object per line with `--json`; and the closing summary.

use std::io::{BufWriter, IsTerminal as _, Stdout, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use oss_client::transfer::ProgressFn;
use serde_json::{Value, json};

/// How results are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A progress bar on stderr; only failures are printed as lines.
    Bar,
    /// One line per object on stdout, failures on stderr.
    Plain,
    /// One JSON object per line on stdout.
    Json,
}

/// The printer of one command run.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    mode: Mode,
    bar: ProgressBar,
    objects_done: Arc<AtomicU64>,
    objects_total: Arc<AtomicU64>,
    /// Lines for stdout, written out by [`Output::flush`] (or when 8 KiB gather): one write
    /// for a run of finished objects instead of one per line.
    stdout: Arc<Mutex<BufWriter<Stdout>>>,
}

/// What one object (or one delete) ended as.
#[derive(Debug)]
pub(crate) struct Event<'a> {
    /// `upload`, `download`, `copy`, `delete`, `mkdir`, `skip`, `abort-upload`.
    pub(crate) action: &'a str,
    pub(crate) from: &'a str,
    pub(crate) to: Option<&'a str>,
    /// Bytes moved (0 for deletes and skips).
    pub(crate) bytes: u64,
    /// `None` when it succeeded, else the error.
    pub(crate) error: Option<&'a str>,
    /// Parts resumed from a checkpoint.
    pub(crate) resumed_parts: u32,
}

/// The closing numbers of a batch command.
#[derive(Debug, Default, Clone)]
pub(crate) struct Summary {
    /// Objects transferred or deleted.
    pub(crate) objects: u64,
    /// Bytes transferred.
    pub(crate) bytes: u64,
    /// Wall time.
    pub(crate) elapsed: Duration,
    /// Extra attempts made by the client's retries.
    pub(crate) retries: u64,
    /// Objects that failed.
    pub(crate) failures: u64,
    /// `sync`: objects skipped as unchanged.
    pub(crate) skipped: u64,
    /// Objects deleted (`sync --delete`, `rm`).
    pub(crate) deleted: u64,
}

impl<'a> Event<'a> {
    /// An event without a destination or bytes (deletes, planning and listing failures).
    pub(crate) fn about(action: &'a str, what: &'a str, error: Option<&'a str>) -> Self {
        Self {
            action,
            from: what,
            to: None,
            bytes: 0,
            error,
            resumed_parts: 0,
        }
    }
}

impl Summary {
    /// MiB per second over the wall time.
    pub(crate) fn mib_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds == 0.0 {
            0.0
        } else {
            self.bytes as f64 / (1024.0 * 1024.0) / seconds
        }
    }
}

impl Output {
    /// JSON lines with `json`, else a bar when stderr is a terminal, else plain lines.
    pub(crate) fn new(json: bool) -> Self {
        let mode = if json {
            Mode::Json
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Plain
        };
        Self {
            mode,
            bar: ProgressBar::hidden(),
            objects_done: Arc::default(),
            objects_total: Arc::default(),
            stdout: Arc::new(Mutex::new(BufWriter::new(std::io::stdout()))),
        }
    }

    /// Whether output is JSON lines.
    pub(crate) fn is_json(&self) -> bool {
        self.mode == Mode::Json
    }

    /// Starts the bar (terminal only); [`Output::planned`] makes it grow.
    pub(crate) fn start(&mut self) {
        if self.mode != Mode::Bar {
            return;
        }
        self.bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} objects {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        self.bar.set_style(style);
    }

    /// One more object of `bytes` bytes to transfer.
    pub(crate) fn planned(&self, bytes: u64) {
        if self.mode == Mode::Bar {
            self.bar.inc_length(bytes);
            self.objects_total.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A progress callback for one object: each call reports that object's running total;
    /// the bar advances by the difference.
    pub(crate) fn object_progress(&self) -> ProgressFn {
        let bar = self.bar.clone();
        let last = Arc::new(AtomicU64::new(0));
        Arc::new(move |done, _total| {
            let before = last.swap(done, Ordering::Relaxed);
            bar.inc(done.saturating_sub(before));
        })
    }

    /// Reports one finished object.
    pub(crate) fn event(&self, event: &Event<'_>) {
        match self.mode {
            Mode::Json => {
                let mut line = json!({
                    "action": event.action,
                    "from": event.from,
                    "bytes": event.bytes,
                    "ok": event.error.is_none(),
                });
                if let Some(to) = event.to {
                    line["to"] = Value::from(to);
                }
                if let Some(error) = event.error {
                    line["error"] = Value::from(error);
                }
                if event.resumed_parts > 0 {
                    line["resumed_parts"] = Value::from(event.resumed_parts);
                }
                self.json_line(&line);
            }
            Mode::Plain | Mode::Bar => {
                let target = event.to.map(|to| format!(" -> {to}")).unwrap_or_default();
                let resumed = match event.resumed_parts {
                    0 => String::new(),
                    n => format!(", {n} parts resumed"),
                };
                match event.error {
                    Some(error) => self.error_line(&format!(
                        "failed: {} {}{target}: {error}",
                        event.action, event.from
                    )),
                    None if self.mode == Mode::Plain => self.line(format_args!(
                        "{} {}{target} ({} bytes{resumed})",
                        event.action, event.from, event.bytes
                    )),
                    None => {}
                }
            }
        }
        if self.mode == Mode::Bar {
            let done = self.objects_done.fetch_add(1, Ordering::Relaxed) + 1;
            let total = self.objects_total.load(Ordering::Relaxed);
            self.bar.set_message(format!("{done}/{total}"));
        }
    }

    /// A line on stderr that does not break the bar.
    pub(crate) fn error_line(&self, line: &str) {
        if self.mode == Mode::Bar {
            self.bar.suspend(|| eprintln!("{line}"));
        } else {
            eprintln!("{line}");
        }
    }

    /// A JSON line on stdout (written by the next [`Output::flush`]).
    pub(crate) fn json_line(&self, value: &Value) {
        self.line(format_args!("{value}"));
    }

    /// A line for stdout, written by the next [`Output::flush`]. Write errors (stdout
    /// closed) are ignored.
    fn line(&self, line: std::fmt::Arguments<'_>) {
        let mut stdout = self.stdout.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(stdout, "{line}");
    }

    /// Writes the lines gathered so far to stdout.
    pub(crate) fn flush(&self) {
        let mut stdout = self.stdout.lock().unwrap_or_else(|e| e.into_inner());
        let _ = stdout.flush();
    }

    /// Ends the bar and prints the summary (JSON on stdout, else text on stderr).
    pub(crate) fn summary(&self, command: &str, summary: &Summary) {
        self.bar.finish_and_clear();
        self.flush();
        if self.mode == Mode::Json {
            self.json_line(&json!({
                "summary": command,
                "objects": summary.objects,
                "bytes": summary.bytes,
                "seconds": summary.elapsed.as_secs_f64(),
                "mib_per_second": summary.mib_per_second(),
                "retries": summary.retries,
                "failures": summary.failures,
                "skipped_unchanged": summary.skipped,
                "deleted": summary.deleted,
            }));
            self.flush();
            return;
        }
        let mut text = format!(
            "{command}: {} objects, {} bytes in {:.2} s ({:.2} MiB/s), {} retries, {} failures",
            summary.objects,
            summary.bytes,
            summary.elapsed.as_secs_f64(),
            summary.mib_per_second(),
            summary.retries,
            summary.failures,
        );
        if command == "sync" {
            text.push_str(&format!(
                ", {} unchanged skipped, {} deleted",
                summary.skipped, summary.deleted
            ));
        } else if summary.deleted > 0 {
            text.push_str(&format!(", {} deleted", summary.deleted));
        }
        eprintln!("{text}");
    }
}
