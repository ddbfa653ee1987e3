"""The assistant's labelled quality set: plans, truth.yaml, and how a result is scored."""
