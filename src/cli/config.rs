//! `config`: per-vault settings.

use super::args::ConfigCmd;
use super::report::{table, Report};
use super::session::Session;
use crate::records::{audit, settings};
use anyhow::Result;
use serde_json::json;

pub fn run(s: &mut Session, cmd: &ConfigCmd) -> Result<Report> {
    match cmd {
        ConfigCmd::Show => {
            let all = settings::all(s.conn())?;
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|(k, v)| vec![k.key.to_string(), v.clone(), k.help.to_string()])
                .collect();
            let json: serde_json::Map<String, serde_json::Value> = all
                .iter()
                .map(|(k, v)| (k.key.to_string(), json!(v)))
                .collect();
            Ok(Report::new(
                table(&["SETTING", "VALUE", "MEANING"], &rows),
                json!({ "settings": json }),
            ))
        }
        ConfigCmd::Set { key, value } => {
            let k = s.write(|_, tx| {
                let k = settings::set(tx, key, value)?;
                audit::append(tx, "config set", json!({ "key": k.key, "value": value }))?;
                Ok(k)
            })?;
            Ok(Report::new(
                format!("{} = {}", k.key, value),
                json!({ "key": k.key, "value": value }),
            ))
        }
    }
}
