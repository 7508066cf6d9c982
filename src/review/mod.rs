//! Review before anything leaves (DESIGN.md section 4a): open questions
//! the engine cannot decide, the researcher's answers applied to every
//! output, and the terminal screen to give them.
//!
//! * [`questions`]: what is open in a transcript, and question ids;
//! * [`apply`]: redaction with the stored decisions applied;
//! * [`resolve`]: turning an answer into records (decisions or registry);
//! * [`screen`]: the interactive screen's state, drawing and keys.

pub mod apply;
pub mod questions;
pub mod resolve;
pub mod screen;
