//! The report date.
//!
//! Same input → byte-identical report, so the date is never read from the
//! wall clock unless the user asks for it. In order of precedence:
//! 1. `--date YYYY-MM-DD` (or `--date today`, the only use of the clock);
//! 2. `analysis_date` of the input header (the pipeline's run date);
//! 3. the `SOURCE_DATE_EPOCH` environment variable (reproducible-builds
//!    convention), as a UTC date;
//! 4. otherwise the report says the date is not recorded.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDate {
    pub date: Option<String>,
    /// `--date`, `input header`, `SOURCE_DATE_EPOCH` or `not recorded`.
    pub source: &'static str,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DateError {
    #[error("--date {0:?}: expected YYYY-MM-DD or `today`")]
    Flag(String),
    #[error("SOURCE_DATE_EPOCH={0:?}: expected seconds since 1970-01-01 UTC")]
    Epoch(String),
}

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// Picks the report date; see the module documentation for the order.
pub fn resolve_date(
    flag: Option<&str>,
    header_date: Option<&str>,
    source_date_epoch: Option<&str>,
) -> Result<ReportDate, DateError> {
    if let Some(flag) = flag {
        let date = if flag == "today" {
            OffsetDateTime::now_utc().date()
        } else {
            Date::parse(flag, ISO_DATE).map_err(|_| DateError::Flag(flag.to_string()))?
        };
        return Ok(ReportDate {
            date: Some(format_date(date)),
            source: "--date",
        });
    }
    if let Some(date) = header_date.map(str::trim).filter(|d| !d.is_empty()) {
        return Ok(ReportDate {
            date: Some(date.to_string()),
            source: "input header",
        });
    }
    if let Some(epoch) = source_date_epoch.map(str::trim).filter(|e| !e.is_empty()) {
        let seconds: i64 = epoch
            .parse()
            .map_err(|_| DateError::Epoch(epoch.to_string()))?;
        let moment = OffsetDateTime::from_unix_timestamp(seconds)
            .map_err(|_| DateError::Epoch(epoch.to_string()))?;
        return Ok(ReportDate {
            date: Some(format_date(moment.date())),
            source: "SOURCE_DATE_EPOCH",
        });
    }
    Ok(ReportDate {
        date: None,
        source: "not recorded",
    })
}

fn format_date(date: Date) -> String {
    date.format(ISO_DATE).expect("a calendar date formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_then_header_then_source_date_epoch() {
        let r = resolve_date(Some("2026-01-31"), Some("2025-05-05"), Some("0")).unwrap();
        assert_eq!(
            (r.date.as_deref(), r.source),
            (Some("2026-01-31"), "--date")
        );
        let r = resolve_date(None, Some("2025-05-05"), Some("0")).unwrap();
        assert_eq!(
            (r.date.as_deref(), r.source),
            (Some("2025-05-05"), "input header")
        );
        // 1700000000 s = 2023-11-14T22:13:20Z
        let r = resolve_date(None, None, Some("1700000000")).unwrap();
        assert_eq!(
            (r.date.as_deref(), r.source),
            (Some("2023-11-14"), "SOURCE_DATE_EPOCH")
        );
        let r = resolve_date(None, None, None).unwrap();
        assert_eq!((r.date, r.source), (None, "not recorded"));
    }

    #[test]
    fn bad_dates_are_errors() {
        assert_eq!(
            resolve_date(Some("31/01/2026"), None, None),
            Err(DateError::Flag("31/01/2026".into()))
        );
        assert_eq!(
            resolve_date(Some("2026-02-30"), None, None),
            Err(DateError::Flag("2026-02-30".into()))
        );
        assert_eq!(
            resolve_date(None, None, Some("yesterday")),
            Err(DateError::Epoch("yesterday".into()))
        );
    }

    #[test]
    fn today_is_a_date() {
        let r = resolve_date(Some("today"), None, None).unwrap();
        assert_eq!(r.date.unwrap().len(), 10);
    }
}
