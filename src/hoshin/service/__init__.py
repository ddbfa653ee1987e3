"""Use cases: load, compute with the domain, save. Owns no rules of its own."""
