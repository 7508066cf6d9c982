//! Deterministic zip archives for DOCX and QDPX.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::ExportError;

/// Zips `entries` in the given order, deflated, each with the fixed
/// timestamp 1980-01-01 00:00:00 and mode 0644, so that the same entries
/// always give the same bytes.
pub(crate) fn zip(
    format: &'static str,
    entries: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Assemble {
        format,
        detail: e.to_string(),
    };
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), options).map_err(|e| fail(&e))?;
        w.write_all(data).map_err(|e| fail(&e))?;
    }
    let cursor = w.finish().map_err(|e| fail(&e))?;
    Ok(cursor.into_inner())
}
