//! The review screen: state, drawing and keys, independent of the real
//! terminal so that tests drive it through ratatui's `TestBackend`.
//!
//! Left, the transcript's turns (line, speaker, original, translation side
//! by side when the screen is wide, stacked below when not), replacements
//! and questions highlighted by kind, turns whose speaker may not be quoted
//! dimmed and marked ✗, excerpts marked in the margin. Right, the queue of
//! open questions. Below, what the focused question or turn is about, and
//! the keys. Every answer is committed to the vault at once (one audited
//! change each) and the screen is recomputed, so what it shows is what an
//! export would write.
//!
//! Nothing here touches the disk or the terminal title: the caller owns the
//! terminal, and plaintext lives only in memory and on the screen.

use super::apply::{Applied, Why};
use super::questions::{self, Question, Reviewed};
use super::resolve::{self, Answer, Undo};
use crate::commit::OpenRecords;
use crate::lexicon;
use crate::publish::gate::ConsentGate;
use crate::records::decisions::Field;
use crate::records::excerpts::{self, Excerpt, ExcerptEdit, Span as Lines};
use crate::records::{audit, persons, today, transcripts, RecordsError};
use fieldvault_redact::{MatchForm, Reason, TermKind};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;
use serde_json::json;

/// Why a key's action was not carried out (shown on the message line).
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("{0}")]
    Commit(#[from] crate::commit::CommitError),
}

/// The smallest screen the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What a key did to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Questions,
    Turns,
}

/// A small form on top of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    Person {
        name: String,
        descriptor: String,
    },
    Alias {
        person: String,
    },
    Term {
        kind: usize,
        replacement: String,
    },
    Excerpt {
        edit: Option<i64>,
        first: u32,
        last: u32,
        tags: String,
        note: String,
    },
}

impl Form {
    fn fields(&self) -> usize {
        match self {
            Form::Alias { .. } => 1,
            _ => 2,
        }
    }
}

/// Which look: colours, or NO_COLOR's monochrome.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub mono: bool,
}

