"""The memory as a service: an HTTP API with tenant keys (FastAPI) and an MCP server."""
