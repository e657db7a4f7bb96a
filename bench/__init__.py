"""Benchmarks of socialwall beside a minimal Node socket.io server (`make bench`)."""
