"""The strategy assistant: suggestions from the shipped sentence-embedding model and rules,
offline; an optional chat model (HOSHIN_LLM_URL) adds free-text rewrites."""
