"""The REST API under /api/v1 (FastAPI, OpenAPI at /api/docs): thin over the service layer."""
