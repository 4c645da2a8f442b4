"""The partnership measures written out: CSV, a spreadsheet (one sheet per group) and the board's
PDF with charts. Shared by the office's ``heart-central report`` and the app's export; it reads
only the report JSON (``domain.measures.finish``), so both write the same files."""