impl Palette {
    pub fn from_env() -> Palette {
        Palette {
            mono: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }

    fn replaced(&self, why: &Why) -> Style {
        let (color, modifier) = match why {
            Why::Engine(Reason::Person {
                form: MatchForm::Lookalike,
                ..
            }) => (Color::LightRed, Modifier::BOLD | Modifier::ITALIC),
            Why::Engine(Reason::Person { .. } | Reason::Ambiguous { .. }) => {
                (Color::Red, Modifier::BOLD)
            }
            Why::Engine(Reason::Term { .. }) => (Color::Magenta, Modifier::ITALIC),
            Why::Engine(Reason::Pattern(_)) => (Color::Yellow, Modifier::UNDERLINED),
            Why::Engine(Reason::UnregisteredName) => {
                (Color::Cyan, Modifier::BOLD | Modifier::UNDERLINED)
            }
            Why::Decision(_) => (Color::Blue, Modifier::BOLD | Modifier::CROSSED_OUT),
        };
        if self.mono {
            Style::default().add_modifier(modifier)
        } else {
            Style::default().fg(color).add_modifier(Modifier::BOLD)
        }
    }

    fn question(&self, focused: bool) -> Style {
        let s = if self.mono {
            Style::default().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::default().fg(Color::Black).bg(Color::Yellow)
        };
        if focused {
            s.add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            s
        }
    }

    fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// The reason of a replacement in words.
pub fn reason_words(why: &Why, person_names: &dyn Fn(&str) -> String) -> String {
    match why {
        Why::Engine(Reason::Person { key, form }) => {
            format!("registered person {} ({form} form)", person_names(key))
        }
        Why::Engine(Reason::Ambiguous { pseudonyms, .. }) => format!(
            "a name part several registered persons share ({}): neutral placeholder",
            pseudonyms.join(", ")
        ),
        Why::Engine(Reason::Term { key }) => format!("registered {key}"),
        Why::Engine(Reason::Pattern(k)) => format!("looks like a {k}"),
        Why::Engine(Reason::UnregisteredName) => "likely a name nobody registered".into(),
        Why::Decision(id) => format!("your decision {id}: redacted here"),
    }
}

/// The review of one transcript.
pub struct Screen {
    pub transcript: i64,
    title: String,
    pub reviewed: Reviewed,
    /// Per turn: whether its speakers' consent allows quoting.
    quotable: Vec<bool>,
    pub excerpts: Vec<Excerpt>,
    pseudonyms: Vec<(String, String)>,
    pub focus: Focus,
    pub turn: usize,
    pub question: usize,
    pub mark: Option<usize>,
    pub form: Option<(Form, usize)>,
    pub help: bool,
    pub message: String,
    undo: Vec<Undo>,
    palette: Palette,
    side_by_side_min: u16,
}

fn turn_of_line(r: &Reviewed, line: u32) -> usize {
    r.turns
        .iter()
        .position(|t| t.turn.line == line)
        .unwrap_or(0)
}

impl Screen {
    pub fn open(
        conn: &rusqlite::Connection,
        transcript: i64,
        palette: Palette,
    ) -> Result<Screen, RecordsError> {
        let info = transcripts::info(conn, transcript)?;
        let mut s = Screen {
            transcript,
            title: format!(
                "Review: transcript {transcript}, {} ({}{})",
                info.date,
                info.lang,
                info.translation_lang
                    .as_deref()
                    .map(|l| format!(" → {l}"))
                    .unwrap_or_default()
            ),
            reviewed: Reviewed {
                transcript,
                turns: Vec::new(),
            },
            quotable: Vec::new(),
            excerpts: Vec::new(),
            pseudonyms: Vec::new(),
            focus: Focus::Questions,
            turn: 0,
            question: 0,
            mark: None,
            form: None,
            help: false,
            message: "Answer each question; ? shows every key.".into(),
            undo: Vec::new(),
            palette,
            side_by_side_min: 120,
        };
        s.refresh(conn)?;
        s.follow_question();
        Ok(s)
    }

    /// Recomputes redaction, questions, consent and excerpts from the vault.
    pub fn refresh(&mut self, conn: &rusqlite::Connection) -> Result<(), RecordsError> {
        let lex = lexicon::build(conn, &[])?;
        self.reviewed = questions::review(conn, &lex, self.transcript)?;
        let gate = ConsentGate::load(conn, today())?;
        self.quotable = self
            .reviewed
            .turns
            .iter()
            .map(|t| {
                transcripts::speakers_of(conn, self.transcript, t.turn.line, t.turn.line)
                    .map(|who| gate.check(&who).is_empty())
            })
            .collect::<Result<_, _>>()?;
        self.excerpts = excerpts::list(conn, &[])?
            .into_iter()
            .filter(|e| e.transcript == self.transcript)
            .collect();
        self.pseudonyms = persons::list(conn)?
            .into_iter()
            .map(|p| (p.id.to_string(), p.pseudonym))
            .collect();
        let n = self.questions().len();
        self.question = self.question.min(n.saturating_sub(1));
        self.turn = self.turn.min(self.reviewed.turns.len().saturating_sub(1));
        Ok(())
    }

    pub fn questions(&self) -> Vec<&Question> {
        self.reviewed.questions().collect()
    }

    fn focused_question(&self) -> Option<Question> {
        self.questions().get(self.question).map(|q| (*q).clone())
    }

    fn follow_question(&mut self) {
        if let Some(q) = self.focused_question() {
            self.turn = turn_of_line(&self.reviewed, q.line);
        }
    }

    fn pseudonym(&self, key: &str) -> String {
        self.pseudonyms
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| format!("person {key}"))
    }

    // ---- keys ----

    /// Handles one key; errors become the message line (nothing changed).
    pub fn key(&mut self, db: &mut impl OpenRecords, k: KeyEvent) -> Flow {
        match self.key_inner(db, k) {
            Ok(f) => f,
            Err(e) => {
                self.message = format!("Not done: {e}");
                Flow::Continue
            }
        }
    }

    fn key_inner(&mut self, db: &mut impl OpenRecords, k: KeyEvent) -> Result<Flow, ScreenError> {
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
            return Ok(Flow::Quit);
        }
        if self.help {
            self.help = false;
            return Ok(Flow::Continue);
        }
        if let Some((form, field)) = self.form.take() {
            return self.form_key(db, form, field, k);
        }
        let nq = self.questions().len();
        match k.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Flow::Quit),
            KeyCode::Char('?') => self.help = true,
            KeyCode::Tab => {
                self.focus = match self.focus {
                    Focus::Questions => Focus::Turns,
                    Focus::Turns => Focus::Questions,
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.step(1, nq),
            KeyCode::Up => self.step(-1, nq),
            KeyCode::PageDown => self.step(10, nq),
            KeyCode::PageUp => self.step(-10, nq),
            KeyCode::Char('k') => self.answer(db, Answer::Keep)?,
            KeyCode::Char('r') => self.answer(db, Answer::Redact { replacement: None })?,
            KeyCode::Char('a') => self.answer(db, Answer::Allow)?,
            KeyCode::Char('p') => {
                if let Some(q) = self.focused_question() {
                    self.form = Some((
                        Form::Person {
                            name: q.word.clone(),
                            descriptor: String::new(),
                        },
                        0,
                    ));
                }
            }
            KeyCode::Char('l') if self.focused_question().is_some() => {
                self.form = Some((
                    Form::Alias {
                        person: String::new(),
                    },
                    0,
                ));
            }
            KeyCode::Char('t') if self.focused_question().is_some() => {
                self.form = Some((
                    Form::Term {
                        kind: 0,
                        replacement: String::new(),
                    },
                    0,
                ));
            }
            KeyCode::Char('u') => {
                if let Some(u) = self.undo.pop() {
                    let msg = db.commit(|tx| resolve::undo(tx, &u).map_err(ScreenError::from))?;
                    self.message = msg;
                    self.refresh(db.conn())?;
                } else {
                    self.message = "Nothing to undo.".into();
                }
            }
            KeyCode::Char('v') | KeyCode::Char(' ') => {
                self.mark = match self.mark {
                    Some(_) => None,
                    None => Some(self.turn),
                };
                self.message = match self.mark {
                    Some(_) => "Span started here; move to its last turn and press e.".into(),
                    None => "Span cleared.".into(),
                };
            }
            KeyCode::Char('e') => {
                let a = self.mark.unwrap_or(self.turn).min(self.turn);
                let b = self.mark.unwrap_or(self.turn).max(self.turn);
                let (Some(first), Some(last)) =
                    (self.reviewed.turns.get(a), self.reviewed.turns.get(b))
                else {
                    return Ok(Flow::Continue);
                };
                self.form = Some((
                    Form::Excerpt {
                        edit: None,
                        first: first.turn.line,
                        last: last.turn.line,
                        tags: String::new(),
                        note: String::new(),
                    },
                    0,
                ));
            }
            KeyCode::Char('E') => {
                if let Some(e) = self.excerpt_here() {
                    self.form = Some((
                        Form::Excerpt {
                            edit: Some(e.id),
                            first: e.first_line,
                            last: e.last_line,
                            tags: e.tags.join(", "),
                            note: e.note.clone().unwrap_or_default(),
                        },
                        0,
                    ));
                }
            }
            KeyCode::Char('x') => {
                if let Some(e) = self.excerpt_here() {
                    db.commit(|tx| {
                        excerpts::remove(tx, e.id)?;
                        audit::append(tx, "excerpt remove", json!({ "excerpt": e.id }))?;
                        Ok::<_, ScreenError>(())
                    })?;
                    self.message = format!("Excerpt {} removed.", e.id);
                    self.refresh(db.conn())?;
                } else {
                    self.message = "No excerpt covers this turn.".into();
                }
            }
            _ => {}
        }
        Ok(Flow::Continue)
    }

