//! Every fault of a row, so that an export is fixed in one pass: when a row
//! fails, each field its export maps is read again on its own and every
//! failure is named, in the file's column order. Rows that read
//! cleanly never come here.

use super::row::{RowFault, RowView};
use crate::config::{Field, FieldType};

impl RowView<'_> {
    /// Every failing field of a row whose reading stopped at `first`; `first`
    /// alone when reading field by field finds nothing more (a row-wide fault).
    pub fn every_fault(&self, first: RowFault) -> Vec<RowFault> {
        let mut faults: Vec<RowFault> = self
            .export
            .columns
            .iter()
            .filter_map(|(field, _)| self.field_fault(*field).err())
            .collect();
        if !faults.contains(&first) {
            faults.insert(0, first);
        }
        // Row-wide faults first, then in the file's column order.
        faults.sort_by_key(|fault| self.index.position_of(&fault.column));
        faults
    }

    /// Reads one field as its type asks, and requires it when its export kind does.
    fn field_fault(&self, field: Field) -> Result<(), RowFault> {
        let present = match field.field_type() {
            FieldType::Instant => self.instant(field)?.is_some(),
            FieldType::Date => self.date(field)?.is_some(),
            FieldType::Flag => self.flag(field)?.is_some(),
            FieldType::Integer => self.integer(field)?.is_some(),
            FieldType::Decimal => self.decimal(field)?.is_some(),
            FieldType::Text | FieldType::Code => self.text(field).is_some(),
        };
        if !present && self.export.kind.required().contains(&field) {
            return Err(self.empty_required(field));
        }
        Ok(())
    }
}
