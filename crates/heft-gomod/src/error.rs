//! The error every reader of this crate reports (go.mod, go.work,
//! vendor/modules.txt and the line syntax under them), and its rendering
//! in the go command's words.

/// A syntax or directive error. Positions are 1-based; `col` counts runes
/// and is 1 for errors about a whole line. The caller adds the file name
/// (see [`ParseError::go_format`] for the go command's exact rendering).
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("{line}:{col}: {msg}")]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based rune column; 1 when the error is about the whole line.
    pub col: u32,
    /// The go command's message, without position.
    pub msg: String,
}

/// Start of the message for a block without its `)`; the go command names
/// the file inside this message too (see [`ParseError::go_format`]).
pub(crate) const UNTERMINATED: &str = "syntax error (unterminated block started at ";

impl ParseError {
    /// The line the go command prints for this error in `file`:
    /// `file:line: msg`, or `file:line:col: msg` when the column is past
    /// the start of the line.
    pub fn go_format(&self, file: &str) -> String {
        // Only this message names the file inside the text as well.
        let msg = match self.msg.strip_prefix(UNTERMINATED) {
            Some(rest) => format!("{UNTERMINATED}{file}:{rest}"),
            None => self.msg.clone(),
        };
        if self.col > 1 {
            format!("{file}:{}:{}: {msg}", self.line, self.col)
        } else {
            format!("{file}:{}: {msg}", self.line)
        }
    }
}

/// All errors of one file rendered as the go command does, one per line.
pub fn format_errors(file: &str, errs: &[ParseError]) -> String {
    errs.iter().map(|e| e.go_format(file)).collect::<Vec<_>>().join("\n")
}
