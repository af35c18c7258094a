"""The application layer: the only writer. Commands in, saved events out."""
