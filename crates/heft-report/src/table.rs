//! Aligned text tables: each column as wide as its widest cell (or its
//! minimum width), cells padded left or right.

use std::io::{self, Write};

/// How a column's cells are padded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// A column: its alignment, its minimum width and the gap before it.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    align: Align,
    min: usize,
    gap: &'static str,
}

impl Column {
    /// A column padded to the left (numbers), at least `min` wide, one space before it.
    pub fn right(min: usize) -> Column {
        Column { align: Align::Right, min, gap: " " }
    }

    /// A column padded to the right (text), at least `min` wide, one space before it.
    pub fn left(min: usize) -> Column {
        Column { align: Align::Left, min, gap: " " }
    }

    /// The same column with another gap before it.
    pub fn gap(self, gap: &'static str) -> Column {
        Column { gap, ..self }
    }
}

/// Rows of cells under columns; a row may have fewer cells than columns.
#[derive(Debug)]
pub struct Table {
    indent: &'static str,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose lines start with `indent`.
    pub fn new(indent: &'static str, columns: Vec<Column>) -> Table {
        Table { indent, columns, rows: Vec::new() }
    }

    /// Adds a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Writes the table; the last cell of a row is not padded on the right.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| {
                let widest = self.rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max();
                widest.unwrap_or(0).max(self.columns[c].min)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::from(self.indent);
            for (c, cell) in row.iter().enumerate() {
                let col = self.columns[c];
                if c > 0 {
                    line.push_str(col.gap);
                }
                let pad = " ".repeat(widths[c].saturating_sub(cell.chars().count()));
                match col.align {
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                    Align::Left if c + 1 == row.len() => line.push_str(cell),
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                }
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_grow_to_their_widest_cell() {
        let mut t = Table::new("  ", vec![Column::left(4), Column::right(3), Column::left(0).gap("  ")]);
        t.row(["name", "n", "note"]);
        t.row(["a-long-name", "1234", "x"]);
        t.row(["b"]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "  name           n  note\n  a-long-name 1234  x\n  b\n");
    }
}