    fn excerpt_here(&self) -> Option<Excerpt> {
        let line = self.reviewed.turns.get(self.turn)?.turn.line;
        self.excerpts
            .iter()
            .find(|e| (e.first_line..=e.last_line).contains(&line))
            .cloned()
    }

    fn step(&mut self, by: i64, nq: usize) {
        let clamp = |v: usize, by: i64, n: usize| -> usize {
            (v as i64 + by).clamp(0, n.saturating_sub(1) as i64) as usize
        };
        match self.focus {
            Focus::Questions => {
                self.question = clamp(self.question, by, nq);
                self.follow_question();
            }
            Focus::Turns => self.turn = clamp(self.turn, by, self.reviewed.turns.len()),
        }
    }

    fn answer(&mut self, db: &mut impl OpenRecords, a: Answer) -> Result<(), ScreenError> {
        let Some(q) = self.focused_question() else {
            self.message = "No open question here.".into();
            return Ok(());
        };
        let done = db.commit(|tx| resolve::resolve(tx, &q, &a).map_err(ScreenError::from))?;
        self.message = done.summary;
        self.undo.push(done.undo);
        self.refresh(db.conn())?;
        self.follow_question();
        Ok(())
    }

    fn form_key(
        &mut self,
        db: &mut impl OpenRecords,
        mut form: Form,
        mut field: usize,
        k: KeyEvent,
    ) -> Result<Flow, ScreenError> {
        let is_term = matches!(form, Form::Term { .. });
        let text: Option<&mut String> = match (&mut form, field) {
            (Form::Person { name, .. }, 0) => Some(name),
            (Form::Person { descriptor, .. }, _) => Some(descriptor),
            (Form::Alias { person }, _) => Some(person),
            (Form::Term { .. }, 0) => None,
            (Form::Term { replacement, .. }, _) => Some(replacement),
            (Form::Excerpt { tags, .. }, 0) => Some(tags),
            (Form::Excerpt { note, .. }, _) => Some(note),
        };
        match k.code {
            KeyCode::Esc => {
                self.message = "Cancelled.".into();
                return Ok(Flow::Continue);
            }
            KeyCode::Tab | KeyCode::Down => field = (field + 1) % form.fields(),
            KeyCode::Up | KeyCode::BackTab => field = (field + form.fields() - 1) % form.fields(),
            KeyCode::Left | KeyCode::Right if is_term && field == 0 => {
                if let Form::Term { kind, .. } = &mut form {
                    let n = TermKind::ALL.len();
                    *kind = if k.code == KeyCode::Left {
                        (*kind + n - 1) % n
                    } else {
                        (*kind + 1) % n
                    };
                }
            }
            KeyCode::Backspace => {
                if let Some(t) = text {
                    t.pop();
                }
            }
            KeyCode::Char(c) => {
                if let Some(t) = text {
                    if t.chars().count() < 200 {
                        t.push(c);
                    }
                }
            }
            KeyCode::Enter => {
                self.submit(db, form)?;
                return Ok(Flow::Continue);
            }
            _ => {}
        }
        self.form = Some((form, field));
        Ok(Flow::Continue)
    }

