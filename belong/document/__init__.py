"""The strategy document: context of plain values, sandboxed layout, locked PDF renderer."""
