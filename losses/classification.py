"""The classification family. SPECS lists its LossSpecs in page order (filled in by its own issue)."""
SPECS = ()