    fn submit(&mut self, db: &mut impl OpenRecords, form: Form) -> Result<(), ScreenError> {
        match form {
            Form::Person { name, descriptor } => self.answer(
                db,
                Answer::Person {
                    name: Some(name),
                    descriptor: Some(descriptor),
                },
            ),
            Form::Alias { person } => {
                let id = persons::resolve(db.conn(), &person)?;
                self.answer(db, Answer::Alias { person: id })
            }
            Form::Term { kind, replacement } => self.answer(
                db,
                Answer::Term {
                    kind: TermKind::ALL[kind % TermKind::ALL.len()],
                    replacement: Some(replacement).filter(|r| !r.trim().is_empty()),
                },
            ),
            Form::Excerpt {
                edit,
                first,
                last,
                tags,
                note,
            } => {
                let tags: Vec<String> = tags
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                let t = self.transcript;
                let id = db.commit(|tx| -> Result<i64, ScreenError> {
                    let e = match edit {
                        None => {
                            let e = excerpts::add(tx, t, Lines::Lines(first, last), &tags, Some(&note))?;
                            audit::append(tx, "excerpt add", json!({ "excerpt": e.id, "transcript": t, "lines": [e.first_line, e.last_line] }))?;
                            e
                        }
                        Some(id) => {
                            let old = excerpts::get(tx, id)?;
                            let e = excerpts::edit(
                                tx,
                                id,
                                &ExcerptEdit {
                                    span: None,
                                    add_tags: tags.iter().filter(|x| !old.tags.contains(x)).cloned().collect(),
                                    remove_tags: old.tags.iter().filter(|x| !tags.contains(x)).cloned().collect(),
                                    note: Some(note.clone()),
                                },
                            )?;
                            audit::append(tx, "excerpt edit", json!({ "excerpt": e.id }))?;
                            e
                        }
                    };
                    Ok(e.id)
                })?;
                self.mark = None;
                self.message = match edit {
                    None => format!("Excerpt {id} made from lines {first}-{last}."),
                    Some(_) => format!("Excerpt {id} changed."),
                };
                Ok(self.refresh(db.conn())?)
            }
        }
    }

