"""The assistant's pure part: what text stands for an objective or a metric, the vector
space the suggestions are ranked in, and the rules (parents, overlaps, SMART, drafts)."""
