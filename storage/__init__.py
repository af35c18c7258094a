"""Storage: how events are serialised, encrypted and recorded (SQLite or PostgreSQL)."""