    // ---- drawing ----

    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            f.render_widget(
                Paragraph::new(format!(
                    "The window is {}×{}; the review screen needs {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press q.",
                    area.width, area.height
                ))
                .wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Length(1),
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(1),
            ])
            .split(area);
        let n = self.questions().len();
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    self.title.clone(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!(" — {n} open question(s)")),
            ])),
            rows[0],
        );
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(64), Constraint::Percentage(36)])
            .split(rows[1]);
        self.draw_turns(f, cols[0]);
        self.draw_queue(f, cols[1]);
        self.draw_detail(f, rows[2]);
        f.render_widget(
            Paragraph::new(
                "k keep r redact a allow t term p person l alias u undo v,e excerpt ? help q quit",
            )
            .style(self.palette.dim()),
            rows[3],
        );
        if self.help {
            self.draw_help(f, area);
        }
        if let Some((form, field)) = &self.form {
            self.draw_form(f, area, form, *field);
        }
    }

    /// Styled words of one field: replacements and questions highlighted.
    fn styled<'a>(
        &self,
        text: &'a str,
        applied: &Applied,
        line: u32,
        field: Field,
    ) -> Vec<Span<'a>> {
        let focused = self.focused_question();
        let mut marks: Vec<(usize, usize, Style)> = applied
            .spans
            .iter()
            .map(|s| (s.start, s.end, self.palette.replaced(&s.why)))
            .collect();
        for q in self
            .reviewed
            .questions()
            .filter(|q| q.line == line && q.field == field)
        {
            let is_focus = focused.as_ref().is_some_and(|f| f.id == q.id);
            marks.retain(|m| !(m.0 == q.start && m.1 == q.end));
            marks.push((q.start, q.end, self.palette.question(is_focus)));
        }
        marks.sort_by_key(|m| m.0);
        let mut out = Vec::new();
        let mut at = 0;
        for (s, e, style) in marks {
            if s < at || e > text.len() {
                continue;
            }
            if s > at {
                out.push(Span::raw(&text[at..s]));
            }
            out.push(Span::styled(&text[s..e], style));
            at = e;
        }
        if at < text.len() {
            out.push(Span::raw(&text[at..]));
        }
        out
    }

    fn draw_turns(&self, f: &mut Frame, area: Rect) {
        let wide = area.width >= self.side_by_side_min;
        let inner = area.width.saturating_sub(2) as usize;
        let mut items = Vec::new();
        for (i, t) in self.reviewed.turns.iter().enumerate() {
            let line = t.turn.line;
            let ex: Vec<String> = self
                .excerpts
                .iter()
                .filter(|e| (e.first_line..=e.last_line).contains(&line))
                .map(|e| e.id.to_string())
                .collect();
            let in_mark = self
                .mark
                .is_some_and(|m| (m.min(self.turn)..=m.max(self.turn)).contains(&i));
            let margin = format!(
                "{}{}{:>4} ",
                if ex.is_empty() {
                    " ".to_string()
                } else {
                    format!("▌{}", ex.join(","))
                },
                if in_mark { "*" } else { " " },
                line
            );
            let quotable = self.quotable.get(i).copied().unwrap_or(false);
            let mut head = vec![Span::raw(margin.clone())];
            if !quotable {
                head.push(Span::styled("✗ no quoting ", self.palette.dim()));
            }
            head.push(Span::styled(
                format!("{}: ", t.turn.speaker),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            let pad = " ".repeat(margin.chars().count());
            let orig = self.styled(&t.turn.text, &t.original, line, Field::Original);
            let mut lines: Vec<Line> = Vec::new();
            match (&t.turn.translation, &t.translation) {
                (Some(tr), Some(ap)) if wide => {
                    let half = inner.saturating_sub(pad.len()) / 2;
                    let left = wrap(
                        head.into_iter().chain(orig).collect(),
                        half.max(10) + pad.len(),
                    );
                    let right = wrap(self.styled(tr, ap, line, Field::Translation), half.max(10));
                    for k in 0..left.len().max(right.len()) {
                        let mut l: Vec<Span> = left.get(k).cloned().unwrap_or_default();
                        let w: usize = l.iter().map(Span::width).sum();
                        l.push(Span::raw(
                            " ".repeat((half + pad.len() + 1).saturating_sub(w)),
                        ));
                        l.extend(right.get(k).cloned().unwrap_or_default());
                        lines.push(Line::from(l));
                    }
                }
                (Some(tr), Some(ap)) => {
                    lines.extend(
                        wrap(head.into_iter().chain(orig).collect(), inner)
                            .into_iter()
                            .map(Line::from),
                    );
                    let mut tl = vec![
                        Span::raw(pad.clone()),
                        Span::styled("→ ", self.palette.dim()),
                    ];
                    tl.extend(self.styled(tr, ap, line, Field::Translation));
                    lines.extend(wrap(tl, inner).into_iter().map(Line::from));
                }
                _ => lines.extend(
                    wrap(head.into_iter().chain(orig).collect(), inner)
                        .into_iter()
                        .map(Line::from),
                ),
            }
            let mut item = ListItem::new(Text::from(lines));
            if !quotable {
                item = item.style(self.palette.dim());
            }
            items.push(item);
        }
        let mut state = ListState::default();
        state.select(Some(self.turn));
        let title = if self.focus == Focus::Turns {
            "[Turns]"
        } else {
            " Turns "
        };
        f.render_stateful_widget(
            List::new(items)
                .block(Block::default().borders(Borders::ALL).title(title))
                .highlight_style(if self.focus == Focus::Turns {
                    self.palette.selected()
                } else {
                    Style::default()
                }),
            area,
            &mut state,
        );
    }

    fn draw_queue(&self, f: &mut Frame, area: Rect) {
        let items: Vec<ListItem> = self
            .questions()
            .iter()
            .map(|q| {
                ListItem::new(Line::from(vec![
                    Span::styled(format!("{:>4} ", q.line), self.palette.dim()),
                    Span::raw(format!("{} ", q.word)),
                    Span::styled(q.kind.as_str(), self.palette.dim()),
                ]))
            })
            .collect();
        let empty = items.is_empty();
        let mut state = ListState::default();
        if !empty {
            state.select(Some(self.question));
        }
        let title = if self.focus == Focus::Questions {
            "[Questions]"
        } else {
            " Questions "
        };
        let list = if empty {
            List::new(vec![ListItem::new("No open questions.")])
        } else {
            List::new(items)
        };
        f.render_stateful_widget(
            list.block(Block::default().borders(Borders::ALL).title(title))
                .highlight_style(self.palette.selected()),
            area,
            &mut state,
        );
    }

    fn draw_detail(&self, f: &mut Frame, area: Rect) {
        let mut lines: Vec<Line> = Vec::new();
        if let Some(q) = self
            .focused_question()
            .filter(|_| self.focus == Focus::Questions)
        {
            lines.push(Line::from(format!(
                "{} (line {}, {}): {}{}",
                q.word,
                q.line,
                q.field.as_str(),
                q.kind.explain(),
                q.near
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            )));
            lines.push(Line::from(q.context.clone()));
        } else if let Some(t) = self.reviewed.turns.get(self.turn) {
            let name = |k: &str| self.pseudonym(k);
            let spans = t.original.spans.iter().map(|s| (&t.turn.text, s));
            let tr = t.translation.iter().flat_map(|a| {
                a.spans
                    .iter()
                    .map(move |s| (t.turn.translation.as_ref().unwrap_or(&t.turn.text), s))
            });
            for (text, s) in spans.chain(tr).take(3) {
                lines.push(Line::from(format!(
                    "{} → {}  ({})",
                    text.get(s.start..s.end).unwrap_or(""),
                    s.replacement,
                    reason_words(&s.why, &name)
                )));
            }
            if lines.is_empty() {
                lines.push(Line::from(format!(
                    "Line {}: nothing replaced.",
                    t.turn.line
                )));
            }
        }
        lines.truncate(3);
        lines.push(Line::from(Span::styled(
            self.message.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        )));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
    }

    fn draw_help(&self, f: &mut Frame, area: Rect) {
        let r = centered(area, 70, 20);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(HELP).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Keys (any key closes) "),
            ),
            r,
        );
    }

    fn draw_form(&self, f: &mut Frame, area: Rect, form: &Form, field: usize) {
        let r = centered(area, 64, 7);
        f.render_widget(Clear, r);
        let cur = |i: usize| if i == field { "▸ " } else { "  " };
        let (title, lines): (&str, Vec<String>) = match form {
            Form::Person { name, descriptor } => (
                " Register a person ",
                vec![
                    format!("{}Name:       {name}", cur(0)),
                    format!("{}Descriptor: {descriptor}", cur(1)),
                ],
            ),
            Form::Alias { person } => (
                " Another name of… ",
                vec![format!("{}Person (id or pseudonym): {person}", cur(0))],
            ),
            Form::Term { kind, replacement } => (
                " Register a term ",
                vec![
                    format!(
                        "{}Kind (←/→): {}",
                        cur(0),
                        TermKind::ALL[kind % TermKind::ALL.len()].as_str()
                    ),
                    format!("{}Replacement (empty: by kind): {replacement}", cur(1)),
                ],
            ),
            Form::Excerpt {
                edit,
                first,
                last,
                tags,
                note,
            } => (
                if edit.is_some() {
                    " Edit excerpt "
                } else {
                    " New excerpt "
                },
                vec![
                    format!("  Lines {first}-{last}"),
                    format!("{}Tags (comma-separated): {tags}", cur(0)),
                    format!("{}Note: {note}", cur(1)),
                ],
            ),
        };
        let mut text: Vec<Line> = lines.into_iter().map(Line::from).collect();
        text.push(Line::from(Span::styled(
            "Enter saves · Tab next field · Esc cancels",
            self.palette.dim(),
        )));
        f.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL).title(title)),
            r,
        );
    }
}

