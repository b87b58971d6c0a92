"""ingest: reading, fetching, crawling and the noticerules CLI (the I/O side)."""
