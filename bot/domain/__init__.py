"""Pure organising logic: no I/O, no platform, no database."""
