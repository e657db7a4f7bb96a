"""Ambassadors: employees enrol themselves, accept the charter, and are counted."""