pub const HELP: &str = "\
↑/↓ PgUp/PgDn  move in the focused pane      Tab  questions ↔ turns
For the focused question:
  k  keep it here (this occurrence only)     r  redact it here only
  a  allow it everywhere                     t  register it as a term
  p  register it as a new person (form)      l  add it as another name
  u  undo the last answer
Excerpts:
  v or Space  start/clear a span at this turn
  e  make an excerpt of the span (or this turn): tags, note
  E  edit the excerpt at this turn           x  remove it
Colours: person red, term magenta, pattern yellow, unregistered name
cyan, your redaction blue, open question yellow; NO_COLOR: bold,
italic, underline. ✗ a speaker who may not be quoted. ▌N excerpt N.
?  this help      q or Esc  quit (every answer is already saved)";

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Wraps styled text into lines of at most `width` columns, at spaces.
fn wrap(spans: Vec<Span<'_>>, width: usize) -> Vec<Vec<Span<'_>>> {
    wrap_indented(spans, width, 0)
}

/// As [`wrap`], continuation lines indented by `indent` columns.
fn wrap_indented(spans: Vec<Span<'_>>, width: usize, indent: usize) -> Vec<Vec<Span<'_>>> {
    let width = width.max(indent + 8);
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0usize;
    for sp in spans {
        let style = sp.style;
        let content = sp.content.to_string();
        for piece in content.split_inclusive(' ') {
            let w = Span::raw(piece).width();
            if used + w > width && used > indent {
                lines.push(vec![Span::raw(" ".repeat(indent))]);
                used = indent;
            }
            let mut rest = piece.to_string();
            while Span::raw(rest.as_str()).width() > width {
                let cut: String = rest.chars().take(width).collect();
                rest = rest.chars().skip(width).collect();
                lines
                    .last_mut()
                    .expect("one line")
                    .push(Span::styled(cut, style));
                lines.push(Vec::new());
            }
            used += Span::raw(rest.as_str()).width();
            lines
                .last_mut()
                .expect("one line")
                .push(Span::styled(rest, style));
        }
    }
    lines
}

/// The transcripts and their open questions, for `review` without an
/// argument: choose one with ↑/↓ and Enter.
pub struct Picker {
    pub rows: Vec<(i64, String, usize)>,
    pub cursor: usize,
}

impl Picker {
    pub fn load(conn: &rusqlite::Connection) -> Result<Picker, RecordsError> {
        let lex = lexicon::build(conn, &[])?;
        let mut rows = Vec::new();
        for t in transcripts::list(conn)? {
            let n = questions::open(conn, &lex, t.id)?.len();
            rows.push((
                t.id,
                format!("{} {} ({} turns)", t.date, t.lang, t.turns),
                n,
            ));
        }
        Ok(Picker { rows, cursor: 0 })
    }

    /// `Some(id)` when a transcript was chosen.
    pub fn key(&mut self, k: KeyEvent) -> Result<Option<i64>, Flow> {
        match k.code {
            KeyCode::Char('q') | KeyCode::Esc => Err(Flow::Quit),
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Err(Flow::Quit),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1));
                Ok(None)
            }
            KeyCode::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Ok(None)
            }
            KeyCode::Enter => Ok(self.rows.get(self.cursor).map(|r| r.0)),
            _ => Ok(None),
        }
    }

    pub fn draw(&self, f: &mut Frame, palette: Palette) {
        let area = f.area();
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(|(id, what, n)| {
                ListItem::new(format!(
                    "transcript {id:>4}  {what}  — {n} open question(s)"
                ))
            })
            .collect();
        let mut state = ListState::default();
        state.select((!self.rows.is_empty()).then_some(self.cursor));
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(3), Constraint::Length(1)])
            .split(area);
        f.render_stateful_widget(
            List::new(items)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" Transcripts to review "),
                )
                .highlight_style(palette.selected()),
            rows[0],
            &mut state,
        );
        f.render_widget(
            Paragraph::new("↑↓ choose  Enter review  q quit").style(palette.dim()),
            rows[1],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commit::{in_transaction, CommitError};
    use crate::records::{decisions, in_memory, persons::NewPerson, transcripts::NewTurn};
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyEvent;
    use ratatui::Terminal;
    use rusqlite::Connection;

    /// An open vault without the file: commits are SQL transactions.
    struct Mem(Connection);

    impl OpenRecords for Mem {
        fn conn(&self) -> &Connection {
            &self.0
        }
        fn commit<T, E>(&mut self, change: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
        where
            E: From<CommitError>,
        {
            in_transaction(&self.0, change)
        }
    }

    fn vault() -> (Mem, i64) {
        let conn = in_memory().unwrap();
        let p = persons::add(
            &conn,
            &NewPerson {
                name: "Dina Kim".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let turn = |speaker: &str, text: &str, tr: &str| NewTurn {
            speaker: speaker.into(),
            text: text.into(),
            translation: Some(tr.into()),
            translation_speaker: Some(speaker.into()),
            ..Default::default()
        };
        let t = transcripts::insert(
            &conn,
            &transcripts::NewTranscript {
                persons: vec![p.id],
                date: "2021-05-01".into(),
                lang: "en".into(),
                interviewer: None,
                source_name: "a.txt".into(),
                source_sha256: "cd".repeat(32),
                source_format: "txt".into(),
                translation_lang: Some("de".into()),
                translation_name: None,
                turns: vec![
                    turn("Interviewer", "Who helped you?", "Wer hat geholfen?"),
                    turn(
                        "Respondent",
                        "Dina Kim and then we met Quillonov and his brother at Zorbekstan.",
                        "Dina Kim und dann trafen wir Quillonov und seinen Bruder.",
                    ),
                    turn(
                        "Respondent",
                        "It was hard work for all of us.",
                        "Es war schwer.",
                    ),
                ],
                speakers: vec![],
                interviewer_labels: vec![],
                metadata: vec![],
            },
        )
        .unwrap();
        (Mem(conn), t)
    }

    fn render(s: &Screen, w: u16, h: u16) -> String {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| s.draw(f)).unwrap();
        let buf = term.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..h {
            for x in 0..w {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn press(s: &mut Screen, db: &mut Mem, keys: &str) {
        for c in keys.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            s.key(db, KeyEvent::from(code));
        }
    }

    #[test]
    fn renders_at_80_by_24_with_queue_footer_and_help() {
        let (db, t) = vault();
        let mut s = Screen::open(db.conn(), t, Palette { mono: false }).unwrap();
        let shown = render(&s, 80, 24);
        assert!(shown.contains("Review: transcript"), "{shown}");
        assert!(shown.contains("Questions"), "{shown}");
        assert!(shown.contains("Quillonov"), "{shown}");
        assert!(shown.contains("? help"), "{shown}");
        assert!(shown.contains("Who helped you?"), "{shown}");
        assert!(
            shown.contains("Wer hat geholfen?"),
            "stacked translation: {shown}"
        );
        s.help = true;
        let help = render(&s, 80, 24);
        assert!(help.contains("keep it here"), "{help}");
        // Too small: a sentence, not a garbled screen.
        let small = render(&s, 60, 20);
        assert!(small.contains("needs 80×24"), "{small}");
    }

    #[test]
    fn no_color_draws_without_colours() {
        let (db, t) = vault();
        let s = Screen::open(db.conn(), t, Palette { mono: true }).unwrap();
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        term.draw(|f| s.draw(f)).unwrap();
        let buf = term.backend().buffer();
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset);
            assert_eq!(cell.bg, Color::Reset);
        }
    }

    #[test]
    fn keys_register_a_person_keep_an_occurrence_undo_and_make_an_excerpt() {
        let (mut db, t) = vault();
        let mut s = Screen::open(db.conn(), t, Palette { mono: false }).unwrap();
        let before = s.questions().len();
        assert!(before >= 2, "{:?}", s.questions());
        let first = s.questions()[0].word.clone();
        // p opens the form with the word as the name; Tab to descriptor.
        press(&mut s, &mut db, "p\tneighbour\n");
        let people = persons::list(db.conn()).unwrap();
        assert_eq!(people.len(), 2, "{}", s.message);
        assert_eq!(people[1].name.as_deref(), Some(first.as_str()));
        assert_eq!(people[1].descriptor.as_deref(), Some("neighbour"));
        assert!(s.questions().iter().all(|q| q.word != first));
        // k keeps the next question here only.
        let next = s.questions()[0].id.clone();
        press(&mut s, &mut db, "k");
        assert_eq!(
            decisions::list(db.conn()).unwrap().len(),
            1,
            "{}",
            s.message
        );
        assert!(s.questions().iter().all(|q| q.id != next));
        // u takes it back.
        press(&mut s, &mut db, "u");
        assert!(decisions::list(db.conn()).unwrap().is_empty());
        assert!(s.questions().iter().any(|q| q.id == next));
        press(&mut s, &mut db, "k");
        // An excerpt of turns 2-3: Tab to the turns, move, span, e, tags, note.
        s.focus = Focus::Turns;
        s.turn = 1;
        press(&mut s, &mut db, "vje");
        press(&mut s, &mut db, "work, help\tabout help\n");
        let ex = excerpts::list(db.conn(), &[]).unwrap();
        assert_eq!(ex.len(), 1, "{}", s.message);
        assert_eq!((ex[0].first_line, ex[0].last_line), (2, 3));
        assert_eq!(ex[0].tags, vec!["help".to_string(), "work".to_string()]);
        let shown = render(&s, 80, 24);
        assert!(shown.contains(&format!("▌{}", ex[0].id)), "{shown}");
        // x removes it again.
        press(&mut s, &mut db, "x");
        assert!(excerpts::list(db.conn(), &[]).unwrap().is_empty());
        // Every answer is in the audit log.
        let actions: Vec<String> = audit::list(db.conn())
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(
            actions.contains(&"review resolve".to_string()),
            "{actions:?}"
        );
        assert!(actions.contains(&"review undo".to_string()));
        assert!(actions.contains(&"excerpt add".to_string()));
    }
}
